package io.earshot.jobs.calls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.jobs.common.CallEvent;
import io.earshot.jobs.common.DeadLetter;
import io.earshot.jobs.common.WordItem;
import io.earshot.jobs.metrics.CallMetrics;
import io.earshot.jobs.metrics.ConversationAnalysis;
import io.earshot.jobs.metrics.Spurt;
import io.earshot.jobs.metrics.TimedWord;
import io.earshot.schemas.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole call-metrics job on a Flink MiniCluster (parallelism 2): the fixture calls'
 * ground-truth events, interleaved across calls and shuffled within a bounded delay, with
 * malformed events mixed in. Every call's final summary must equal the metric math on the
 * same inputs, and every bad event must land in the dead letters without stopping the job.
 */
class CallMetricsJobIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long T0 = 1_763_900_000_000L;

    record Call(String id, long durationMs, List<Spurt> spurts, List<TimedWord> words, List<CallEvent> events) {
    }

    static List<Call> fixtureCalls() throws Exception {
        List<Call> calls = new ArrayList<>();
        List<Path> dirs;
        try (Stream<Path> list = Files.list(Path.of(System.getProperty("earshot.fixtures")))) {
            dirs = list.filter(d -> Files.isRegularFile(d.resolve("truth.json"))).sorted().toList();
        }
        long start = T0;
        for (Path dir : dirs) {
            JsonNode t = new ObjectMapper().readTree(dir.resolve("truth.json").toFile());
            String id = t.path("callId").asText();
            List<Spurt> spurts = new ArrayList<>();
            List<TimedWord> words = new ArrayList<>();
            List<CallEvent> events = new ArrayList<>();
            events.add(CallEvent.started(id, "agent-" + (calls.size() % 2), "team-a", "billing", start));
            for (JsonNode s : t.path("segments")) {
                Role role = Role.valueOf(s.path("role").asText());
                spurts.add(new Spurt(role, s.path("startMs").asLong(), s.path("endMs").asLong()));
                events.add(CallEvent.segment(id, start, role, s.path("startMs").asLong(), s.path("endMs").asLong(),
                        120, 4, -21));
            }
            for (JsonNode u : t.path("utterances")) {
                Role role = Role.valueOf(u.path("role").asText());
                List<WordItem> items = new ArrayList<>();
                for (JsonNode w : u.path("words")) {
                    items.add(new WordItem(w.get(0).asText(), w.get(1).asLong(), w.get(2).asLong(), 1.0));
                    words.add(new TimedWord(role, w.get(0).asText(), w.get(1).asLong(), w.get(2).asLong()));
                }
                // ASR lags speech: utterances become known a second after they end
                CallEvent e = CallEvent.utterance(id, start, role, u.path("startMs").asLong(), u.path("endMs").asLong(),
                        u.path("text").asText(), items);
                e.eventTimeMs += 1000;
                events.add(e);
            }
            long duration = t.path("durationMs").asLong();
            events.add(CallEvent.ended(id, start, duration, "closed"));
            calls.add(new Call(id, duration, spurts, words, events));
            start += 7_000; // calls overlap in time
        }
        return calls;
    }

    @Test
    void shouldSummariseEveryCallLikeTheMetricMathAndDeadLetterMalformedEvents() throws Exception {
        List<Call> calls = fixtureCalls();
        List<CallEvent> events = new ArrayList<>();
        calls.forEach(c -> events.addAll(c.events()));
        // interleave the calls by event time, with bounded disorder (within the watermark delay)
        java.util.Random random = new java.util.Random(3);
        java.util.Map<CallEvent, Long> jittered = new java.util.IdentityHashMap<>();
        events.forEach(e -> jittered.put(e, e.eventTimeMs + random.nextInt(1500)));
        events.sort(Comparator.comparingLong(jittered::get));
        events.add(CallEvent.segment("no-such-call", T0, Role.AGENT, 0, 100, 0, 0, 0));
        CallEvent nullId = CallEvent.segment(null, T0, Role.AGENT, 0, 100, 0, 0, 0);
        events.add(nullId);
        events.add(CallEvent.ended("also-unknown", T0, 5000, "closed"));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        CallMetricsJob.Outputs out = CallMetricsJob.defineWorkflow(
                env.fromData(events).setParallelism(1), JobConfig.DEFAULTS);
        List<Object> collected = new ArrayList<>();
        try (CloseableIterator<Object> it = out.summaries().map(s -> (Object) s)
                .union(out.deadLetters().map(d -> (Object) d)).executeAndCollect()) {
            it.forEachRemaining(collected::add);
        }
        List<CallSummary> finals = collected.stream().filter(o -> o instanceof CallSummary).map(o -> (CallSummary) o)
                .filter(CallSummary::isFinal).toList();
        List<DeadLetter> dead = collected.stream().filter(o -> o instanceof DeadLetter).map(o -> (DeadLetter) o).toList();

        assertThat(finals).extracting(CallSummary::callId)
                .containsExactlyInAnyOrderElementsOf(calls.stream().map(Call::id).toList());
        for (Call c : calls) {
            CallSummary s = finals.stream().filter(f -> f.callId().equals(c.id())).findFirst().orElseThrow();
            CallMetrics expected = ConversationAnalysis.analyze(c.durationMs(), c.spurts(), c.words(),
                    JobConfig.DEFAULTS.metrics());
            assertThat(s.endReason()).as("%s, dead letters %s", c.id(), dead).isEqualTo("ended");
            assertThat(s.metrics()).as(c.id()).usingRecursiveComparison().isEqualTo(expected);
            assertThat(s.transcript()).hasSize((int) c.events().stream().filter(e -> e.kind == CallEvent.Kind.UTTERANCE).count());
        }
        assertThat(dead).extracting(DeadLetter::reason).containsExactlyInAnyOrder(
                "event for an unknown call (never started, or already closed)",
                "event without a call id",
                "end of a call that never started (or was already closed)");
    }
}
