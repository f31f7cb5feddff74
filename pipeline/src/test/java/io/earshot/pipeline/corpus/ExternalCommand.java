package io.earshot.pipeline.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external program to completion with a time limit, stdin closed, and both output
 * streams drained on their own threads (so a chatty program never blocks on a full pipe).
 * Any failure is an {@link IOException} naming the command, the exit code and what the
 * program wrote to stderr.
 */
public final class ExternalCommand {

    private ExternalCommand() {
    }

    /** Returns the program's stdout; throws when it cannot start, times out or exits non-zero. */
    public static String run(List<String> command, Duration timeout) throws IOException {
        return run(command, timeout, Set.of(0));
    }

    /** As {@link #run(List, Duration)}, accepting these exit codes ({@code flite --version} exits 1). */
    public static String run(List<String> command, Duration timeout, Set<Integer> exitCodes) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + " (" + e.getMessage()
                    + "); pipeline/src/test/scripts/install-tts.sh installs the TTS tools", e);
        }
        Drain out = new Drain(process.getInputStream());
        Drain err = new Drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                throw new IOException(String.join(" ", command) + " timed out after " + timeout.toMillis()
                        + " ms; stderr: " + err.get().strip());
            }
            int rc = process.exitValue();
            String stderr = err.get();
            if (!exitCodes.contains(rc)) {
                throw new IOException(String.join(" ", command) + " exited with " + rc + "; stderr: " + stderr.strip());
            }
            if (stderr.contains("ERROR") || stderr.contains("Error")) {
                // festival reports an unknown voice or a Scheme error on stderr and exits 0
                throw new IOException(String.join(" ", command) + " reported an error: " + stderr.strip());
            }
            return out.get();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }

    /** Reads one stream to its end on a thread of its own. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private volatile byte[] bytes = new byte[0];
        private volatile IOException failure;

        Drain(InputStream in) {
            super("external-command-drain");
            this.in = in;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            try (in) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                failure = e;
            }
        }

        String get() throws InterruptedException, IOException {
            join();
            if (failure != null) {
                throw failure;
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
