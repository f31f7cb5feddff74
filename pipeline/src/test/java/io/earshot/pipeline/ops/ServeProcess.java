package io.earshot.pipeline.ops;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code earshot serve} as a child process of the test, as an orchestrator runs it: a JVM of its
 * own with the test's class path, a configuration file, stderr (the log) in a file. Tests signal
 * it with {@link Process#destroy()}, which is SIGTERM on Linux.
 */
final class ServeProcess implements AutoCloseable {

    static final String API_KEY = "ops-it";
    static final String CLIENT_SECRET = Base64.getEncoder().encodeToString("ops-it-client-secret-0123456789".getBytes());

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final Process process;
    final int port;
    final Path log;

    private ServeProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts serve on a free port publishing to {@code bootstrap}, AudioHook only, without
     * transcription, and waits until {@code /ready} answers 200.
     *
     * @param ingestExtra further YAML lines under {@code ingest:} (indented two spaces)
     */
    static ServeProcess start(Path dir, String bootstrap, String ingestExtra, Map<String, String> env)
            throws Exception {
        int port = freePort();
        Path config = dir.resolve("serve.yaml");
        Files.writeString(config, """
                kafka: {bootstrap: "%s"}
                ingest:
                  bind: 127.0.0.1
                  port: %d
                %s
                audiohook:
                  apiKeys: {%s: "%s"}
                twilio: {enabled: false}
                transcription: {enabled: false}
                """.formatted(bootstrap, port, ingestExtra, API_KEY, CLIENT_SECRET));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).forEach(command::add);
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.earshot.pipeline.cli.EarshotCli");
        command.addAll(List.of("serve", "--config", config.toString()));
        Path log = dir.resolve("serve.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile())
                .redirectOutput(dir.resolve("serve.out").toFile());
        builder.environment().putAll(env);
        ServeProcess serve = new ServeProcess(builder.start(), port, log);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (serve.status("/ready") != 200) {
            if (!serve.process.isAlive()) {
                throw new IllegalStateException("serve exited " + serve.process.exitValue() + ": " + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("serve did not become ready: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        return serve;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    URI audioHook() {
        return URI.create("ws://127.0.0.1:" + port + "/audiohook");
    }

    /** The HTTP status of GET {@code path}, or -1 when nothing answers. */
    int status(String path) throws InterruptedException {
        try {
            return get(path, null).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
