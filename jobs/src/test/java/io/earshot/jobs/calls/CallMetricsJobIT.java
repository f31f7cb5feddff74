package io.earshot.jobs.calls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.windows.Scope;
import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.DeadLetter;
import io.earshot.analysis.events.WordItem;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.ConversationAnalysis;
import io.earshot.analysis.metrics.ConversationEvents.ResponseGap;
import io.earshot.analysis.metrics.ListeningTotals;
import io.earshot.analysis.metrics.Spurt;
import io.earshot.analysis.metrics.TimedWord;
import io.earshot.schemas.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;
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
 * same inputs, every bad event must land in the dead letters without stopping the job, and
 * the agent, team and queue windows must add up to the calls' final summaries.
 *
 * <p>The calls start twenty seconds before an hour boundary, so their activity is split
 * between two hourly windows. The job runs once, on the first test that needs it, and each test
 * checks one behaviour of that run.
 */
class CallMetricsJobIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** 2025-11-23T14:00Z, a whole hour. */
    private static final long HOUR_BOUNDARY = 1_763_906_400_000L;
    private static final long T0 = HOUR_BOUNDARY - 20_000;

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

    /** What one run of the workflow put out. */
    record Run(List<Call> calls, List<CallSummary> finals, List<DeadLetter> dead, List<WindowMetrics> windows) {

        List<WindowMetrics> windows(Scope scope, String key, WindowKind kind) {
            return windows.stream().filter(w -> w.scope() == scope && w.key().equals(key) && w.window() == kind)
                    .sorted(Comparator.comparingLong(WindowMetrics::windowStartMs)).toList();
        }

        List<CallSummary> finalsOf(String agentId) {
            return finals.stream().filter(f -> f.agentId().equals(agentId)).toList();
        }
    }

    private static Run run;

    /** Runs the job on the first call, inside a test so the MiniCluster's environment is set. */
    private static synchronized Run run() throws Exception {
        if (run == null) {
            run = execute();
        }
        return run;
    }

    private static Run execute() throws Exception {
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
                .union(out.deadLetters().map(d -> (Object) d), out.windows().map(w -> (Object) w))
                .executeAndCollect()) {
            it.forEachRemaining(collected::add);
        }
        return new Run(calls,
                collected.stream().filter(o -> o instanceof CallSummary).map(o -> (CallSummary) o)
                        .filter(CallSummary::isFinal).toList(),
                collected.stream().filter(o -> o instanceof DeadLetter).map(o -> (DeadLetter) o).toList(),
                collected.stream().filter(o -> o instanceof WindowMetrics).map(o -> (WindowMetrics) o).toList());
    }

    @Test
    void shouldSummariseEveryCallLikeTheMetricMath() throws Exception {
        Run r = run();
        assertThat(r.finals()).extracting(CallSummary::callId)
                .containsExactlyInAnyOrderElementsOf(r.calls().stream().map(Call::id).toList());
        for (Call c : r.calls()) {
            CallSummary s = r.finals().stream().filter(f -> f.callId().equals(c.id())).findFirst().orElseThrow();
            CallMetrics expected = ConversationAnalysis.analyze(c.durationMs(), c.spurts(), c.words(),
                    JobConfig.DEFAULTS.metrics());
            assertThat(s.endReason()).as("%s, dead letters %s", c.id(), r.dead()).isEqualTo("ended");
            assertThat(s.metrics()).as(c.id()).usingRecursiveComparison().isEqualTo(expected);
            assertThat(s.transcript()).hasSize((int) c.events().stream().filter(e -> e.kind == CallEvent.Kind.UTTERANCE).count());
        }
    }

    @Test
    void shouldDeadLetterMalformedEventsWithoutStoppingTheJob() throws Exception {
        assertThat(run().dead()).extracting(DeadLetter::reason).containsExactlyInAnyOrder(
                "event for an unknown call (never started, or already closed)",
                "event without a call id",
                "end of a call that never started (or was already closed)");
    }

    private static long sum(List<CallSummary> finals, ToLongFunction<CallMetrics> f) {
        return finals.stream().map(CallSummary::metrics).mapToLong(f).sum();
    }

    private static long agentInterruptions(CallMetrics m) {
        return m.interruptions().stream().filter(i -> i.by() == Role.AGENT).count();
    }

    @Test
    void shouldAddEachAgentsHourlyWindowsUpToTheFinalSummariesOfItsCalls() throws Exception {
        Run r = run();
        for (String agent : List.of("agent-0", "agent-1")) {
            List<CallSummary> finals = r.finalsOf(agent);
            List<WindowMetrics> hours = r.windows(Scope.AGENT, agent, WindowKind.HOURLY);
            assertThat(finals).as(agent).hasSize(2);
            assertThat(hours).as(agent).extracting(WindowMetrics::windowStartMs)
                    .containsExactly(HOUR_BOUNDARY - 3_600_000, HOUR_BOUNDARY);
            ListeningTotals total = hours.stream().map(WindowMetrics::totals)
                    .reduce(ListeningTotals.ZERO, ListeningTotals::plus);

            assertThat(total.callTimeMs()).as(agent).isEqualTo(sum(finals, CallMetrics::durationMs));
            assertThat(total.agentTalkMs()).as(agent).isEqualTo(sum(finals, CallMetrics::agentTalkMs));
            assertThat(total.customerTalkMs()).as(agent).isEqualTo(sum(finals, CallMetrics::customerTalkMs));
            assertThat(total.overlapMs()).as(agent).isEqualTo(sum(finals, CallMetrics::overlapMs));
            assertThat(total.agentInterruptions()).as(agent)
                    .isEqualTo(sum(finals, CallMetricsJobIT::agentInterruptions));
            assertThat(total.transfers()).as(agent).isEqualTo(sum(finals, m -> m.responseGaps().size()));
            assertThat(total.respectedTransfers()).as(agent)
                    .isEqualTo(sum(finals, m -> m.responseGaps().stream().filter(ResponseGap::respected).count()));
            assertThat(total.responseGapSumMs()).as(agent)
                    .isEqualTo(sum(finals, m -> m.responseGaps().stream().mapToLong(ResponseGap::gapMs).sum()));
            assertThat(total.callsEnded()).as(agent).isEqualTo(2);
            // both hours hold part of the calls' talk: the split follows event time
            assertThat(hours).as(agent).allSatisfy(h -> assertThat(h.totals().callTimeMs()).isPositive());
        }
    }

    @Test
    void shouldRollEveryCallIntoTheDailyTeamAndQueueWindows() throws Exception {
        Run r = run();
        for (Scope scope : List.of(Scope.TEAM, Scope.QUEUE)) {
            String key = scope == Scope.TEAM ? "team-a" : "billing";
            assertThat(r.windows(scope, key, WindowKind.DAILY)).as("%s", scope).singleElement().satisfies(d -> {
                assertThat(d.windowStartMs()).isEqualTo(HOUR_BOUNDARY - 14 * 3_600_000);
                assertThat(d.totals().callTimeMs()).isEqualTo(sum(r.finals(), CallMetrics::durationMs));
                assertThat(d.totals().agentTalkMs()).isEqualTo(sum(r.finals(), CallMetrics::agentTalkMs));
                assertThat(d.totals().agentInterruptions())
                        .isEqualTo(sum(r.finals(), CallMetricsJobIT::agentInterruptions));
                assertThat(d.totals().callsEnded()).isEqualTo(r.calls().size());
                assertThat(d.agentInterruptionsPer10Min()).isEqualTo(
                        sum(r.finals(), CallMetricsJobIT::agentInterruptions) * 600_000.0
                                / sum(r.finals(), CallMetrics::durationMs));
            });
        }
    }

    @Test
    void shouldShowTheWholeShortShiftInTheLiveWindowsThatCoverIt() throws Exception {
        Run r = run();
        List<WindowMetrics> live = r.windows(Scope.TEAM, "team-a", WindowKind.LIVE);
        long firstActivity = T0; // no activity before the first call starts, none after the last final summary
        long lastActivity = r.calls().stream().mapToLong(c -> c.events().get(0).mediaStartEpochMs + c.durationMs())
                .max().orElseThrow() + JobConfig.DEFAULTS.finalGraceMs();
        List<WindowMetrics> covering = live.stream()
                .filter(w -> w.windowStartMs() <= firstActivity && w.windowEndMs() > lastActivity).toList();
        assertThat(covering).isNotEmpty().allSatisfy(w -> {
            assertThat(w.totals().callTimeMs()).isEqualTo(sum(r.finals(), CallMetrics::durationMs));
            assertThat(w.totals().callsEnded()).isEqualTo(r.calls().size());
        });
        for (int i = 1; i < live.size(); i++) {
            assertThat(live.get(i).windowEndMs() - live.get(i - 1).windowEndMs()).isEqualTo(10_000);
        }
    }
}
