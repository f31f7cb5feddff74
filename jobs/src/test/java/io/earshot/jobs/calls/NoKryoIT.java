package io.earshot.jobs.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.ContourBlock;
import io.earshot.analysis.events.DeadLetter;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The call-metrics workflow with Flink's Kryo fallback off ({@link CallMetricsJob#disableGenericTypes}),
 * built and run to the end of input on a MiniCluster at parallelism 2: the fixture calls (spurts,
 * utterances with words), plus what the fixtures lack (a spurt with a tone contour, a transcription
 * report, a late agent assignment) and malformed events. Every type sent between operators or
 * kept in state must have a serializer of Flink's own: one that would fall back to Kryo makes
 * building the job graph or starting an operator fail, and so this test.
 */
class NoKryoIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** One output of the run; a POJO, since collecting the outputs as {@code Object} would need Kryo. */
    public static final class Out {
        public CallSummary summary;
        public WindowMetrics window;
        public DeadLetter deadLetter;

        public Out() {
        }
    }

    @Test
    void shouldRunTheWholeWorkflowWithoutGenericTypes() throws Exception {
        List<CallMetricsJobIT.Call> calls = CallMetricsJobIT.fixtureCalls();
        List<CallEvent> events = new ArrayList<>();
        calls.forEach(c -> events.addAll(c.events()));
        CallMetricsJobIT.Call first = calls.get(0);
        long start = first.events().get(0).mediaStartEpochMs;
        CallEvent toned = CallEvent.segment(first.id(), start, Role.CUSTOMER, 1_000, 1_400, 180, 3, -20);
        toned.contourBlockMs = 200;
        toned.contour = new ArrayList<>(List.of(new ContourBlock(1_000, 1_200, -20, 0.5),
                new ContourBlock(1_200, 1_400, -21, -0.5)));
        events.add(toned);
        events.add(CallEvent.transcription(first.id(), start + 2_000, 800, 1, 300));
        events.add(CallEvent.assigned(calls.get(1).id(), calls.get(1).events().get(0).eventTimeMs + 500, "agent-9",
                "team-b", "sales", 0, "test"));
        events.sort(Comparator.comparingLong(e -> e.eventTimeMs));
        events.add(CallEvent.segment("no-such-call", start, Role.AGENT, 0, 100, 0, 0, 0));
        events.add(CallEvent.undecodable(null, start, "not a record"));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        CallMetricsJob.disableGenericTypes(env);
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        CallMetricsJob.Outputs out = CallMetricsJob.defineWorkflow(env.fromData(events).setParallelism(1),
                JobConfig.DEFAULTS);
        List<Out> collected = new ArrayList<>();
        try (CloseableIterator<Out> it = out.summaries().map(s -> {
            Out o = new Out();
            o.summary = s;
            return o;
        }).returns(Out.class).union(out.windows().map(w -> {
            Out o = new Out();
            o.window = w;
            return o;
        }).returns(Out.class), out.deadLetters().map(d -> {
            Out o = new Out();
            o.deadLetter = d;
            return o;
        }).returns(Out.class)).executeAndCollect("no kryo")) {
            it.forEachRemaining(collected::add);
        }

        List<CallSummary> finals = collected.stream().filter(o -> o.summary != null && o.summary.isFinal())
                .map(o -> o.summary).toList();
        assertThat(finals).extracting(CallSummary::callId)
                .containsExactlyInAnyOrderElementsOf(calls.stream().map(CallMetricsJobIT.Call::id).toList());
        assertThat(finals).anySatisfy(s -> assertThat(s.listening().score().thresholds()).isNotEmpty());
        assertThat(finals).filteredOn(s -> s.callId().equals(first.id())).singleElement()
                .satisfies(s -> assertThat(s.segments()) // kept in state with its contour; summaries leave it out
                        .anySatisfy(g -> assertThat(g.pitchMedianHz()).isEqualTo(180.0)));
        assertThat(collected).filteredOn(o -> o.window != null).extracting(o -> o.window.window())
                .contains(WindowKind.LIVE, WindowKind.HOURLY, WindowKind.DAILY);
        assertThat(collected).filteredOn(o -> o.deadLetter != null).hasSizeGreaterThanOrEqualTo(2);
    }

    /** The check itself: with generic types off, a type only Kryo could carry stops the job from being built. */
    @Test
    void shouldRefuseATypeThatNeedsKryo() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        CallMetricsJob.disableGenericTypes(env);
        assertThatThrownBy(() -> env.fromData(List.<Object>of(new StringBuilder("x")))
                .executeAndCollect(1)).hasStackTraceContaining("Generic types have been disabled");
    }
}
