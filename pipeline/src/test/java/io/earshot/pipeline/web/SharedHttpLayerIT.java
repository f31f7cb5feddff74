package io.earshot.pipeline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.pipeline.api.ApiHandler;
import io.earshot.pipeline.api.Authenticator;
import io.earshot.pipeline.api.CallQueries;
import io.earshot.pipeline.api.Principal;
import io.earshot.pipeline.api.TokenStore;
import io.earshot.pipeline.dashboard.AlertRules;
import io.earshot.pipeline.dashboard.DashboardHandler;
import io.earshot.pipeline.dashboard.FloorState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The API and the dashboard on one server, as {@code serve} runs them, asked the same bad
 * requests: each pair of endpoints, one of each side, must refuse them with the same status,
 * headers and body, since both go through one {@link Router}. Every refusal here happens before
 * a query, so the API's store is one that does not exist.
 */
class SharedHttpLayerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Map<String, Principal> TOKENS = Map.of(
            "tok-blue", new Principal("sup-blue", Principal.Role.SUPERVISOR, Set.of("blue")),
            "tok-analyst", new Principal("ana", Principal.Role.ANALYST, Set.of()),
            "tok-desk", Principal.agent("desk", "agent-b"));
    /** A token the authenticator answers as a throttled address would be answered. */
    private static final String THROTTLED = "tok-throttled";
    /** A token whose lookup fails inside the server. */
    private static final String BROKEN = "tok-broken";
    private static final Authenticator AUTH = new Authenticator() {
        @Override
        public Optional<Principal> authenticate(String token) {
            if (THROTTLED.equals(token)) {
                throw new Authenticator.Throttled(17);
            }
            if (BROKEN.equals(token)) {
                throw new IllegalStateException("jdbc:postgresql://db.internal:5432 is down");
            }
            return Optional.ofNullable(token == null ? null : TOKENS.get(token));
        }
    };

    private static Server server;
    private static DashboardHandler dashboard;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/nothing-listens-here");
        dashboard = new DashboardHandler(new FloorState(new AlertRules(AlertRules.Thresholds.DEFAULTS)), AUTH,
                Duration.ofMillis(50));
        ApiHandler api = new ApiHandler(new CallQueries(nowhere), new TokenStore(nowhere), AUTH);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Sequence(dashboard, api));
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /** Pairs of a dashboard endpoint and an API endpoint, both open to supervisors and analysts. */
    static Stream<Arguments> pairs() {
        return Stream.of(
                Arguments.of("/api/floor/snapshot", "/api/calls"),
                Arguments.of("/api/floor/calls/call-1", "/api/calls/call-1"),
                Arguments.of("/api/floor/stream", "/api/ranking"),
                Arguments.of("/agents/agent-b/nudges", "/api/teams/blue/aggregate"));
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void shouldRefuseAMissingTokenTheSameWayOnBothSides(String floorPath, String apiPath) throws Exception {
        Answer floor = get(floorPath, null);
        Answer api = get(apiPath, null);

        assertThat(floor.status).isEqualTo(401);
        assertThat(floor).isEqualTo(api);
        assertThat(floor.body.get("error").asText()).isEqualTo("a bearer token is required");
        assertThat(floor.authenticate).isEqualTo("Bearer realm=\"earshot\"");
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void shouldRefuseUnknownAndMalformedTokensTheSameWayOnBothSides(String floorPath, String apiPath)
            throws Exception {
        for (String header : List.of("Bearer nope", "Bearer ", "Basic dXNlcjpwYXNz", "tok-analyst")) {
            Answer floor = send(floorPath, "GET", header);
            Answer api = send(apiPath, "GET", header);

            assertThat(floor.status).as(header).isEqualTo(401);
            assertThat(floor).as(header).isEqualTo(api);
        }
        assertThat(get(floorPath, "nope").authenticate).isEqualTo("Bearer realm=\"earshot\", error=\"invalid_token\"");
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void shouldRefuseATokenInTheUrlTheSameWayOnBothSidesEvenBesideAValidHeader(String floorPath, String apiPath)
            throws Exception {
        Answer floor = get(floorPath + "?token=tok-analyst", "tok-analyst");
        Answer api = get(apiPath + "?token=tok-analyst", "tok-analyst");

        assertThat(floor.status).isEqualTo(400);
        assertThat(floor).isEqualTo(api);
        assertThat(floor.body.get("parameter").asText()).isEqualTo("token");
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void shouldAnswerAThrottledAddressTheSameWayOnBothSides(String floorPath, String apiPath) throws Exception {
        Answer floor = get(floorPath, THROTTLED);
        Answer api = get(apiPath, THROTTLED);

        assertThat(floor.status).isEqualTo(429);
        assertThat(floor).isEqualTo(api);
        assertThat(floor.retryAfter).isEqualTo("17");
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void shouldAnswerAFailingTokenLookupWithTheSameGeneric500OnBothSides(String floorPath, String apiPath)
            throws Exception {
        Answer floor = get(floorPath, BROKEN);
        Answer api = get(apiPath, BROKEN);

        assertThat(floor.status).isEqualTo(500);
        assertThat(floor).isEqualTo(api);
        assertThat(floor.body.toString()).isEqualTo("{\"error\":\"internal error\",\"status\":500}")
                .doesNotContain("db.internal");
        assertThat(floor.id).matches("[0-9a-f]{8}");
        assertThat(api.id).matches("[0-9a-f]{8}");
    }

    @Test
    void shouldRefuseAnAgentsTokenOnEveryRouteButItsOwnNudgesOnBothSides() throws Exception {
        assertThat(get("/api/floor/snapshot", "tok-desk").status).isEqualTo(403);
        assertThat(get("/api/calls", "tok-desk").status).isEqualTo(403);
        assertThat(get("/agents/agent-c/nudges", "tok-desk").status).isEqualTo(403);
    }

    @Test
    void shouldRefuseAnUnknownParameterAndAnotherMethodTheSameWayOnBothSides() throws Exception {
        Answer floor = get("/api/floor/snapshot?colour=blue", "tok-analyst");
        Answer api = get("/api/calls?colour=blue", "tok-analyst");
        assertThat(floor.status).isEqualTo(400);
        assertThat(floor).isEqualTo(api);
        assertThat(floor.body.get("parameter").asText()).isEqualTo("colour");

        Answer floorDelete = send("/api/floor/snapshot", "DELETE", "Bearer tok-analyst");
        Answer apiDelete = send("/api/ranking", "DELETE", "Bearer tok-analyst");
        assertThat(floorDelete.status).isEqualTo(405);
        assertThat(apiDelete.status).isEqualTo(405);
        assertThat(floorDelete.allow).isEqualTo("GET").isEqualTo(apiDelete.allow);
    }

    @Test
    void shouldRefuseAQueryStringThatIsNotValidUrlEncodingTheSameWayOnBothSides() throws Exception {
        // java.net.URI refuses such a URL: the request goes over a plain socket
        String floor = raw("/api/floor/snapshot?key=%zz");
        String api = raw("/api/calls?agent=%zz");

        assertThat(floor).startsWith("HTTP/1.1 400");
        assertThat(floor.substring(floor.indexOf("\r\n\r\n"))).isEqualTo(api.substring(api.indexOf("\r\n\r\n")))
                .contains("not valid URL encoding");
    }

    @Test
    void shouldNotSayWhetherAPathExistsBeforeTheTokenIsChecked() throws Exception {
        assertThat(get("/api/floor/nothing-here", null).status).isEqualTo(401);
        assertThat(get("/api/nothing-here", null).status).isEqualTo(401);
        assertThat(get("/api/floor/nothing-here", "tok-analyst").status).isEqualTo(404);
        assertThat(get("/api/nothing-here", "tok-analyst").status).isEqualTo(404);
    }

    @Test
    void shouldScopeASupervisorToItsTeamsOnBothSides() throws Exception {
        // asked by name: 403 on the API; the floor's series of another team is 404, as if it did not exist
        assertThat(get("/api/teams/red/aggregate", "tok-blue").status).isEqualTo(403);
        assertThat(get("/api/floor/series?scope=TEAM&key=red", "tok-blue").status).isEqualTo(404);
        assertThat(get("/api/floor/series?scope=QUEUE&key=q1", "tok-blue").status).isEqualTo(404);
        assertThat(get("/api/floor/series?scope=QUEUE&key=q1", "tok-analyst").status).isEqualTo(200);
    }

    @Test
    void shouldSendTheSecurityHeadersOnBothSidesAndNoCors() throws Exception {
        for (String path : List.of("/api/floor/snapshot", "/api/calls", "/api/openapi.json", "/")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve(path))
                    .header("Origin", "https://elsewhere.example").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path)
                    .hasValueSatisfying(v -> assertThat(v).contains("frame-ancestors 'none'"));
            assertThat(r.headers().map().keySet()).as(path)
                    .noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-"));
        }
    }

    /** What a refusal shows, without the 500's id (random by design). */
    private record Answer(int status, JsonNode body, String authenticate, String retryAfter, String allow,
                          String id) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Answer a && status == a.status && body.equals(a.body)
                    && java.util.Objects.equals(authenticate, a.authenticate)
                    && java.util.Objects.equals(retryAfter, a.retryAfter);
        }

        @Override
        public int hashCode() {
            return status;
        }
    }

    private static String raw(String pathAndQuery) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer tok-analyst\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static Answer get(String path, String token) throws Exception {
        return send(path, "GET", token == null ? null : "Bearer " + token);
    }

    private static Answer send(String path, String method, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        String id = null;
        if (body instanceof ObjectNode o && o.has("id")) {
            id = o.remove("id").asText();
        }
        return new Answer(r.statusCode(), body, r.headers().firstValue("WWW-Authenticate").orElse(null),
                r.headers().firstValue("Retry-After").orElse(null), r.headers().firstValue("Allow").orElse(null), id);
    }
}
