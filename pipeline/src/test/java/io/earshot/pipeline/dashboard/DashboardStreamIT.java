package io.earshot.pipeline.dashboard;

import static io.earshot.pipeline.dashboard.FloorRecords.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.pipeline.api.Authenticator;
import io.earshot.pipeline.api.Principal;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The floor's event streams under pressure, over real HTTP: a token revoked while its stream is
 * open, more streams than the caps allow, and a client that stops reading.
 */
class DashboardStreamIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final Map<String, Principal> tokens = new ConcurrentHashMap<>(Map.of(
            "tok-a", new Principal("sup-a", Principal.Role.SUPERVISOR, Set.of("blue")),
            "tok-b", new Principal("sup-b", Principal.Role.SUPERVISOR, Set.of("blue")),
            "tok-c", new Principal("ana-c", Principal.Role.ANALYST, Set.of())));
    private final Authenticator auth = token -> Optional.ofNullable(token == null ? null : tokens.get(token));
    private final List<AutoCloseable> open = new ArrayList<>();
    private Server server;
    private DashboardHandler handler;
    private FloorState floor;
    private URI base;

    private void start(DashboardHandler.StreamLimits limits, int agents) throws Exception {
        floor = new FloorState(new AlertRules(AlertRules.Thresholds.DEFAULTS));
        for (int i = 0; i < agents; i++) {
            floor.apply(started("call-" + i, "agent-with-a-long-name-" + i, "blue"));
        }
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        handler = new DashboardHandler(floor, auth, Duration.ofMillis(10), limits);
        server.setHandler(handler);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private HttpResponse<InputStream> stream(String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/floor/stream"))
                .header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        open.add(r.body());
        return r;
    }

    /** Opens a stream and reads its first event, so the server holds it when this returns. */
    private BufferedReader streaming(String token) throws Exception {
        HttpResponse<InputStream> r = stream(token);
        assertThat(r.statusCode()).isEqualTo(200);
        BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).isEqualTo("event: snapshot");
        return lines;
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("still waiting at the deadline").isLessThan(end);
            Thread.sleep(5);
        }
    }

    @Test
    void shouldEndTheStreamOfATokenRevokedWhileItStreams() throws Exception {
        start(new DashboardHandler.StreamLimits(10, 4, 32, Duration.ofMillis(100)), 1);
        BufferedReader lines = streaming("tok-a");

        tokens.remove("tok-a");

        List<String> rest = assertTimeoutPreemptively(DEADLINE, () -> {
            List<String> read = new ArrayList<>();
            String line;
            while ((line = lines.readLine()) != null) {
                read.add(line);
            }
            return read;
        });
        assertThat(rest).contains("event: end");
        waitFor(() -> handler.streamClients() == 0);
        assertThat(handler.streamClients()).isZero();
    }

    @Test
    void shouldKeepTheStreamOfATokenThatStillAuthenticates() throws Exception {
        start(new DashboardHandler.StreamLimits(10, 4, 32, Duration.ofMillis(50)), 1);
        BufferedReader lines = streaming("tok-a");
        BufferedReader revoked = streaming("tok-b");

        tokens.remove("tok-b");
        assertTimeoutPreemptively(DEADLINE, () -> {
            while (revoked.readLine() != null) {
                // until the server ends the revoked one
            }
        });

        assertThat(handler.streamClients()).isEqualTo(1);
        floor.touch();
        String line = assertTimeoutPreemptively(DEADLINE, () -> {
            String l;
            while ((l = lines.readLine()) != null && !l.equals("event: snapshot")) {
                // the rest of the first event
            }
            return l;
        });
        assertThat(line).isEqualTo("event: snapshot");
    }

    @Test
    void shouldRefuseAStreamBeyondTheTokensCapWith429AndBeyondTheServersCapWith503() throws Exception {
        start(new DashboardHandler.StreamLimits(3, 2, 32, Duration.ofSeconds(20)), 1);
        streaming("tok-a");
        streaming("tok-a");

        HttpResponse<InputStream> third = stream("tok-a");
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(new String(third.body().readAllBytes(), StandardCharsets.UTF_8)).contains("most open streams (2)");

        streaming("tok-b");
        HttpResponse<InputStream> fourth = stream("tok-c");
        assertThat(fourth.statusCode()).isEqualTo(503);
        assertThat(fourth.headers().firstValue("Retry-After")).isPresent();
        assertThat(handler.streamClients()).isEqualTo(3);
    }

    /** A client that sends its request and then never reads: its socket's buffers fill up. */
    private Socket stalledClient(String token) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        open.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/floor/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** Reads the versions of the snapshots a stream gets, on a thread of its own. */
    private LinkedBlockingQueue<Long> versions(BufferedReader lines) {
        LinkedBlockingQueue<Long> versions = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                        versions.add(JSON.readTree(line.substring(6)).get("version").asLong());
                    }
                }
            } catch (Exception closed) {
                // the test is over
            }
        });
        reader.setDaemon(true);
        reader.start();
        return versions;
    }

    /** Changes the floor until the stalled client has events waiting (its socket takes no more). */
    private void stall() throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (handler.queuedEvents() == 0) {
            assertThat(System.nanoTime()).as("the client never stalled").isLessThan(end);
            floor.touch();
            Thread.sleep(10);
        }
    }

    @Test
    void shouldKeepStreamingToOthersWhileOneClientStopsReading() throws Exception {
        start(new DashboardHandler.StreamLimits(10, 10, 10_000, Duration.ofSeconds(20)), 400);
        LinkedBlockingQueue<Long> fast = versions(streaming("tok-a"));
        stalledClient("tok-b");
        waitFor(() -> handler.streamClients() == 2);

        stall();
        fast.clear();
        long seen = -1;
        for (int i = 0; i < 5; i++) {
            floor.touch();
            long target = floor.version();
            while (seen < target) {
                Long v = fast.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertThat(v).as("a snapshot for the reading client").isNotNull();
                seen = v;
            }
        }

        assertThat(handler.streamClients()).as("the stalled client is still connected, and stalled").isEqualTo(2);
        assertThat(handler.queuedEvents()).isPositive();
    }

    @Test
    void shouldDropAClientWhoseQueueOverflowsAndGoOnWithTheOthers() throws Exception {
        start(new DashboardHandler.StreamLimits(10, 10, 2, Duration.ofSeconds(20)), 400);
        LinkedBlockingQueue<Long> fast = versions(streaming("tok-a"));
        stalledClient("tok-b");
        waitFor(() -> handler.streamClients() == 2);

        long end = System.nanoTime() + DEADLINE.toNanos();
        while (handler.streamClients() == 2) {
            assertThat(System.nanoTime()).as("the stalled client was never dropped").isLessThan(end);
            floor.touch();
            Thread.sleep(10);
        }

        fast.clear();
        floor.touch();
        long target = floor.version();
        long seen = -1;
        while (seen < target) {
            Long v = fast.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertThat(v).as("a snapshot for the reading client").isNotNull();
            seen = v;
        }
        assertThat(handler.streamClients()).isEqualTo(1);
    }

    @Test
    void shouldForgetAStreamWhoseClientHasGoneWithoutAnyChangeOnTheFloor() throws Exception {
        start(new DashboardHandler.StreamLimits(10, 1, 32, Duration.ofSeconds(20)), 1);
        Socket gone = stalledClient("tok-a");
        waitFor(() -> handler.streamClients() == 1);

        gone.close();
        waitFor(() -> handler.streamClients() == 0);

        assertThat(streaming("tok-a")).as("the token's one stream is free again").isNotNull();
    }

    @Test
    void shouldAnswerAFailureInsideWithAGenericErrorAndAnId() throws Exception {
        floor = new FloorState(new AlertRules(AlertRules.Thresholds.DEFAULTS));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        Authenticator broken = token -> {
            throw new IllegalStateException("ERROR: relation \"api_tokens\" does not exist at db.internal:5432");
        };
        handler = new DashboardHandler(floor, broken, Duration.ofMillis(10));
        server.setHandler(handler);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());

        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/floor/snapshot"))
                .header("Authorization", "Bearer tok-a").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("internal error");
        assertThat(JSON.readTree(r.body()).get("id").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("api_tokens").doesNotContain("db.internal").doesNotContain("Exception");
    }
}
