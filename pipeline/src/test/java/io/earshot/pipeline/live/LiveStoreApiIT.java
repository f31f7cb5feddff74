package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.api.ApiHandler;
import io.earshot.pipeline.api.ApiServer;
import io.earshot.pipeline.api.CallQueries;
import io.earshot.pipeline.api.Principal;
import io.earshot.pipeline.api.TokenStore;
import io.earshot.pipeline.simulate.AudioHookClient;
import io.earshot.pipeline.simulate.CallMetadata;
import io.earshot.pipeline.simulate.FrameListener;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.pipeline.simulate.SimulatedCall.Recording;
import io.earshot.pipeline.simulate.SimulationReport;
import io.earshot.pipeline.simulate.Simulator;
import io.earshot.pipeline.store.StoreDatabase;
import io.earshot.pipeline.store.StoreWriter;
import io.earshot.schemas.CallSummaryComputed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain an analyst relies on: calls streamed live over AudioHook, their final
 * summaries and timelines written to a real (embedded) PostgreSQL by the store writer, and
 * read back through the query API with a real token: the same numbers the live job
 * published, and nothing for a supervisor of another team.
 */
class LiveStoreApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void shouldServeThroughTheApiTheSummariesOfCallsStreamedLive() throws Exception {
        List<Recording> recordings = SampleCalls.load(SampleCalls.defaultDirectory());
        try (EmbeddedStack stack = EmbeddedStack.start(
                EmbeddedStack.Options.of(null).withLimits(EarshotConfig.Limits.DEFAULTS.trustedReplay()), line -> { });
             StoreDatabase store = StoreDatabase.embedded(data.resolve("store"));
             StoreWriter writer = StoreWriter.start(stack.kafka().bootstrapServers(), store.dataSource());
             ApiServer api = new ApiServer("127.0.0.1", 0, new ApiHandler(new CallQueries(store.dataSource()),
                     new TokenStore(store.dataSource()))).start()) {
            TokenStore tokens = new TokenStore(store.dataSource());
            String analyst = tokens.create(Principal.Role.ANALYST, Set.of()).token();
            String otherTeam = tokens.create(Principal.Role.SUPERVISOR, Set.of("elsewhere")).token();

            AudioHookClient client = new AudioHookClient(AudioHookClient.Config.of(
                    stack.ingest().ingest().audioHookUri(), EmbeddedStack.API_KEY, stack.clientSecret(), 4),
                    HttpClient.newHttpClient(), Clock.systemUTC());
            SimulationReport report = new Simulator(client, FrameListener.NONE).run(
                    List.of(recordings.get(0), recordings.get(3)), 2, new CallMetadata("agent-{i}", "floor", "support"),
                    Duration.ZERO);
            assertThat(report.allClean()).isTrue();
            assertThat(stack.watcher().awaitFinals(2, Duration.ofSeconds(60))).isTrue();

            JsonNode list = awaitCalls(api.uri(), analyst, 2);
            for (JsonNode row : list.get("calls")) {
                String id = row.get("callId").asText();
                CallSummaryComputed live = stack.watcher().finals().get(id).summary();
                assertThat(row.get("agentId").asText()).isEqualTo(live.getAgentId().toString());
                assertThat(row.get("durationMs").asLong()).isEqualTo(live.getDurationMs());
                assertThat(row.get("agentTalkMs").asLong()).isEqualTo(live.getAgentTalkMs());
                assertThat(row.get("customerTalkMs").asLong()).isEqualTo(live.getCustomerTalkMs());
                assertThat(row.get("overlapMs").asLong()).isEqualTo(live.getOverlapMs());
                assertThat(row.get("agentInterruptions").asLong()).isEqualTo(live.getAgentInterruptions());
                assertThat(row.get("agentTalkShare").asDouble()).isEqualTo(live.getAgentTalkShare());
                Double score = live.getListeningScore() == null ? null : live.getListeningScore().getScore();
                assertThat(row.get("listeningScore").isNull() ? null : row.get("listeningScore").asDouble())
                        .isEqualTo(score);

                JsonNode timeline = get(api.uri(), "/api/calls/" + id, analyst).body();
                assertThat(timeline.get("interruptions")).hasSize(live.getInterruptions().size());
                assertThat(timeline.get("behaviours")).hasSize(live.getBehaviours().size());
                assertThat(timeline.get("toneEvents")).hasSize(live.getToneEvents().size());
                assertThat(timeline.get("coaching")).hasSize(live.getCoaching().size());
                assertThat(timeline.get("segments")).isNotEmpty()
                        .anySatisfy(s -> assertThat(s.get("role").asText()).isEqualTo("AGENT"))
                        .anySatisfy(s -> assertThat(s.get("role").asText()).isEqualTo("CUSTOMER"));
            }
            assertThat(get(api.uri(), "/api/calls?team=floor", otherTeam).body().get("calls")).isEmpty();
            assertThat(get(api.uri(), "/api/calls", null).status()).isEqualTo(401);
        }
    }

    private record Reply(int status, JsonNode body) {
    }

    private static Reply get(URI base, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body().isEmpty() ? null : JSON.readTree(response.body()));
    }

    /** The store writer commits what it read in its own time: wait until both calls are there. */
    private static JsonNode awaitCalls(URI base, String token, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode list = get(base, "/api/calls?team=floor", token).body();
            if (list.get("calls").size() >= n || System.nanoTime() > deadline) {
                assertThat(list.get("calls")).hasSize(n);
                return list;
            }
            Thread.sleep(200);
        }
    }
}
