package io.earshot.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.analysis.listening.ListeningCounts;
import io.earshot.analysis.listening.ListeningScorer;
import io.earshot.analysis.listening.ScoreConfig;
import io.earshot.analysis.metrics.ListeningTotals;
import io.earshot.pipeline.cli.EarshotCli;
import io.earshot.pipeline.store.StoreRecords;
import io.earshot.schemas.CallSummaryComputed;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The API end to end: a real PostgreSQL with the store schema and the rows of
 * {@code api/store-rows.sql}, the API on a Jetty server beside another handler, and plain
 * HTTP requests. Expected values are computed from those rows.
 */
class ApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** A window's listening counts when it has none. */
    private static final String NO_COUNTS = """
            {"agentParaphrases":0,"agentSummaries":0,"agentEmpathy":0,"agentApologies":0,"agentOpenQuestions":0,
             "agentClarifyingQuestions":0,"agentClosedQuestions":0,"agentFollowUps":0,"agentRaisedVoice":0,
             "agentMonotone":0,"agentFastSpeech":0,"customerRaisedVoice":0,"customerAgitation":0}""";

    private static TestStore store;
    private static ApiServer server;
    private static ApiHandler handler;
    private static TokenStore tokens;
    private static String admin;
    private static String analyst;
    private static String billingSupervisor;
    private static String revoked;
    /** The desk of agent-1: an AGENT token, for its nudges on the dashboard only. */
    private static String agentDesk;
    private static ApiServer listeningServer;
    private static String listeningAnalyst;
    private static String eastSupervisor;

    @BeforeAll
    static void start() throws Exception {
        store = TestStore.start();
        try (InputStream in = ApiIT.class.getResourceAsStream("/api/store-rows.sql")) {
            store.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        tokens = new TokenStore(store.dataSource());
        admin = tokens.create(Principal.Role.ADMIN, Set.of()).token();
        analyst = tokens.create(Principal.Role.ANALYST, Set.of()).token();
        billingSupervisor = tokens.create(Principal.Role.SUPERVISOR, Set.of("billing")).token();
        TokenStore.IssuedToken toRevoke = tokens.create(Principal.Role.ADMIN, Set.of());
        tokens.revoke(toRevoke.info().tokenId());
        revoked = toRevoke.token();
        agentDesk = tokens.createForAgent("agent-1").token();
        handler = new ApiHandler(new CallQueries(store.dataSource()), tokens);
        Handler dashboard = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (!Request.getPathInContext(request).equals("/dashboard")) {
                    return false;
                }
                response.setStatus(200);
                response.write(true, StandardCharsets.UTF_8.encode("floor"), callback);
                return true;
            }
        };
        server = new ApiServer("127.0.0.1", 0, handler, dashboard).start();

        // the listening data set, in a second database of the same server, written as the store writer does
        DataSource listening = store.newDatabase("listening");
        StoreRecords.write(listening, ListeningRecords.calls().stream().map(ListeningRecords.Call::summary).toList(),
                ListeningRecords.windows());
        TokenStore listeningTokens = new TokenStore(listening);
        listeningAnalyst = listeningTokens.create(Principal.Role.ANALYST, Set.of()).token();
        eastSupervisor = listeningTokens.create(Principal.Role.SUPERVISOR, Set.of("east")).token();
        listeningServer = new ApiServer("127.0.0.1", 0,
                new ApiHandler(new CallQueries(listening), listeningTokens)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (listeningServer != null) {
            listeningServer.close();
        }
        if (store != null) {
            store.close();
        }
    }

    // ---- calls

    /** call-1 exactly as its row was inserted. */
    private static final String CALL_1 = """
            {"callId":"call-1","agentId":"agent-1","team":"billing","queue":"billing-q",
             "mediaStart":"2026-01-05T09:00:00Z","emittedAt":"2026-01-05T09:10:01Z","endReason":"ended",
             "durationMs":600000,"agentTalkMs":300000,"customerTalkMs":200000,"overlapMs":20000,"silenceMs":120000,
             "agentTalkShare":0.6,"talkShareLow":0.35,"talkShareHigh":0.55,"agentInterruptions":3,
             "customerInterruptions":1,"agentInterruptionsPer10Min":3.0,"agentBackchannels":5,"customerBackchannels":2,
             "transfers":4,"respectedTransfers":3,"pauseRespectRate":0.75,"meanResponseGapMs":250,"pauseIntrusions":1,
             "deadAirCount":1,"deadAirMs":6000,"longestAgentMonologueMs":45000,"longestCustomerStoryMs":30000,
             "transcriptionSkippedRegions":0,"transcriptionSkippedSpeechMs":0,"maxTranscriptionLagMs":0,
             "listeningScore":null,"redaction":null}""";

    @Test
    void shouldListAllCallsNewestFirstWithTotal() throws Exception {
        JsonNode body = json(get("/api/calls", analyst), 200);
        assertThat(ids(body)).containsExactly("call-4", "call-3", "call-2", "call-5", "call-1");
        assertThat(body.get("total").asLong()).isEqualTo(5);
        assertThat(body.get("limit").asInt()).isEqualTo(100);
        assertThat(body.get("offset").asInt()).isZero();
        assertThat(body.get("sort").asText()).isEqualTo("-startTime");
        assertThat(body.get("calls").get(4)).isEqualTo(JSON.readTree(CALL_1));
        JsonNode silent = body.get("calls").get(3);
        assertThat(silent.get("agentTalkShare").isNull()).isTrue();
        assertThat(silent.get("pauseRespectRate").isNull()).isTrue();
        assertThat(silent.get("meanResponseGapMs").isNull()).isTrue();
    }

    @Test
    void shouldFilterByInterruptionRateAbove() throws Exception {
        assertThat(ids(json(get("/api/calls?minInterruptionsPer10Min=3.5", analyst), 200)))
                .containsExactly("call-4", "call-3");
        assertThat(ids(json(get("/api/calls?minInterruptionsPer10Min=0.5&maxInterruptionsPer10Min=3", analyst), 200)))
                .containsExactly("call-2", "call-1");
    }

    @Test
    void shouldFilterTalkShareOutsideAndInsideTheCallsBand() throws Exception {
        // call-1 0.6 above 0.55, call-3 0.2 below 0.35; call-5 (nobody spoke) is neither
        assertThat(ids(json(get("/api/calls?talkShare=outside", analyst), 200))).containsExactly("call-3", "call-1");
        assertThat(ids(json(get("/api/calls?talkShare=inside", analyst), 200))).containsExactly("call-4", "call-2");
    }

    @Test
    void shouldFilterByTimeRangeTeamQueueAgentDurationAndEndReason() throws Exception {
        assertThat(ids(json(get("/api/calls?from=2026-01-06&to=2026-01-07", analyst), 200)))
                .containsExactly("call-3", "call-2");
        assertThat(ids(json(get("/api/calls?from=2026-01-06T10:00:00Z&to=2026-01-06T11:00:00Z", analyst), 200)))
                .containsExactly("call-2");
        assertThat(ids(json(get("/api/calls?team=support", analyst), 200))).containsExactly("call-4", "call-5");
        assertThat(ids(json(get("/api/calls?queue=tech-q&team=billing", analyst), 200))).containsExactly("call-3");
        assertThat(ids(json(get("/api/calls?agent=agent-1", analyst), 200))).containsExactly("call-2", "call-1");
        assertThat(ids(json(get("/api/calls?minDurationMs=900000", analyst), 200))).containsExactly("call-4", "call-2");
        assertThat(ids(json(get("/api/calls?endReason=inactivity", analyst), 200))).containsExactly("call-3");
    }

    @Test
    void shouldSortAndPage() throws Exception {
        // durations: call-3 300 s, call-1 and call-5 600 s (tie broken by id), call-4 900 s, call-2 1200 s
        JsonNode page = json(get("/api/calls?sort=duration&limit=2&offset=1", analyst), 200);
        assertThat(ids(page)).containsExactly("call-1", "call-5");
        assertThat(page.get("total").asLong()).isEqualTo(5);
        assertThat(ids(json(get("/api/calls?sort=-interruptionRate", analyst), 200)))
                .containsExactly("call-4", "call-3", "call-1", "call-2", "call-5");
        assertThat(ids(json(get("/api/calls?sort=talkShare", analyst), 200)))
                .containsExactly("call-3", "call-2", "call-4", "call-1", "call-5");
    }

    @Test
    void shouldRejectBadParametersNamingThem() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("/api/calls?from=yesterday", "from");
        cases.put("/api/calls?to=2026-13-01", "to");
        cases.put("/api/calls?from=2026-01-07&to=2026-01-06", "to");
        cases.put("/api/calls?minInterruptionsPer10Min=many", "minInterruptionsPer10Min");
        cases.put("/api/calls?maxInterruptionsPer10Min=-1", "maxInterruptionsPer10Min");
        cases.put("/api/calls?talkShare=sideways", "talkShare");
        cases.put("/api/calls?minDurationMs=1.5", "minDurationMs");
        cases.put("/api/calls?endReason=hangup", "endReason");
        cases.put("/api/calls?limit=0", "limit");
        cases.put("/api/calls?limit=1001", "limit");
        cases.put("/api/calls?offset=-1", "offset");
        cases.put("/api/calls?sort=agent_id;drop%20table%20calls", "sort");
        cases.put("/api/calls?format=xml", "format");
        cases.put("/api/calls?colour=red", "colour");
        cases.put("/api/agents/agent-1/series?from=2026-01-05", "window");
        cases.put("/api/agents/agent-1/series?window=WEEKLY", "window");
        cases.put("/api/teams/billing/aggregate?from=noon", "from");
        cases.put("/api/calls?minScore=good", "minScore");
        cases.put("/api/calls?minScore=-1", "minScore");
        cases.put("/api/calls?maxScore=100.5", "maxScore");
        cases.put("/api/calls?minScore=60&maxScore=50", "maxScore");
        cases.put("/api/ranking?scope=QUEUE", "scope");
        cases.put("/api/ranking?window=WEEKLY", "window");
        cases.put("/api/ranking?limit=0", "limit");
        cases.put("/api/agents/agent-1/coaching?to=later", "to");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            JsonNode error = json(get(c.getKey(), analyst), 400);
            assertThat(error.get("parameter").asText()).as(c.getKey()).isEqualTo(c.getValue());
            assertThat(error.get("error").asText()).as(c.getKey()).startsWith(c.getValue() + ":");
        }
        assertThat(json(get("/api/calls?sort=duration", analyst), 200).get("calls")).hasSize(5);
    }

    @Test
    void shouldAnswerUnknownCallAndPathWith404() throws Exception {
        assertThat(json(get("/api/calls/no-such-call", admin), 404).get("error").asText()).contains("no-such-call");
        assertThat(get("/api/nothing-here", admin).statusCode()).isEqualTo(404);
        HttpResponse<byte[]> wrongMethod = send(HttpRequest.newBuilder(uri("/api/calls"))
                .header("Authorization", "Bearer " + admin).DELETE());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void shouldLeaveOtherPathsToTheOtherHandlers() throws Exception {
        HttpResponse<byte[]> response = get("/dashboard", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("floor");
    }

    @Test
    void shouldAnswer500InJsonWhenTheStoreFailsNot401() throws Exception {
        PGSimpleDataSource broken = new PGSimpleDataSource();
        broken.setURL("jdbc:postgresql://127.0.0.1:1/nothing-listens-here");
        ApiHandler open = new ApiHandler(new CallQueries(broken), new TokenStore(broken), Authenticator.openDemo());
        ApiHandler guarded = new ApiHandler(new CallQueries(broken), new TokenStore(broken));
        for (ApiHandler api : List.of(open, guarded)) {
            try (ApiServer other = new ApiServer("127.0.0.1", 0, api).start()) {
                HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(other.uri().resolve("/api/calls"))
                        .header("Authorization", "Bearer " + analyst).build(), HttpResponse.BodyHandlers.ofByteArray());
                JsonNode body = json(r, 500);
                assertThat(body.get("error").asText()).isEqualTo("internal error");
                assertThat(body.get("id").asText()).as("an id to find the cause in the log").isNotBlank();
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("nothing-listens-here")
                        .doesNotContain("127.0.0.1:1").doesNotContainIgnoringCase("connection")
                        .doesNotContainIgnoringCase("exception");
            }
        }
    }

    // ---- one call

    @Test
    void shouldServeACallsTimeline() throws Exception {
        JsonNode timeline = json(get("/api/calls/call-1", analyst), 200);
        assertThat(timeline.get("call")).isEqualTo(JSON.readTree(CALL_1));
        assertThat(timeline.get("thresholds")).isEqualTo(
                JSON.readTree("{\"talkShareLow\":0.35,\"talkShareHigh\":0.55,\"respectGapMs\":300}"));
        assertThat(timeline.get("segments")).isEqualTo(JSON.readTree("""
                [{"role":"AGENT","seq":0,"startMs":200,"endMs":2060,"pitchMedianHz":194.1,"pitchRangeSemitones":13.1,
                  "loudnessDbfs":-21.4,"voicedRatio":0.67},
                 {"role":"CUSTOMER","seq":0,"startMs":2280,"endMs":6440,"pitchMedianHz":null,"pitchRangeSemitones":null,
                  "loudnessDbfs":-20.3,"voicedRatio":0.45}]"""));
        assertThat(timeline.get("utterances")).isEqualTo(JSON.readTree("""
                [{"role":"AGENT","seq":0,"startMs":210,"endMs":2070,"text":"northwind energy",
                  "words":[{"word":"northwind","startMs":210,"endMs":900,"conf":0.9},
                           {"word":"energy","startMs":950,"endMs":2070,"conf":1.0}]},
                 {"role":"CUSTOMER","seq":0,"startMs":2300,"endMs":6470,"text":"my bill",
                  "words":[{"word":"my","startMs":2300,"endMs":2500,"conf":1.0},
                           {"word":"bill","startMs":2550,"endMs":6470,"conf":0.8}]}]"""));
        assertThat(timeline.get("interruptions")).isEqualTo(JSON.readTree("""
                [{"seq":0,"by":"AGENT","of":"CUSTOMER","startMs":5260,"overlapMs":1180,"successful":true,
                  "byWords":"let me pull up your account","ofWords":"nothing has changed at"}]"""));
        assertThat(timeline.get("backchannels")).isEqualTo(JSON.readTree("""
                [{"seq":0,"by":"AGENT","startMs":3760,"endMs":4200,"text":""}]"""));
        assertThat(timeline.get("responseGaps")).isEqualTo(JSON.readTree("""
                [{"seq":0,"customerEndMs":10000,"agentStartMs":9800,"gapMs":-200,"respected":false},
                 {"seq":1,"customerEndMs":30000,"agentStartMs":30400,"gapMs":400,"respected":true},
                 {"seq":2,"customerEndMs":60000,"agentStartMs":60500,"gapMs":500,"respected":true},
                 {"seq":3,"customerEndMs":90000,"agentStartMs":90300,"gapMs":300,"respected":true}]"""));
        assertThat(timeline.get("deadAir")).isEqualTo(JSON.readTree("[{\"seq\":0,\"startMs\":100000,\"endMs\":106000}]"));
        assertThat(json(get("/api/calls/call-5", analyst), 200).get("segments")).isEmpty();
        // path segments are percent-decoded once
        assertThat(json(get("/api/calls/call%2D1", analyst), 200).get("call").get("callId").asText()).isEqualTo("call-1");
    }

    // ---- aggregates and series

    @Test
    void shouldAggregateAnAgentsCallsFromSums() throws Exception {
        JsonNode a = json(get("/api/agents/agent-1/aggregate", analyst), 200);
        // call-1 + call-2
        assertThat(a).isEqualTo(aggregate("AGENT", "agent-1", null, null, 2, 1_800_000, 700_000, 800_000, 30_000,
                330_000, 4, 1, 13, 3, 6, 5, 2000, 1, 1, 6000));
        assertThat(a.get("agentTalkShare").asDouble()).isEqualTo(700_000.0 / 1_500_000);
        assertThat(a.get("agentInterruptionsPer10Min").asDouble()).isEqualTo(4 * 600_000.0 / 1_800_000);
        assertThat(a.get("pauseRespectRate").asDouble()).isEqualTo(5.0 / 6);
        assertThat(a.get("meanResponseGapMs").asDouble()).isEqualTo(2000.0 / 6);
        JsonNode day = json(get("/api/agents/agent-1/aggregate?from=2026-01-06&to=2026-01-07", analyst), 200);
        assertThat(day).isEqualTo(aggregate("AGENT", "agent-1", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z", 1,
                1_200_000, 400_000, 600_000, 10_000, 210_000, 1, 0, 8, 1, 2, 2, 1000, 0, 0, 0));
    }

    @Test
    void shouldAggregateATeamOverAnyRange() throws Exception {
        // billing on 6 January: call-2 and call-3
        JsonNode t = json(get("/api/teams/billing/aggregate?from=2026-01-06T00:00:00Z&to=2026-01-07T00:00:00Z",
                analyst), 200);
        assertThat(t).isEqualTo(aggregate("TEAM", "billing", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z", 2,
                1_500_000, 460_000, 840_000, 15_000, 215_000, 3, 0, 8, 4, 3, 2, 900, 0, 0, 0));
        assertThat(t.get("agentInterruptionsPer10Min").asDouble()).isEqualTo(1.2);
        assertThat(t.get("meanResponseGapMs").asDouble()).isEqualTo(300.0);
        // support over all time: call-5 has no talk, so the share is call-4's alone
        JsonNode support = json(get("/api/teams/support/aggregate", analyst), 200);
        assertThat(support.get("calls").asLong()).isEqualTo(2);
        assertThat(support.get("agentTalkShare").asDouble()).isEqualTo(0.5);
        assertThat(support.get("agentInterruptionsPer10Min").asDouble()).isEqualTo(6 * 600_000.0 / 1_500_000);
        JsonNode empty = json(get("/api/teams/nobody/aggregate", analyst), 200);
        assertThat(empty.get("calls").asLong()).isZero();
        assertThat(empty.get("agentTalkShare").isNull()).isTrue();
        assertThat(empty.get("agentInterruptionsPer10Min").isNull()).isTrue();
    }

    @Test
    void shouldServeAnAgentsDailyAndHourlySeries() throws Exception {
        JsonNode daily = json(get("/api/agents/agent-1/series?window=DAILY&from=2026-01-05&to=2026-01-07", analyst), 200);
        assertThat(daily.get("scope").asText()).isEqualTo("AGENT");
        assertThat(daily.get("window").asText()).isEqualTo("DAILY");
        assertThat(daily.get("from").asText()).isEqualTo("2026-01-05T00:00:00Z");
        assertThat(daily.get("points")).isEqualTo(JSON.readTree("""
                [{"windowStart":"2026-01-05T00:00:00Z","windowEnd":"2026-01-06T00:00:00Z","callTimeMs":600000,
                  "agentTalkMs":300000,"customerTalkMs":200000,"overlapMs":20000,"silenceMs":120000,"agentInterruptions":3,
                  "agentInterruptionOverlapMs":3500,"customerInterruptions":1,"agentBackchannels":5,"customerBackchannels":2,
                  "transfers":4,"respectedTransfers":3,"responseGapSumMs":1000,"pauseIntrusions":1,"callsEnded":1,
                  "agentTalkShare":0.6,"agentInterruptionsPer10Min":3.0,"pauseRespectRate":0.75,"meanResponseGapMs":250,
                  "listening":%s,"listeningScore":null},
                 {"windowStart":"2026-01-06T00:00:00Z","windowEnd":"2026-01-07T00:00:00Z","callTimeMs":1200000,
                  "agentTalkMs":400000,"customerTalkMs":600000,"overlapMs":10000,"silenceMs":210000,"agentInterruptions":1,
                  "agentInterruptionOverlapMs":900,"customerInterruptions":0,"agentBackchannels":8,"customerBackchannels":1,
                  "transfers":2,"respectedTransfers":2,"responseGapSumMs":1000,"pauseIntrusions":0,"callsEnded":1,
                  "agentTalkShare":0.4,"agentInterruptionsPer10Min":0.5,"pauseRespectRate":1.0,"meanResponseGapMs":500,
                  "listening":%s,"listeningScore":null}]""".formatted(NO_COUNTS, NO_COUNTS)));
        JsonNode oneDay = json(get("/api/agents/agent-1/series?window=daily&from=2026-01-06", analyst), 200);
        assertThat(oneDay.get("points")).hasSize(1);
        JsonNode hourly = json(get("/api/agents/agent-1/series?window=HOURLY", analyst), 200);
        assertThat(hourly.get("points")).hasSize(1);
        assertThat(hourly.get("points").get(0).get("windowStart").asText()).isEqualTo("2026-01-05T09:00:00Z");
        JsonNode team = json(get("/api/teams/billing/series?window=DAILY", analyst), 200);
        assertThat(team.get("scope").asText()).isEqualTo("TEAM");
        assertThat(team.get("points")).hasSize(1);
        assertThat(team.get("points").get(0).get("responseGapSumMs").asLong()).isEqualTo(900);
    }

    // ---- exports

    @Test
    void shouldExportAFilteredCallsListAsCsv() throws Exception {
        HttpResponse<byte[]> csv = get("/api/calls?talkShare=outside&format=csv", analyst);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
        assertThat(new String(csv.body(), StandardCharsets.UTF_8)).isEqualTo(String.join("\r\n",
                "callId,agentId,team,queue,mediaStart,endReason,durationMs,agentTalkMs,customerTalkMs,overlapMs,"
                        + "silenceMs,agentTalkShare,talkShareLow,talkShareHigh,agentInterruptions,customerInterruptions,"
                        + "agentInterruptionsPer10Min,agentBackchannels,customerBackchannels,transfers,respectedTransfers,"
                        + "pauseRespectRate,meanResponseGapMs,pauseIntrusions,deadAirCount,deadAirMs,"
                        + "longestAgentMonologueMs,longestCustomerStoryMs,listeningScore,redaction",
                "call-3,agent-2,billing,tech-q,2026-01-06T11:00:00Z,inactivity,300000,60000,240000,5000,5000,0.2,0.35,"
                        + "0.55,2,0,4.0,0,3,1,0,0.0,-100,0,0,0,20000,90000,,",
                "call-1,agent-1,billing,billing-q,2026-01-05T09:00:00Z,ended,600000,300000,200000,20000,120000,0.6,"
                        + "0.35,0.55,3,1,3.0,5,2,4,3,0.75,250,1,1,6000,45000,30000,,",
                ""));
        // the Accept header chooses the format too, and an export is not limited to a page
        HttpResponse<byte[]> all = send(HttpRequest.newBuilder(uri("/api/calls?team=support"))
                .header("Authorization", "Bearer " + analyst).header("Accept", "text/csv").GET());
        List<String> lines = new String(all.body(), StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).isEqualTo("call-5,agent-3,support,tech-q,2026-01-05T14:00:00Z,ended,600000,0,0,0,"
                + "600000,,0.35,0.55,0,0,0.0,0,0,0,0,,,0,1,600000,0,0,,");
        List<String> series = new String(get("/api/agents/agent-1/series?window=HOURLY&format=csv", admin).body(),
                StandardCharsets.UTF_8).lines().toList();
        assertThat(series).containsExactly(
                "windowStart,windowEnd,callTimeMs,agentTalkMs,customerTalkMs,overlapMs,silenceMs,agentInterruptions,"
                        + "agentInterruptionOverlapMs,customerInterruptions,agentBackchannels,customerBackchannels,"
                        + "transfers,respectedTransfers,responseGapSumMs,pauseIntrusions,callsEnded,agentTalkShare,"
                        + "agentInterruptionsPer10Min,pauseRespectRate,meanResponseGapMs,agentParaphrases,"
                        + "agentSummaries,agentEmpathy,agentApologies,agentOpenQuestions,agentClarifyingQuestions,"
                        + "agentClosedQuestions,agentFollowUps,agentRaisedVoice,agentMonotone,agentFastSpeech,"
                        + "customerRaisedVoice,customerAgitation,listeningScore",
                "2026-01-05T09:00:00Z,2026-01-05T10:00:00Z,600000,300000,200000,20000,120000,3,3500,1,5,2,4,3,1000,1,1,"
                        + "0.6,3.0,0.75,250,0,0,0,0,0,0,0,0,0,0,0,0,0,");
    }

    @Test
    void shouldExportCallsAsParquetThatReadsBackToTheSameRows(@TempDir Path dir) throws Exception {
        HttpResponse<byte[]> response = get("/api/calls?sort=agent&format=parquet", analyst);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/vnd.apache.parquet");
        byte[] bytes = response.body();
        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        Path file = dir.resolve("calls.parquet");
        Files.write(file, bytes);

        List<CallRow> expected = new CallQueries(store.dataSource()).calls(CallFilter.all()
                .withSort(CallFilter.Sort.parse("agent")));
        assertThat(expected).extracting(CallRow::callId).containsExactly("call-1", "call-2", "call-3", "call-4", "call-5");
        List<List<Object>> read = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = duck.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM read_parquet('" + file + "')")) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                columns.add(rs.getMetaData().getColumnName(i));
            }
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns.size(); i++) {
                    Object v = rs.getObject(i);
                    row.add(v instanceof Timestamp t ? t.toLocalDateTime().toInstant(ZoneOffset.UTC) : v);
                }
                read.add(row);
            }
        }
        assertThat(columns).containsExactlyElementsOf(Export.CALL_COLUMNS.stream().map(Export.Column::name).toList());
        List<List<Object>> want = expected.stream().map(r -> Export.CALL_COLUMNS.stream()
                .map(c -> c.value().apply(r)).toList()).toList();
        assertThat(read).hasSameSizeAs(want);
        for (int r = 0; r < want.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                Object w = want.get(r).get(c);
                Object got = read.get(r).get(c);
                if (w instanceof Long || w instanceof Double) {
                    assertThat(got).as(columns.get(c)).isInstanceOf(Number.class);
                    assertThat(((Number) got).doubleValue()).as(columns.get(c)).isEqualTo(((Number) w).doubleValue());
                } else {
                    assertThat(got).as(columns.get(c) + " of row " + r).isEqualTo(w);
                }
            }
        }
        assertThat(read.get(0).get(4)).isEqualTo(Instant.parse("2026-01-05T09:00:00Z"));
        assertThat(read.get(4).get(11)).isNull(); // call-5's talk share
    }

    // ---- listening: behaviours, tone, scores, rankings and coaching (ListeningRecords)

    @Test
    void shouldServeACallsListeningAsStored() throws Exception {
        CallSummaryComputed l1 = ListeningRecords.L1.summary();
        JsonNode t = json(listening("/api/calls/L-1", listeningAnalyst), 200);

        List<Map<String, Object>> behaviours = new ArrayList<>();
        l1.getBehaviours().forEach(b -> behaviours.add(ordered("by", b.getBy().name(), "kind", b.getKind(),
                "startMs", b.getStartMs(), "endMs", b.getEndMs(), "text", b.getText(), "reason", b.getReason())));
        assertThat(t.get("behaviours")).isEqualTo(tree(behaviours));
        List<Map<String, Object>> tone = new ArrayList<>();
        l1.getToneEvents().forEach(e -> tone.add(ordered("by", e.getBy().name(), "kind", e.getKind(),
                "startMs", e.getStartMs(), "endMs", e.getEndMs(), "values", e.getValues())));
        assertThat(t.get("toneEvents")).isEqualTo(tree(tone));
        assertThat(t.get("speakingRateWpm")).isEqualTo(JSON.readTree("{\"AGENT\":150.0,\"CUSTOMER\":130.0}"));
        assertThat(t.get("voiceBaselines")).isEqualTo(JSON.readTree("""
                [{"role":"AGENT","pitchSemitones":14.2,"loudnessDbfs":-21.0,"speakingRateWpm":150.0,"speechMs":200000,
                  "words":480},
                 {"role":"CUSTOMER","pitchSemitones":null,"loudnessDbfs":-20.5,"speakingRateWpm":130.0,"speechMs":300000,
                  "words":610}]"""));
        List<Map<String, Object>> components = new ArrayList<>();
        l1.getListeningScore().getComponents().forEach(c -> components.add(ordered("name", c.getName(),
                "value", c.getValue(), "weight", c.getWeight(), "points", c.getPoints())));
        assertThat(t.get("listeningScore")).isEqualTo(tree(ordered("score", l1.getListeningScore().getScore(),
                "components", components, "thresholds", l1.getListeningScore().getThresholds())));
        assertThat(t.at("/listeningScore/score").asDouble()).isEqualTo(95.0);
        List<Map<String, Object>> coaching = new ArrayList<>();
        l1.getCoaching().forEach(n -> coaching.add(ordered("kind", n.getKind(), "atMs", n.getAtMs(),
                "message", n.getMessage())));
        assertThat(t.get("coaching")).isEqualTo(tree(coaching));
        assertThat(t.at("/call/listeningScore").asDouble()).isEqualTo(95.0);

        JsonNode unscored = json(listening("/api/calls/L-3", listeningAnalyst), 200);
        assertThat(unscored.get("listeningScore").isNull()).isTrue();
        assertThat(unscored.at("/call/listeningScore").isNull()).isTrue();
        assertThat(unscored.get("behaviours")).isEmpty();
        assertThat(unscored.get("coaching")).isEmpty();
    }

    @Test
    void shouldFilterAndSortCallsByListeningScoreInclusively() throws Exception {
        // L-4 100, L-1 95, L-2 10, L-3 none
        assertThat(ids(json(listening("/api/calls?minScore=50&sort=-listeningScore", listeningAnalyst), 200)))
                .containsExactly("L-4", "L-1");
        assertThat(ids(json(listening("/api/calls?maxScore=50", listeningAnalyst), 200))).containsExactly("L-2");
        assertThat(ids(json(listening("/api/calls?minScore=95&maxScore=95", listeningAnalyst), 200)))
                .containsExactly("L-1");
        assertThat(ids(json(listening("/api/calls?minScore=95.1&maxScore=99.9", listeningAnalyst), 200))).isEmpty();
        assertThat(ids(json(listening("/api/calls?sort=listeningScore", listeningAnalyst), 200)))
                .containsExactly("L-2", "L-1", "L-4", "L-3");
        assertThat(json(listening("/api/calls?minScore=0x10", listeningAnalyst), 400).get("error").asText())
                .isEqualTo("minScore: not a number: 0x10 (a listening score from 0 to 100)");
        List<String> csv = new String(listening("/api/calls?sort=listeningScore&format=csv", listeningAnalyst).body(),
                StandardCharsets.UTF_8).lines().toList();
        assertThat(csv.get(0)).endsWith(",longestCustomerStoryMs,listeningScore,redaction");
        // the score is the column before the last (redaction)
        assertThat(csv.subList(1, 5)).extracting(line -> line.split(",", -1)[line.split(",", -1).length - 2])
                .containsExactly("10.0", "95.0", "100.0", "");
    }

    @Test
    void shouldScoreAnAgentsAggregateFromItsSummedCallsNotTheMeanOfTheirScores() throws Exception {
        JsonNode a = json(listening("/api/agents/a-1/aggregate", listeningAnalyst), 200);
        ListeningTotals sum = ListeningRecords.L1.totals().plus(ListeningRecords.L2.totals());

        // counted from the stored behaviour and tone rows: the agent's only, by the job's rule
        assertThat(a.get("listening")).isEqualTo(tree(sum.listening()));
        assertThat(a.at("/listening/agentOpenQuestions").asLong()).isEqualTo(2);
        assertThat(a.at("/listening/customerAgitation").asLong()).isEqualTo(1);
        assertThat(a.get("listeningScore")).isEqualTo(tree(ListeningScoreView.of(ListeningRecords.score(sum))));
        double mean = (ListeningRecords.L1.summary().getListeningScore().getScore()
                + ListeningRecords.L2.summary().getListeningScore().getScore()) / 2;
        assertThat(mean).isEqualTo(52.5);
        assertThat(a.at("/listeningScore/score").asDouble()).isEqualTo(64.4);
        assertThat(a.at("/listeningScore/thresholds/talkShareLow").asDouble()).isEqualTo(0.35);
        // one day: L-2 alone, scored as the call itself was
        JsonNode day = json(listening("/api/agents/a-1/aggregate?from=2026-02-03&to=2026-02-04", listeningAnalyst), 200);
        assertThat(day.at("/listeningScore/score").asDouble()).isEqualTo(10.0);
        JsonNode team = json(listening("/api/teams/east/aggregate", listeningAnalyst), 200);
        assertThat(team.get("calls").asLong()).isEqualTo(3);
        assertThat(team.get("listeningScore")).isEqualTo(tree(ListeningScoreView.of(ListeningRecords.score(
                sum.plus(ListeningRecords.L4.totals())))));
    }

    @Test
    void shouldCarryListeningCountsAndScoresInSeries() throws Exception {
        JsonNode points = json(listening("/api/agents/a-1/series?window=DAILY", listeningAnalyst), 200).get("points");
        assertThat(points).hasSize(2);
        assertThat(points.get(0).get("listening")).isEqualTo(tree(ListeningRecords.GOOD.listening()));
        assertThat(points.get(0).get("listeningScore").asDouble()).isEqualTo(100.0);
        assertThat(points.get(1).get("listeningScore").asDouble()).isEqualTo(11.1);
        JsonNode empty = json(listening("/api/agents/a-3/series?window=DAILY", listeningAnalyst), 200).get("points");
        assertThat(empty.get(0).get("listeningScore").isNull()).isTrue();
        List<String> csv = new String(listening("/api/agents/a-2/series?window=DAILY&format=csv", listeningAnalyst)
                .body(), StandardCharsets.UTF_8).lines().toList();
        assertThat(csv.get(0)).endsWith(",agentParaphrases,agentSummaries,agentEmpathy,agentApologies,"
                + "agentOpenQuestions,agentClarifyingQuestions,agentClosedQuestions,agentFollowUps,agentRaisedVoice,"
                + "agentMonotone,agentFastSpeech,customerRaisedVoice,customerAgitation,listeningScore");
        assertThat(csv.get(1)).endsWith(",1,0,0,1,1,0,2,0,0,0,0,1,0,"
                + ListeningRecords.score(ListeningRecords.MEDIUM).score());
    }

    @Test
    void shouldRankAgentsByTheScoreOfTheirSummedWindowsWithoutScoreLast() throws Exception {
        JsonNode r = json(listening("/api/ranking?scope=AGENT&window=DAILY", listeningAnalyst), 200);
        assertThat(r.get("scope").asText()).isEqualTo("AGENT");
        assertThat(r.get("window").asText()).isEqualTo("DAILY");
        JsonNode ranking = r.get("ranking");
        assertThat(keys(ranking)).containsExactly("a-1", "a-2", "a-3");
        assertThat(ranking.findValuesAsText("team")).containsExactly("east", "east", "west");
        ListeningTotals a1 = ListeningRecords.GOOD.plus(ListeningRecords.BAD);
        assertThat(ranking.get(0).get("listeningScore")).isEqualTo(tree(ListeningScoreView.of(ListeningRecords.score(a1))));
        assertThat(ranking.get(0).get("calls").asLong()).isEqualTo(6);
        assertThat(ranking.get(0).get("callTimeMs").asLong()).isEqualTo(3_120_000);
        assertThat(ranking.get(0).get("listening")).isEqualTo(tree(a1.listening()));
        assertThat(ranking.get(2).at("/listeningScore/score").isNull()).isTrue();
        // averaging the daily scores would have put a-2 first
        assertThat(meanDailyScore("a-1")).isLessThan(meanDailyScore("a-2"));
        assertThat(ranking.get(0).at("/listeningScore/score").asDouble())
                .isGreaterThan(ranking.get(1).at("/listeningScore/score").asDouble());

        assertThat(keys(json(listening("/api/ranking?limit=1", listeningAnalyst), 200).get("ranking")))
                .containsExactly("a-1");
        assertThat(keys(json(listening("/api/ranking?scope=team", listeningAnalyst), 200).get("ranking")))
                .containsExactly("east", "west");
        assertThat(keys(json(listening("/api/ranking?team=east", listeningAnalyst), 200).get("ranking")))
                .containsExactly("a-1", "a-2");
        assertThat(keys(json(listening("/api/ranking?from=2026-02-03", listeningAnalyst), 200).get("ranking")))
                .containsExactly("a-2", "a-1", "a-3");
        assertThat(json(listening("/api/ranking?window=HOURLY", listeningAnalyst), 200).get("ranking")).isEmpty();
    }

    @Test
    void shouldRankOnlyASupervisorsTeamsAndTheirAgents() throws Exception {
        assertThat(keys(json(listening("/api/ranking", eastSupervisor), 200).get("ranking")))
                .containsExactly("a-1", "a-2");
        assertThat(keys(json(listening("/api/ranking?scope=TEAM", eastSupervisor), 200).get("ranking")))
                .containsExactly("east");
        assertThat(listening("/api/ranking?team=west", eastSupervisor).statusCode()).isEqualTo(403);
        assertThat(listening("/api/agents/a-3/coaching", eastSupervisor).statusCode()).isEqualTo(403);
        assertThat(listening("/api/agents/a-1/coaching", eastSupervisor).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldCoachAnAgentOnTheStrengthsAndGapsOfItsSummedCalls() throws Exception {
        JsonNode c = json(listening("/api/agents/a-1/coaching", listeningAnalyst), 200);
        assertThat(c.get("agentId").asText()).isEqualTo("a-1");
        assertThat(c.get("calls").asLong()).isEqualTo(2);
        assertThat(c.get("listeningScore")).isEqualTo(tree(ListeningScoreView.of(ListeningRecords.score(
                ListeningRecords.L1.totals().plus(ListeningRecords.L2.totals())))));
        // talk share 0.53 in the band, 0.86 backchannels a minute, no monotone; 2 interruptions per 10 min,
        // half the pauses respected, one raised voice in 15 minutes; the rest earn two thirds
        assertThat(c.get("strengths").findValuesAsText("name")).containsExactly("talk_share", "backchannels",
                "lively_voice");
        assertThat(c.get("gaps").findValuesAsText("name")).containsExactly("interruptions", "pause_respect",
                "calm_voice");
        assertThat(c.at("/gaps/1")).isEqualTo(JSON.readTree(
                "{\"name\":\"pause_respect\",\"value\":0.5,\"weight\":15.0,\"points\":7.5}"));
        assertThat(c.get("notes")).isEqualTo(JSON.readTree("""
                [{"kind":"interruption","count":2,"example":{"callId":"L-2","atMs":7000,
                  "message":"You cut in three times; the first at 0:07."}},
                 {"kind":"good_open_question","count":1,"example":{"callId":"L-1","atMs":20000,
                  "message":"Good open question at 0:20."}}]"""));
        JsonNode firstDay = json(listening("/api/agents/a-1/coaching?to=2026-02-03", listeningAnalyst), 200);
        assertThat(firstDay.get("notes").findValuesAsText("kind")).containsExactly("good_open_question", "interruption");
        JsonNode nobody = json(listening("/api/agents/nobody/coaching", listeningAnalyst), 200);
        assertThat(nobody.get("calls").asLong()).isZero();
        assertThat(nobody.at("/listeningScore/score").isNull()).isTrue();
        assertThat(nobody.get("strengths")).isEmpty();
        assertThat(nobody.get("gaps")).isEmpty();
        assertThat(nobody.get("notes")).isEmpty();
    }

    private static double meanDailyScore(String agent) throws Exception {
        JsonNode points = json(listening("/api/agents/" + agent + "/series?window=DAILY", listeningAnalyst), 200)
                .get("points");
        double sum = 0;
        for (JsonNode p : points) {
            sum += p.get("listeningScore").asDouble();
        }
        return sum / points.size();
    }

    private static List<String> keys(JsonNode ranking) {
        List<String> keys = new ArrayList<>();
        ranking.forEach(e -> keys.add(e.get("key").asText()));
        return keys;
    }

    private static HttpResponse<byte[]> listening(String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(listeningServer.uri().resolve(path))
                .header("Authorization", "Bearer " + token).GET());
    }

    /** A map in the order given: name, value, name, value... */
    private static Map<String, Object> ordered(Object... nameValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put((String) nameValues[i], nameValues[i + 1]);
        }
        return m;
    }

    /** A value as JSON, through text so numbers compare as the API's parsed answer does. */
    private static JsonNode tree(Object value) throws IOException {
        return JSON.readTree(JSON.writeValueAsString(value));
    }

    // ---- OpenAPI

    @Test
    void shouldServeTheOpenApiDocumentWithoutAToken() throws Exception {
        JsonNode doc = json(get("/api/openapi.json", null), 200);
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.get("paths").has("/api/calls/{callId}")).isTrue();
    }

    // ---- tokens

    @Test
    void shouldCreateListAndRevokeTokensAsAdmin() throws Exception {
        HttpResponse<byte[]> created = send(HttpRequest.newBuilder(uri("/api/tokens"))
                .header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"SUPERVISOR\",\"teams\":[\"support\"]}")));
        JsonNode issued = json(created, 201);
        String token = issued.get("token").asText();
        String id = issued.get("tokenId").asText();
        assertThat(token).matches("esk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}").startsWith("esk_" + id + "_");
        assertThat(issued.get("role").asText()).isEqualTo("SUPERVISOR");
        assertThat(issued.get("teams")).isEqualTo(JSON.readTree("[\"support\"]"));
        // the new token works and sees support only
        assertThat(ids(json(get("/api/calls", token), 200))).containsExactly("call-4", "call-5");

        JsonNode listed = json(get("/api/tokens", admin), 200).get("tokens");
        JsonNode mine = find(listed, id);
        assertThat(mine.get("role").asText()).isEqualTo("SUPERVISOR");
        assertThat(mine.get("revokedAt").isNull()).isTrue();
        assertThat(listed.toString()).doesNotContain(token.substring(17)).doesNotContain(TokenStore.sha256Hex(token));
        assertThat(mine.has("token")).isFalse();

        HttpResponse<byte[]> deleted = send(HttpRequest.newBuilder(uri("/api/tokens/" + id))
                .header("Authorization", "Bearer " + admin).DELETE());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(get("/api/calls", token).statusCode()).isEqualTo(401);
        assertThat(find(json(get("/api/tokens", admin), 200).get("tokens"), id).get("revokedAt").isNull()).isFalse();
        assertThat(send(HttpRequest.newBuilder(uri("/api/tokens/000000000000"))
                .header("Authorization", "Bearer " + admin).DELETE()).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldRejectBadTokenRequests() throws Exception {
        for (String[] c : new String[][] {{"{\"role\":\"SUPERVISOR\"}", "teams"}, {"{\"role\":\"KING\"}", "role"},
                {"{\"role\":\"ANALYST\",\"teams\":[\"billing\"]}", "teams"}, {"not json", "body"},
                {"{\"role\":\"ADMIN\",\"teams\":\"billing\"}", "teams"}, {"{\"role\":\"AGENT\"}", "agentId"},
                {"{\"role\":\"AGENT\",\"agentId\":\" \"}", "agentId"}, {"{\"role\":\"AGENT\",\"agentId\":7}", "agentId"},
                {"{\"role\":\"AGENT\",\"agentId\":\"agent-1\",\"teams\":[\"billing\"]}", "teams"},
                {"{\"role\":\"ANALYST\",\"agentId\":\"agent-1\"}", "agentId"}}) {
            HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri("/api/tokens"))
                    .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.ofString(c[0])));
            assertThat(json(r, 400).get("parameter").asText()).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void shouldCreateAnAgentsTokenThatNamesItsAgentAndOpensNoEndpoint() throws Exception {
        HttpResponse<byte[]> created = send(HttpRequest.newBuilder(uri("/api/tokens"))
                .header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"AGENT\",\"agentId\":\"agent-2\"}")));
        JsonNode issued = json(created, 201);
        String token = issued.get("token").asText();
        assertThat(issued.get("role").asText()).isEqualTo("AGENT");
        assertThat(issued.get("agentId").asText()).isEqualTo("agent-2");
        assertThat(issued.get("teams")).isEmpty();

        assertThat(tokens.authenticate(token)).hasValueSatisfying(p -> {
            assertThat(p.role()).isEqualTo(Principal.Role.AGENT);
            assertThat(p.agentId()).isEqualTo("agent-2");
            assertThat(p.teams()).isEmpty();
        });
        JsonNode mine = find(json(get("/api/tokens", admin), 200).get("tokens"), issued.get("tokenId").asText());
        assertThat(mine.get("agentId").asText()).isEqualTo("agent-2");
        assertThat(mine.get("role").asText()).isEqualTo("AGENT");
        assertThat(json(get("/api/calls?agent=agent-2", token), 403).get("error").asText())
                .isEqualTo("a AGENT token may not use this endpoint");
        assertThat(tokens.authenticate(admin)).hasValueSatisfying(p -> assertThat(p.agentId()).isNull());
    }

    @Test
    void shouldKeepAgentIdsOnAgentTokensOnlyInTheTable() throws Exception {
        for (String row : List.of("('t-a', 'h-a', 'AGENT', '{}', NULL)", "('t-b', 'h-b', 'ANALYST', '{}', 'agent-1')",
                "('t-c', 'h-c', 'KING', '{}', NULL)")) {
            try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> st.executeUpdate(
                                "INSERT INTO api_tokens (token_id, token_sha256, role, teams, agent_id) VALUES " + row))
                        .as(row).isInstanceOf(java.sql.SQLException.class).hasMessageContaining("check constraint");
            }
        }
    }

    @Test
    void shouldStoreOnlyHashesOfTokens() throws Exception {
        List<String> all = List.of(admin, analyst, billingSupervisor, revoked);
        StringBuilder table = new StringBuilder();
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM api_tokens")) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    table.append(rs.getString(i)).append('|');
                }
                table.append('\n');
            }
        }
        for (String token : all) {
            String secret = token.substring(token.indexOf('_', 4) + 1);
            assertThat(table.toString()).doesNotContain(token).doesNotContain(secret)
                    .contains(TokenStore.sha256Hex(token));
        }
    }

    @Test
    void shouldRefuseATokenInTheUrlOnEveryRouteIncludingExports() throws Exception {
        String inUrl = "token=" + URLEncoder.encode(analyst, StandardCharsets.UTF_8);
        for (String path : List.of("/api/calls?" + inUrl, "/api/calls?format=csv&" + inUrl,
                "/api/calls?format=parquet&" + inUrl, "/api/agents/agent-1/series?window=DAILY&format=csv&" + inUrl,
                "/api/calls/call-1?" + inUrl, "/api/ranking?" + inUrl)) {
            JsonNode refused = json(get(path, null), 400);
            assertThat(refused.get("parameter").asText()).as(path).isEqualTo("token");
            assertThat(refused.get("error").asText()).contains("not accepted in URLs");
        }
        // not even beside a valid header
        assertThat(get("/api/calls?" + inUrl, analyst).statusCode()).isEqualTo(400);
        HttpResponse<byte[]> post = send(HttpRequest.newBuilder(uri("/api/tokens?token=" + admin))
                .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"ANALYST\"}")));
        assertThat(post.statusCode()).isEqualTo(400);
        // a tampered secret with a real id is refused
        String tampered = analyst.substring(0, analyst.length() - 2) + (analyst.endsWith("AA") ? "BB" : "AA");
        assertThat(get("/api/calls", tampered).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldManageTokensFromTheCommandLine() throws Exception {
        String db = store.jdbcUrl();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EarshotCli.run(new String[] {"token", "create", "--db", db, "--role", "ADMIN"},
                new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        String token = out.toString().trim();
        assertThat(token).startsWith("esk_");
        String id = token.substring(4, token.indexOf('_', 4));
        assertThat(json(get("/api/tokens", token), 200).toString()).contains(id);

        StringWriter list = new StringWriter();
        assertThat(EarshotCli.run(new String[] {"token", "list", "--db", db}, new PrintWriter(list),
                new PrintWriter(new StringWriter()))).isZero();
        assertThat(list.toString()).contains(id).contains("ADMIN").doesNotContain(token);

        StringWriter revokeErr = new StringWriter();
        assertThat(EarshotCli.run(new String[] {"token", "revoke", "--db", db, id}, new PrintWriter(new StringWriter()),
                new PrintWriter(revokeErr))).as(revokeErr.toString()).isZero();
        assertThat(get("/api/tokens", token).statusCode()).isEqualTo(401);

        StringWriter bad = new StringWriter();
        assertThat(EarshotCli.run(new String[] {"token", "create", "--db", db, "--role", "SUPERVISOR"},
                new PrintWriter(new StringWriter()), new PrintWriter(bad))).isEqualTo(EarshotCli.EXIT_BAD_INPUT);
        assertThat(bad.toString()).contains("at least one team");

        StringWriter desk = new StringWriter();
        StringWriter deskErr = new StringWriter();
        assertThat(EarshotCli.run(new String[] {"token", "create", "--db", db, "--role", "AGENT", "--agent", "agent-3"},
                new PrintWriter(desk), new PrintWriter(deskErr))).as(deskErr.toString()).isZero();
        assertThat(deskErr.toString()).contains("(AGENT of agent agent-3)");
        assertThat(tokens.authenticate(desk.toString().trim()))
                .hasValueSatisfying(p -> assertThat(p.agentId()).isEqualTo("agent-3"));
        StringWriter listed = new StringWriter();
        assertThat(EarshotCli.run(new String[] {"token", "list", "--db", db}, new PrintWriter(listed),
                new PrintWriter(new StringWriter()))).isZero();
        assertThat(listed.toString()).contains("agent agent-3");
        StringWriter noAgent = new StringWriter();
        assertThat(EarshotCli.run(new String[] {"token", "create", "--db", db, "--role", "AGENT"},
                new PrintWriter(new StringWriter()), new PrintWriter(noAgent))).isEqualTo(EarshotCli.EXIT_BAD_INPUT);
        assertThat(noAgent.toString()).contains("needs the agent's id");
    }

    // ---- access control, for every endpoint

    /** One concrete request per route, used to probe its access control. */
    record Probe(String method, String template, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static Stream<Probe> probes() {
        return Stream.of(
                new Probe("GET", "/api/calls", "/api/calls"),
                new Probe("GET", "/api/calls/{callId}", "/api/calls/call-1"),
                new Probe("GET", "/api/agents/{agentId}/aggregate", "/api/agents/agent-1/aggregate"),
                new Probe("GET", "/api/teams/{team}/aggregate", "/api/teams/billing/aggregate"),
                new Probe("GET", "/api/agents/{agentId}/series", "/api/agents/agent-1/series?window=DAILY"),
                new Probe("GET", "/api/teams/{team}/series", "/api/teams/billing/series?window=DAILY"),
                new Probe("GET", "/api/agents/{agentId}/coaching", "/api/agents/agent-1/coaching"),
                new Probe("GET", "/api/ranking", "/api/ranking"),
                new Probe("GET", "/api/tokens", "/api/tokens"),
                new Probe("POST", "/api/tokens", "/api/tokens"),
                new Probe("DELETE", "/api/tokens/{tokenId}", "/api/tokens/000000000000"));
    }

    @Test
    void shouldProbeEveryAuthenticatedRoute() {
        assertThat(probes().map(p -> p.method() + " " + p.template()).toList())
                .containsExactlyInAnyOrderElementsOf(handler.routes().stream().filter(r -> !r.roles().isEmpty())
                        .map(r -> r.method() + " " + r.path()).toList());
    }

    @ParameterizedTest
    @MethodSource("probes")
    void shouldRefuseRequestsWithoutAValidToken(Probe probe) throws Exception {
        for (String token : new String[] {null, revoked, "esk_000000000000_nope", "not-a-token"}) {
            HttpResponse<byte[]> r = request(probe, token);
            assertThat(r.statusCode()).as(probe + " with " + token).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(probe.toString())
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
    }

    @ParameterizedTest
    @MethodSource("probes")
    void shouldLetRolesDoWhatTheyMay(Probe probe) throws Exception {
        boolean tokenAdmin = probe.template().startsWith("/api/tokens");
        int success = probe.method().equals("POST") ? 201 : probe.method().equals("DELETE") ? 404 : 200;
        assertThat(request(probe, admin).statusCode()).as(probe + " as admin").isEqualTo(success);
        assertThat(request(probe, analyst).statusCode()).as(probe + " as analyst").isEqualTo(tokenAdmin ? 403 : success);
        assertThat(request(probe, billingSupervisor).statusCode()).as(probe + " as billing supervisor")
                .isEqualTo(tokenAdmin ? 403 : success);
        assertThat(request(probe, agentDesk).statusCode()).as(probe + " as agent-1's desk").isEqualTo(403);
    }

    @Test
    void shouldHideOtherTeamsFromASupervisor() throws Exception {
        String s = billingSupervisor;
        assertThat(ids(json(get("/api/calls", s), 200))).containsExactly("call-3", "call-2", "call-1");
        assertThat(json(get("/api/calls", s), 200).get("total").asLong()).isEqualTo(3);
        assertThat(ids(json(get("/api/calls?team=support", s), 200))).isEmpty();
        assertThat(ids(json(get("/api/calls?agent=agent-3", s), 200))).isEmpty();
        assertThat(get("/api/calls/call-4", s).statusCode()).isEqualTo(404);
        assertThat(get("/api/calls/call-5", s).statusCode()).isEqualTo(404);
        assertThat(get("/api/calls/call-3", s).statusCode()).isEqualTo(200);
        assertThat(get("/api/teams/support/aggregate", s).statusCode()).isEqualTo(403);
        assertThat(get("/api/teams/support/series?window=DAILY", s).statusCode()).isEqualTo(403);
        assertThat(get("/api/agents/agent-3/aggregate", s).statusCode()).isEqualTo(403);
        assertThat(get("/api/agents/agent-3/series?window=DAILY", s).statusCode()).isEqualTo(403);
        assertThat(get("/api/agents/no-such-agent/aggregate", s).statusCode()).isEqualTo(403);
        assertThat(get("/api/agents/agent-3/coaching", s).statusCode()).isEqualTo(403);
        assertThat(json(get("/api/teams/billing/aggregate", s), 200).get("calls").asLong()).isEqualTo(3);
        assertThat(json(get("/api/agents/agent-2/aggregate", s), 200).get("calls").asLong()).isEqualTo(1);
    }

    @Test
    void shouldRefuseExportsToSupervisors() throws Exception {
        for (String path : List.of("/api/calls?format=csv", "/api/calls?format=parquet",
                "/api/agents/agent-1/series?window=DAILY&format=csv", "/api/teams/billing/series?window=DAILY&format=parquet")) {
            assertThat(json(get(path, billingSupervisor), 403).get("parameter").asText()).as(path).isEqualTo("format");
            assertThat(get(path, analyst).statusCode()).as(path).isEqualTo(200);
        }
        HttpResponse<byte[]> byAccept = send(HttpRequest.newBuilder(uri("/api/calls"))
                .header("Authorization", "Bearer " + billingSupervisor).header("Accept", "text/csv").GET());
        assertThat(byAccept.statusCode()).isEqualTo(403);
    }

    // ---- helpers

    private static JsonNode aggregate(String scope, String key, String from, String to, long calls, long callTime,
            long agentTalk, long customerTalk, long overlap, long silence, long agentInt, long customerInt,
            long agentBc, long customerBc, long transfers, long respected, long gapSum, long intrusions,
            long deadAirCount, long deadAirMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scope", scope);
        m.put("key", key);
        m.put("from", from);
        m.put("to", to);
        m.put("calls", calls);
        m.put("callTimeMs", callTime);
        m.put("agentTalkMs", agentTalk);
        m.put("customerTalkMs", customerTalk);
        m.put("overlapMs", overlap);
        m.put("silenceMs", silence);
        m.put("agentInterruptions", agentInt);
        m.put("customerInterruptions", customerInt);
        m.put("agentBackchannels", agentBc);
        m.put("customerBackchannels", customerBc);
        m.put("transfers", transfers);
        m.put("respectedTransfers", respected);
        m.put("responseGapSumMs", gapSum);
        m.put("pauseIntrusions", intrusions);
        m.put("deadAirCount", deadAirCount);
        m.put("deadAirMs", deadAirMs);
        m.put("agentTalkShare", agentTalk + customerTalk == 0 ? null : (double) agentTalk / (agentTalk + customerTalk));
        m.put("agentInterruptionsPer10Min", callTime == 0 ? null : agentInt * 600_000.0 / callTime);
        m.put("pauseRespectRate", transfers == 0 ? null : (double) respected / transfers);
        m.put("meanResponseGapMs", transfers == 0 ? null : (double) gapSum / transfers);
        // store-rows.sql has no behaviours or tone: the score is that of the plain sums
        ListeningTotals totals = new ListeningTotals(callTime, agentTalk, customerTalk, overlap, silence, agentInt, 0,
                customerInt, agentBc, customerBc, transfers, respected, gapSum, intrusions, calls);
        m.put("listening", ListeningCounts.ZERO);
        m.put("listeningScore", ListeningScoreView.of(ListeningScorer.score(totals, 0.35, 0.55, ScoreConfig.DEFAULTS)));
        try {
            // through text, so numbers compare as the API's parsed answer does (int vs long nodes)
            return JSON.readTree(JSON.writeValueAsString(m));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode find(JsonNode tokens, String id) {
        for (JsonNode t : tokens) {
            if (t.get("tokenId").asText().equals(id)) {
                return t;
            }
        }
        throw new AssertionError("no token " + id + " in " + tokens);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("calls").forEach(c -> ids.add(c.get("callId").asText()));
        return ids;
    }

    private static JsonNode json(HttpResponse<byte[]> response, int status) throws IOException {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(response.request().uri() + ": " + body).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        return JSON.readTree(body);
    }

    private static URI uri(String path) {
        return server.uri().resolve(path);
    }

    private static HttpResponse<byte[]> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    private static HttpResponse<byte[]> request(Probe probe, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(probe.path()));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        switch (probe.method()) {
            case "POST" -> b.POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"ANALYST\"}"));
            case "DELETE" -> b.DELETE();
            default -> b.GET();
        }
        return send(b);
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
