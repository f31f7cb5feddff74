package io.earshot.pipeline.dashboard;

import static io.earshot.pipeline.dashboard.FloorRecords.started;
import static io.earshot.pipeline.dashboard.FloorRecords.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.pipeline.api.Authenticator;
import io.earshot.pipeline.api.Principal;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
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
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who may see and do what on the dashboard's endpoints, over real HTTP (the floor is fed by hand). */
class DashboardAuthIT {

    private static final Map<String, Principal> TOKENS = Map.of(
            "tok-blue", new Principal("sup-blue", Principal.Role.SUPERVISOR, Set.of("blue")),
            "tok-red", new Principal("sup-red", Principal.Role.SUPERVISOR, Set.of("red")),
            "tok-analyst", new Principal("ana", Principal.Role.ANALYST, Set.of()),
            "tok-admin", new Principal("root", Principal.Role.ADMIN, Set.of()),
            "tok-desk-b", Principal.agent("desk-b", "agent-b"));
    private static final Authenticator AUTH = token -> Optional.ofNullable(token == null ? null : TOKENS.get(token));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Server server;
    private static FloorState floor;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        floor = new FloorState(new AlertRules(new AlertRules.Thresholds(3, 0.35, 0.55, 1000, 10_000)));
        floor.apply(started("call-blue", "agent-b", "blue"));
        floor.apply(started("call-red", "agent-r", "red"));
        // both calls over the band: one alert per team
        floor.apply(summary("call-blue", "agent-b", "blue", 5000, 0.9, 1, List.of(), false));
        floor.apply(summary("call-red", "agent-r", "red", 5000, 0.9, 1, List.of(), false));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new DashboardHandler(floor, AUTH, Duration.ofMillis(50)));
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private static HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> ack(String alertId, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/api/floor/alerts/" + alertId + "/ack"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String alertOf(String team) {
        return floor.alerts().alerts().stream().filter(a -> team.equals(a.team())).findFirst().orElseThrow().id();
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/floor/snapshot", "/api/floor/stream", "/api/floor/calls/call-blue",
        "/api/floor/series?scope=AGENT&key=agent-b", "/agents/agent-b/nudges"})
    void shouldRefuseRequestsWithoutAToken(String path) throws Exception {
        HttpResponse<String> r = get(path, null);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(r.body()).doesNotContain("agent-b");
    }

    @Test
    void shouldRefuseAnUnknownToken() throws Exception {
        assertThat(get("/api/floor/snapshot", "nope").statusCode()).isEqualTo(401);
        assertThat(ack(alertOf("blue"), null).statusCode()).isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/floor/snapshot?token=tok-analyst", "/api/floor/stream?token=tok-analyst",
        "/api/floor/calls/call-blue?token=tok-analyst", "/agents/agent-b/nudges?token=tok-analyst"})
    void shouldRefuseEvenAValidTokenInTheUrl(String path) throws Exception {
        HttpResponse<String> r = get(path, null);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").asText()).contains("not accepted in URLs");
        assertThat(r.body()).doesNotContain("agent-b").doesNotContain("call-blue\"");
    }

    @Test
    void shouldServeThePageWithoutAToken() throws Exception {
        HttpResponse<String> r = get("/", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(r.body()).contains("dashboard.js");
    }

    @Test
    void shouldShowASupervisorOnlyTheirTeam() throws Exception {
        JsonNode snapshot = JSON.readTree(get("/api/floor/snapshot", "tok-blue").body());

        assertThat(texts(snapshot.get("agents"), "agentId")).containsExactly("agent-b");
        assertThat(texts(snapshot.get("calls"), "callId")).containsExactly("call-blue");
        assertThat(texts(snapshot.get("alerts"), "team")).containsExactly("blue");
        assertThat(snapshot.get("role").asText()).isEqualTo("SUPERVISOR");
    }

    @Test
    void shouldShowAnAnalystTheWholeFloor() throws Exception {
        JsonNode snapshot = JSON.readTree(get("/api/floor/snapshot", "tok-analyst").body());

        assertThat(texts(snapshot.get("agents"), "agentId")).containsExactly("agent-b", "agent-r");
        assertThat(texts(snapshot.get("alerts"), "team")).containsExactlyInAnyOrder("blue", "red");
    }

    @Test
    void shouldHideAnotherTeamsCallAndSeriesFromASupervisor() throws Exception {
        assertThat(get("/api/floor/calls/call-red", "tok-blue").statusCode()).isEqualTo(404);
        assertThat(get("/api/floor/series?scope=AGENT&key=agent-r", "tok-blue").statusCode()).isEqualTo(404);
        assertThat(get("/api/floor/series?scope=TEAM&key=red", "tok-blue").statusCode()).isEqualTo(404);

        HttpResponse<String> own = get("/api/floor/calls/call-blue", "tok-blue");
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(own.body()).at("/call/agentId").asText()).isEqualTo("agent-b");
    }

    @Test
    void shouldLetOnlyTheTeamsSupervisorOrAnAdminAcknowledge() throws Exception {
        String red = alertOf("red");

        assertThat(ack(red, "tok-blue").statusCode()).as("supervisor of another team").isEqualTo(404);
        assertThat(ack(red, "tok-analyst").statusCode()).as("analyst").isEqualTo(403);
        assertThat(floor.alerts().get(red).orElseThrow().acknowledged()).isFalse();

        HttpResponse<String> ok = ack(red, "tok-red");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).get("acknowledgedBy").asText()).isEqualTo("sup-red");
        assertThat(ack("a404", "tok-admin").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldStreamASupervisorsSnapshotWithTheTokenInTheHeader() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/floor/stream"))
                .header("Authorization", "Bearer tok-red").GET().build();
        HttpResponse<InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo("event: snapshot");
            String data = lines.readLine();
            assertThat(data).startsWith("data: ");
            JsonNode snapshot = JSON.readTree(data.substring("data: ".length()));
            assertThat(texts(snapshot.get("agents"), "agentId")).containsExactly("agent-r");
        }
    }

    @Test
    void shouldHideAnotherTeamsAgentsNudgeStreamFromASupervisor() throws Exception {
        assertThat(get("/agents/agent-r/nudges", "tok-blue").statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/floor/snapshot", "/api/floor/stream", "/api/floor/calls/call-blue",
        "/api/floor/series?scope=AGENT&key=agent-b", "/api/floor/series?scope=TEAM&key=blue"})
    void shouldRefuseAnAgentsTokenTheFloorEvenItsOwnAgentsCall(String path) throws Exception {
        HttpResponse<String> r = get(path, "tok-desk-b");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).doesNotContain("call-blue").contains("nudges only");
    }

    @Test
    void shouldRefuseAnAgentsTokenAcknowledgingAnAlertOfItsAgent() throws Exception {
        String blue = alertOf("blue");

        assertThat(ack(blue, "tok-desk-b").statusCode()).isEqualTo(403);
        assertThat(floor.alerts().get(blue).orElseThrow().acknowledged()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"agent-r", "agent-not-seen-yet"})
    void shouldRefuseAnAgentsTokenAnotherAgentsNudgeStream(String other) throws Exception {
        HttpResponse<String> r = get("/agents/" + other + "/nudges", "tok-desk-b");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).get("error").asText())
                .isEqualTo("this token opens the nudges of agent agent-b only");
    }

    @Test
    void shouldStreamTheAgentsNudgesRaisedAfterConnectingAndReplayThemAfterTheLastEventId() throws Exception {
        long before = floor.lastNudgeSeq();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/agents/agent-b/nudges"))
                .header("Authorization", "Bearer tok-blue").GET().build();
        HttpResponse<InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        // the agent's own desk, with its AGENT token, on the same stream
        HttpRequest desk = HttpRequest.newBuilder(base.resolve("/agents/agent-b/nudges"))
                .header("Authorization", "Bearer tok-desk-b").GET().build();
        HttpResponse<InputStream> d = HTTP.send(desk, HttpResponse.BodyHandlers.ofInputStream());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(d.statusCode()).isEqualTo(200);
        List<List<String>> nudges = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
                    BufferedReader deskLines = new BufferedReader(new InputStreamReader(d.body(), StandardCharsets.UTF_8))) {
                assertThat(lines.readLine()).isEqualTo("event: ready");
                assertThat(JSON.readTree(lines.readLine().substring("data: ".length())).get("team").asText())
                        .isEqualTo("blue");
                assertThat(lines.readLine()).isEmpty();
                assertThat(deskLines.readLine()).isEqualTo("event: ready");
                JsonNode hello = JSON.readTree(deskLines.readLine().substring("data: ".length()));
                assertThat(hello.get("agentId").asText()).isEqualTo("agent-b");
                assertThat(hello.get("team").isNull()).as("an agent's token sees no team").isTrue();
                assertThat(deskLines.readLine()).isEmpty();
                // a new interruption by agent-b, in running values emitted now
                floor.apply(io.earshot.schemas.CallSummaryComputed.newBuilder(
                                summary("call-blue", "agent-b", "blue", 9000, 0.5, 2, List.of(), false))
                        .setEmittedAt(java.time.Instant.now()).build());
                return List.of(List.of(lines.readLine(), lines.readLine(), lines.readLine()),
                        List.of(deskLines.readLine(), deskLines.readLine(), deskLines.readLine()));
            }
        });
        List<String> nudge = nudges.get(0);
        assertThat(nudges.get(1)).as("the agent's desk gets the same nudge").isEqualTo(nudge);

        assertThat(nudge.get(0)).startsWith("id: ");
        assertThat(nudge.get(1)).isEqualTo("event: nudge");
        JsonNode data = JSON.readTree(nudge.get(2).substring("data: ".length()));
        assertThat(data.get("kind").asText()).isEqualTo("INTERRUPTION");
        assertThat(data.get("callId").asText()).isEqualTo("call-blue");
        assertThat(data.get("seq").asLong()).isGreaterThan(before);

        // a reconnecting page names the last nudge it saw: it gets the ones after it
        HttpRequest again = HttpRequest.newBuilder(base.resolve("/agents/agent-b/nudges"))
                .header("Authorization", "Bearer tok-blue")
                .header("Last-Event-ID", String.valueOf(before)).GET().build();
        HttpResponse<InputStream> replay = HTTP.send(again, HttpResponse.BodyHandlers.ofInputStream());
        String replayed = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(replay.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null && !line.startsWith("id: ")) {
                    // the ready event
                }
                return line;
            }
        });
        assertThat(replayed).isEqualTo(nudge.get(0));
    }
}
