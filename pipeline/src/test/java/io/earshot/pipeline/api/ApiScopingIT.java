package io.earshot.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A supervisor of team blue asks every endpoint for team red's data, including that of agent-x,
 * who took a call for blue on 5 January and one for red on 6 January: only blue's part may show.
 */
class ApiScopingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String CALL_COLUMNS = "call_id, agent_id, team, queue, media_start, emitted_at, end_reason,"
            + " duration_ms, agent_talk_ms, customer_talk_ms, overlap_ms, silence_ms, agent_talk_share,"
            + " agent_interruptions, customer_interruptions, agent_interruptions_per_10min, agent_backchannels,"
            + " customer_backchannels, transfers, respected_transfers, pause_respect_rate, mean_response_gap_ms,"
            + " pause_intrusions, dead_air_count, dead_air_ms, longest_agent_monologue_ms, longest_customer_story_ms,"
            + " talk_share_low, talk_share_high, thresholds";
    private static final String WINDOW_COLUMNS = "scope, key, window_kind, window_start, window_end, call_time_ms,"
            + " agent_talk_ms, customer_talk_ms, overlap_ms, silence_ms, agent_interruptions,"
            + " agent_interruption_overlap_ms, customer_interruptions, agent_backchannels, customer_backchannels,"
            + " transfers, respected_transfers, response_gap_sum_ms, pause_intrusions, calls_ended";

    private static TestStore store;
    private static ApiServer server;
    private static String blue;
    private static String analyst;

    private static String call(String id, String agent, String team, String start, int interruptions) {
        return "('" + id + "', '" + agent + "', '" + team + "', 'q', '" + start + "', '" + start + "', 'ended', 600000,"
                + " 300000, 200000, 20000, 120000, 0.6, " + interruptions + ", 1, 3.0, 5, 2, 4, 3, 0.75, 250, 1, 1,"
                + " 6000, 45000, 30000, 0.35, 0.55, '{}')";
    }

    private static String window(String scope, String key, String kind, String start, String end, int interruptions) {
        return "('" + scope + "', '" + key + "', '" + kind + "', '" + start + "', '" + end + "', 600000, 300000, 200000,"
                + " 20000, 120000, " + interruptions + ", 3500, 1, 5, 2, 4, 3, 1000, 1, 1)";
    }

    @BeforeAll
    static void start() throws Exception {
        store = TestStore.start();
        store.execute("INSERT INTO calls (" + CALL_COLUMNS + ") VALUES "
                + call("x-blue", "agent-x", "blue", "2026-01-05T09:00:00Z", 1) + ", "
                + call("x-red", "agent-x", "red", "2026-01-06T10:00:00Z", 9) + ", "
                + call("y-red", "agent-y", "red", "2026-01-06T11:00:00Z", 7) + ";"
                + "INSERT INTO coaching_notes (call_id, seq, kind, at_ms, message) VALUES"
                + " ('x-blue', 0, 'PARAPHRASE', 1000, 'blue note'), ('x-red', 0, 'INTERRUPTION', 2000, 'red note');"
                + "INSERT INTO agent_windows (" + WINDOW_COLUMNS + ") VALUES "
                + window("AGENT", "agent-x", "DAILY", "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z", 1) + ", "
                + window("AGENT", "agent-x", "DAILY", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z", 9) + ", "
                + window("AGENT", "agent-x", "HOURLY", "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z", 1) + ", "
                + window("AGENT", "agent-x", "HOURLY", "2026-01-06T10:00:00Z", "2026-01-06T11:00:00Z", 9) + ", "
                + window("AGENT", "agent-y", "DAILY", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z", 7) + ", "
                + window("TEAM", "blue", "DAILY", "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z", 1) + ", "
                + window("TEAM", "red", "DAILY", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z", 16) + ";");
        TokenStore tokens = new TokenStore(store.dataSource());
        blue = tokens.create(Principal.Role.SUPERVISOR, Set.of("blue")).token();
        analyst = tokens.create(Principal.Role.ANALYST, Set.of()).token();
        server = new ApiServer("127.0.0.1", 0, new ApiHandler(new CallQueries(store.dataSource()), tokens)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.uri().resolve(path)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode json(String path, String token) throws Exception {
        HttpResponse<String> r = get(path, token);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> values(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    @Test
    void shouldGiveASupervisorOnlyTheWindowsOfTheirTeamOfAnAgentWhoWorkedForTwo() throws Exception {
        assertThat(values(json("/api/agents/agent-x/series?window=DAILY", blue).get("points"), "windowStart"))
                .containsExactly("2026-01-05T00:00:00Z");
        assertThat(values(json("/api/agents/agent-x/series?window=HOURLY", blue).get("points"), "windowStart"))
                .containsExactly("2026-01-05T09:00:00Z");
        assertThat(values(json("/api/agents/agent-x/series?window=DAILY", analyst).get("points"), "windowStart"))
                .as("an analyst sees both").containsExactly("2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z");
    }

    @Test
    void shouldRankAnAgentWhoWorkedForTwoTeamsOnTheSupervisorsTeamsWindowsOnly() throws Exception {
        JsonNode ranking = json("/api/ranking?window=DAILY", blue).get("ranking");

        assertThat(values(ranking, "key")).containsExactly("agent-x");
        assertThat(ranking.get(0).get("calls").asLong()).isEqualTo(1);
        assertThat(ranking.get(0).get("team").asText()).isEqualTo("blue");
        JsonNode all = json("/api/ranking?window=DAILY", analyst).get("ranking");
        assertThat(values(all, "key")).containsExactlyInAnyOrder("agent-x", "agent-y");
    }

    @Test
    void shouldAggregateAndCoachAnAgentWhoWorkedForTwoTeamsOnTheSupervisorsCallsOnly() throws Exception {
        assertThat(json("/api/agents/agent-x/aggregate", blue).get("calls").asLong()).isEqualTo(1);
        assertThat(json("/api/agents/agent-x/aggregate", blue).get("agentInterruptions").asLong()).isEqualTo(1);
        JsonNode coaching = json("/api/agents/agent-x/coaching", blue);
        assertThat(coaching.toString()).contains("blue note").doesNotContain("red note").doesNotContain("x-red");
    }

    @Test
    void shouldListAndOpenOnlyTheSupervisorsTeamsCalls() throws Exception {
        assertThat(values(json("/api/calls", blue).get("calls"), "callId")).containsExactly("x-blue");
        assertThat(values(json("/api/calls?agent=agent-x", blue).get("calls"), "callId")).containsExactly("x-blue");
        assertThat(values(json("/api/calls?team=red", blue).get("calls"), "callId")).isEmpty();
        assertThat(get("/api/calls/x-red", blue).statusCode()).isEqualTo(404);
        assertThat(get("/api/calls/x-blue", blue).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/teams/red/aggregate", "/api/teams/red/series?window=DAILY",
        "/api/agents/agent-y/aggregate", "/api/agents/agent-y/series?window=DAILY", "/api/agents/agent-y/coaching",
        "/api/ranking?team=red", "/api/calls?format=csv", "/api/agents/agent-x/series?window=DAILY&format=csv"})
    void shouldRefuseASupervisorAnotherTeamsAggregatesSeriesCoachingRankingAndEveryExport(String path)
            throws Exception {
        HttpResponse<String> r = get(path, blue);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).doesNotContain("agent-y\",").doesNotContain("x-red");
    }
}
