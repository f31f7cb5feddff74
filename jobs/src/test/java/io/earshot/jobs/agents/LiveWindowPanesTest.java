package io.earshot.jobs.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.windows.AgentWindowConfig;
import io.earshot.analysis.windows.MetricsKey;
import io.earshot.analysis.windows.Scope;
import io.earshot.analysis.windows.ScopedActivity;
import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.jobs.agents.functions.TotalsAggregate;
import io.earshot.jobs.agents.functions.WindowMetricsFunction;
import io.earshot.analysis.windows.CallActivity;
import io.earshot.analysis.metrics.ListeningTotals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The live window over panes ({@code LiveWindowFunction}) against Flink's own sliding event-time
 * windows with the same sum, side by side under the keyed harness, over seeded random activity:
 * a few busy keys and some that show up once or come back after more than a window of silence,
 * in and out of order, some of it behind the watermark (partly or wholly late), the watermark
 * moved in random steps and now and then jumped past several windows at once. Midway, both
 * operators are snapshotted and restored into new instances that start, as a restarted job does,
 * without a watermark and then see one lower than before the restore; activity after the restore
 * is never behind the watermark the operators had before it (the call job emits activity from
 * event-time timers before forwarding the watermark that fired them, so nothing it emits after a
 * restore precedes what its windows had already seen).
 *
 * <p>Both must give the same records, with the same timestamps, between the same two watermarks
 * (so the same emission moments), and the same late output; at the end of input the pane
 * operator holds no state and no timer.
 */
class LiveWindowPanesTest {

    private static final long DAY = 1_763_856_000_000L;
    private static final String[] KEYS = {"k0", "k1", "k2"};

    static List<Object[]> cases() {
        List<Object[]> cases = new ArrayList<>();
        long[][] shapes = {{15 * 60_000, 10_000}, {60_000, 10_000}, {30_000, 30_000}, {25_000, 10_000},
            {45_000, 20_000}};
        for (long[] shape : shapes) {
            for (long seed = 1; seed <= 8; seed++) {
                cases.add(new Object[] {new AgentWindowConfig(shape[0], shape[1], 0), seed});
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "size {0}, seed {1}")
    @MethodSource("cases")
    void shouldGiveTheSameRecordsAtTheSameMomentsAsFlinksSlidingWindows(AgentWindowConfig config, long seed)
            throws Exception {
        Pair pair = new Pair(config);
        pair.open(null, null);
        Random random = new Random(seed);
        long watermark = DAY;
        long seenWatermark = watermark; // the highest watermark the operators have seen
        int restoreAt = 150 + random.nextInt(200);
        boolean restored = false;
        for (int i = 0; i < 500; i++) {
            if (i == restoreAt) {
                pair.restore(i);
                restored = true;
                // a restarted job's first watermark trails what the operators had seen
                watermark = seenWatermark - random.nextLong(2 * config.liveSizeMs());
                pair.watermark(watermark);
            }
            if (random.nextInt(4) == 0) {
                watermark += random.nextInt(6) == 0 ? random.nextLong(3 * config.liveSizeMs())
                        : random.nextLong(2 * config.liveSlideMs());
                pair.watermark(watermark);
                seenWatermark = Math.max(seenWatermark, watermark);
            }
            long at;
            if (!restored && random.nextInt(8) == 0) {
                at = watermark - random.nextLong(config.liveSizeMs() + 20_000); // late, or partly late
            } else {
                at = Math.max(watermark, seenWatermark) + 1 + random.nextLong(3 * config.liveSlideMs());
            }
            String key = i == restoreAt / 2 ? "once" : key(random);
            ListeningTotals delta = new ListeningTotals(random.nextInt(5_000), random.nextInt(3_000),
                    random.nextInt(3_000), 0, 0, random.nextInt(3) - 1, 0, 0, 0, 0, random.nextInt(2), 0, 0, 0,
                    random.nextInt(2));
            pair.element(new ScopedActivity(new MetricsKey(Scope.values()[random.nextInt(3)], key),
                    new CallActivity("c" + i, "a", "t", "q", at, delta)), at);
        }
        pair.watermark(Long.MAX_VALUE); // the end of input fires every window still open

        assertThat(pair.panesOut).anyMatch(s -> s.startsWith("R")).containsExactlyElementsOf(pair.slidingOut);
        assertThat(pair.panesLate).containsExactlyElementsOf(pair.slidingLate);
        assertThat(pair.panes.numKeyedStateEntries()).isZero();
        assertThat(pair.panes.numEventTimeTimers()).isZero();
        pair.close();
    }

    /** Mostly the busy keys; "rare" now and then (idle for long stretches). "once" has one activity. */
    private static String key(Random random) {
        int r = random.nextInt(40);
        return r == 0 ? "rare" : KEYS[r % 3];
    }

    /** The two operators, fed alike, with their outputs: one line per record, watermark steps kept. */
    private static final class Pair {
        final AgentWindowConfig config;
        KeyedOneInputStreamOperatorTestHarness<MetricsKey, ScopedActivity, WindowMetrics> panes;
        KeyedOneInputStreamOperatorTestHarness<MetricsKey, ScopedActivity, WindowMetrics> sliding;
        final List<String> panesOut = new ArrayList<>();
        final List<String> slidingOut = new ArrayList<>();
        final List<String> panesLate = new ArrayList<>();
        final List<String> slidingLate = new ArrayList<>();

        Pair(AgentWindowConfig config) {
            this.config = config;
        }

        @SuppressWarnings("unchecked")
        void open(OperatorSubtaskState panesState, OperatorSubtaskState slidingState) throws Exception {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            DataStream<CallActivity> source = env.fromData(new CallActivity("c", "a", "t", "q", DAY,
                    ListeningTotals.ZERO));
            KeyedStream<ScopedActivity, MetricsKey> keyed = AgentWindows.keyByScope(source);
            panes = harness((OneInputTransformation<ScopedActivity, WindowMetrics>) AgentWindows
                    .window(keyed, WindowKind.LIVE, config, WindowMetrics.Scoring.DEFAULTS).getTransformation(),
                    panesState);
            sliding = harness((OneInputTransformation<ScopedActivity, WindowMetrics>) keyed
                    .window(AgentWindows.assigner(WindowKind.LIVE, config))
                    .allowedLateness(Duration.ZERO)
                    .sideOutputLateData(AgentWindows.LATE)
                    .aggregate(new TotalsAggregate(), new WindowMetricsFunction(WindowKind.LIVE,
                            WindowMetrics.Scoring.DEFAULTS))
                    .getTransformation(), slidingState);
        }

        void element(ScopedActivity a, long at) throws Exception {
            panes.processElement(a, at);
            sliding.processElement(a, at);
        }

        void watermark(long at) throws Exception {
            panes.processWatermark(at);
            sliding.processWatermark(at);
        }

        /** Snapshots both, as a checkpoint does, and goes on with new instances restored from it. */
        void restore(long checkpointId) throws Exception {
            OperatorSubtaskState panesState = panes.snapshot(checkpointId, checkpointId);
            OperatorSubtaskState slidingState = sliding.snapshot(checkpointId, checkpointId);
            drain();
            close();
            open(panesState, slidingState);
        }

        void drain() {
            collect(panes, panesOut, panesLate);
            collect(sliding, slidingOut, slidingLate);
        }

        void close() throws Exception {
            drain();
            panes.close();
            sliding.close();
        }

        private static KeyedOneInputStreamOperatorTestHarness<MetricsKey, ScopedActivity, WindowMetrics> harness(
                OneInputTransformation<ScopedActivity, WindowMetrics> transformation, OperatorSubtaskState state)
                throws Exception {
            var harness = new KeyedOneInputStreamOperatorTestHarness<>(transformation.getOperatorFactory(),
                    ScopedActivity::key, TypeInformation.of(MetricsKey.class));
            if (state != null) {
                harness.initializeState(state);
            }
            harness.open();
            return harness;
        }

        /**
         * Moves a harness's output into {@code out}: each record with its timestamp, the records
         * between two watermarks sorted (keys firing at one watermark may come in any order), each
         * watermark as a line of its own.
         */
        private static void collect(KeyedOneInputStreamOperatorTestHarness<MetricsKey, ScopedActivity,
                WindowMetrics> harness, List<String> out, List<String> late) {
            List<String> step = new ArrayList<>();
            for (Object o : harness.getOutput()) {
                if (o instanceof Watermark w) {
                    step.sort(null);
                    out.addAll(step);
                    step.clear();
                    out.add("W " + w.getTimestamp());
                } else if (o instanceof StreamRecord<?> r) {
                    step.add("R " + r.getTimestamp() + " " + r.getValue());
                }
            }
            step.sort(null);
            out.addAll(step);
            harness.getOutput().clear();
            var side = harness.getSideOutput(AgentWindows.LATE);
            if (side != null) {
                side.forEach(r -> late.add(r.getTimestamp() + " " + r.getValue()));
                side.clear();
            }
        }
    }
}
