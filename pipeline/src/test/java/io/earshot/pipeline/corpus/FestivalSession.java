package io.earshot.pipeline.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One festival process kept running with one voice loaded, fed Scheme commands on stdin.
 * Festival takes about a second to start and load a voice and some ten milliseconds to speak a
 * phrase, so a corpus that asks for phrases one at a time would spend nearly all its time
 * starting festival. Each command is followed by a marker written to stderr (festival does not
 * flush stdout into a pipe, stderr is unbuffered); the session waits for the marker, and any
 * error festival reported before it fails the command. The output is byte-identical to
 * {@code text2wave} with the same voice. Not thread-safe; {@link PhraseRenderer} serialises
 * its use. Festival exits when its stdin closes, also when the JVM dies without closing it.
 */
final class FestivalSession implements AutoCloseable {

    private static final String END = "<eof>";

    private final String voice;
    private final Duration timeout;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> stderr = new LinkedBlockingQueue<>();
    private int marker;

    FestivalSession(String voice, Duration timeout) throws IOException {
        this.voice = voice;
        this.timeout = timeout;
        try {
            process = new ProcessBuilder("festival", "--pipe").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IOException("cannot run festival (" + e.getMessage()
                    + "); pipeline/src/test/scripts/install-tts.sh installs the TTS tools", e);
        }
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> readLines(process.getErrorStream()), "festival-" + voice + "-stderr");
        reader.setDaemon(true);
        reader.start();
        command("(voice_" + voice + ")");
    }

    /** Speaks {@code text} (checked plain words: no quotes or backslashes) into a RIFF WAV file. */
    void synthesise(String text, Path wav) throws IOException {
        command("(utt.save.wave (utt.synth (Utterance Text \"" + text + "\")) \"" + wav + "\" 'riff)");
    }

    private void command(String scheme) throws IOException {
        String mark = "earshot-done-" + (++marker);
        try {
            stdin.write(scheme + "\n(format stderr \"" + mark + "\\n\")\n");
            stdin.flush();
        } catch (IOException e) {
            throw new IOException("festival (" + voice + ") is gone: " + e.getMessage(), e);
        }
        List<String> said = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = stderr.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    close();
                    throw new IOException("festival (" + voice + ") timed out after " + timeout.toMillis() + " ms on "
                            + scheme + "; stderr: " + String.join(" ", said));
                }
                if (line.equals(END)) {
                    throw new IOException("festival (" + voice + ") exited on " + scheme + "; stderr: "
                            + String.join(" ", said));
                }
                if (line.equals(mark)) {
                    break;
                }
                said.add(line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while festival (" + voice + ") was speaking", e);
        }
        if (said.stream().anyMatch(l -> l.contains("ERROR") || l.contains("Error"))) {
            throw new IOException("festival (" + voice + ") failed on " + scheme + ": " + String.join(" ", said));
        }
    }

    private void readLines(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                stderr.add(line);
            }
        } catch (IOException e) {
            stderr.add("stderr unreadable: " + e.getMessage());
        } finally {
            stderr.add(END);
        }
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // the process is gone already; destroying it below is all that is left to do
        }
        process.destroy();
    }
}
