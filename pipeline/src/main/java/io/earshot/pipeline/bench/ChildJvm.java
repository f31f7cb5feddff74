package io.earshot.pipeline.bench;

import java.util.ArrayList;
import java.util.List;

/** The command line of a benchmark's child JVM: a main class of this class path, in a JVM of its own. */
final class ChildJvm {

    private ChildJvm() {
    }

    /** {@code main} with {@code args} on this JVM's {@code java} and class path, with {@code options}. */
    static List<String> command(List<String> options, Class<?> main, List<String> args) {
        return command(java(), options, classPath(), main, args);
    }

    /** This JVM's {@code java} executable. */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** This JVM's class path. */
    static String classPath() {
        return System.getProperty("java.class.path");
    }

    /**
     * Starts {@code builder}'s JVM, stopped too if this one stops first, and returns the lines it
     * printed on its standard output (none when that is not piped); {@code name} says which JVM an
     * exit other than 0 came from.
     */
    static List<String> run(ProcessBuilder builder, String name) throws java.io.IOException, InterruptedException {
        Process p = builder.start();
        Thread stop = new Thread(p::destroy, "stop " + name);
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            List<String> lines;
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                    p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                lines = r.lines().toList();
            }
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(name + " exited with " + exit
                        + (lines.isEmpty() ? "" : ": " + String.join("\n", lines)));
            }
            return lines;
        } finally {
            Runtime.getRuntime().removeShutdownHook(stop);
        }
    }

    /** {@code java options -cp classPath main args}. */
    static List<String> command(String java, List<String> options, String classPath, Class<?> main,
            List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", classPath, main.getName()));
        cmd.addAll(args);
        return cmd;
    }
}
