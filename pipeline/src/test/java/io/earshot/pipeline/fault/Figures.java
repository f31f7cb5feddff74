package io.earshot.pipeline.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The fault tests' figures (recovery times, records compared): on the test output and in {@code target/NAME.txt}. */
final class Figures {

    private Figures() {
    }

    /** A step of a fault test, with the time, so a slow or stuck run shows where it was. */
    static void step(String test, String what) {
        System.out.println(java.time.LocalTime.now() + " " + test + ": " + what);
    }

    static void report(String name, String line) {
        System.out.println(name + ": " + line);
        try {
            Path file = Path.of("target", name + ".txt");
            Files.createDirectories(file.getParent());
            Files.write(file, List.of(line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
