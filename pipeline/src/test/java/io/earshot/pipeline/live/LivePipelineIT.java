package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.simulate.AudioHookClient;
import io.earshot.pipeline.simulate.CallClient;
import io.earshot.pipeline.simulate.CallMetadata;
import io.earshot.pipeline.simulate.FrameListener;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.pipeline.simulate.SimulatedCall.Recording;
import io.earshot.pipeline.simulate.SimulationReport;
import io.earshot.pipeline.simulate.Simulator;
import io.earshot.pipeline.simulate.TwilioClient;
import io.earshot.schemas.CallSummaryComputed;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample calls streamed over each protocol into the embedded stack (Kafka, the metric job
 * on a local Flink cluster, live ingest with transcription) give the final summaries that
 * {@code analyze} computes from the same files.
 */
class LivePipelineIT {

    /** Faster than real time so the test is short; pacing does not change what is computed. */
    private static final double SPEED = 4;

    private static EmbeddedStack stack;
    private static List<Recording> recordings;
    private static Map<String, CallSummaryComputed> recorded;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        recordings = SampleCalls.load(SampleCalls.defaultDirectory());
        recorded = LiveCalls.analyzeSampleCalls(true);
        // nothing is skipped here: the bound is far above what 4 calls at this speed need
        stack = EmbeddedStack.start(EmbeddedStack.Options.of(LiveCalls.model())
                .withTranscription(true, 2, Duration.ofMinutes(10))
                .withLimits(EarshotConfig.Limits.DEFAULTS.trustedReplay()), line -> { }); // streamed at 4x on purpose
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldComputeOverAudioHookWhatAnalyzeComputesFromTheFiles() throws Exception {
        AudioHookClient client = new AudioHookClient(AudioHookClient.Config.of(stack.ingest().ingest().audioHookUri(),
                EmbeddedStack.API_KEY, stack.clientSecret(), SPEED), HTTP, Clock.systemUTC());

        streamAndCompare(client, "ah-");
    }

    @Test
    void shouldComputeOverTwilioWhatAnalyzeComputesFromTheFiles() throws Exception {
        TwilioClient client = new TwilioClient(TwilioClient.Config.of(stack.ingest().ingest().twilioUri(), SPEED)
                .withAuthToken(stack.twilioAuthToken()),
                HTTP, Clock.systemUTC());

        streamAndCompare(client, "tw-");
    }

    private void streamAndCompare(CallClient client, String prefix) throws Exception {
        List<Recording> named = recordings.stream()
                .map(r -> new Recording(prefix + r.stem(), r.agent(), r.customer())).toList();
        SimulationReport report = new Simulator(client, FrameListener.NONE)
                .run(named, named.size(), new CallMetadata("agent-{i}", "floor", "support"), Duration.ofMillis(200));
        assertThat(report.allClean()).as("every call closed cleanly: %s", report.calls()).isTrue();

        List<String> ids = report.calls().stream().map(c -> c.callId()).toList();
        awaitFinals(ids);
        for (String id : ids) {
            String folder = id.substring(prefix.length(), id.lastIndexOf('-'));
            CallSummaryComputed live = stack.watcher().finals().get(id).summary();
            assertThat(live.getAgentId().toString()).startsWith("agent-");
            assertThat(live.getTeam().toString()).isEqualTo("floor");
            LiveCalls.assertSameMetrics(live, recorded.get(folder));
        }
    }

    private static void awaitFinals(List<String> ids) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!stack.watcher().finals().keySet().containsAll(ids)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("finals of " + ids + " did not all arrive; have "
                        + stack.watcher().finals().keySet());
            }
            Thread.sleep(50);
        }
    }
}
