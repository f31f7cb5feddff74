package io.earshot.jobs.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.jobs.agents.functions.TotalsAggregate;
import io.earshot.jobs.agents.functions.WindowMetricsFunction;
import io.earshot.jobs.common.CallActivity;
import io.earshot.jobs.metrics.ListeningTotals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The live window over panes ({@code LiveWindowFunction}) against Flink's own sliding event-time
 * windows with the same sum, side by side under the keyed harness: random activity for a few
 * keys, in and out of order, some of it behind the watermark (partly or wholly late), with the
 * watermark moved in random steps. Both must give the same records, timestamps and late output.
 */
class LiveWindowPanesTest {

    private static final long DAY = 1_763_856_000_000L;

    static List<Object[]> cases() {
        List<Object[]> cases = new ArrayList<>();
        long[][] shapes = {{15 * 60_000, 10_000}, {60_000, 10_000}, {30_000, 30_000}, {25_000, 10_000}};
        for (long[] shape : shapes) {
            for (long seed = 1; seed <= 6; seed++) {
                cases.add(new Object[] {new AgentWindowConfig(shape[0], shape[1], 0), seed});
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "size {0}, seed {1}")
    @MethodSource("cases")
    void shouldGiveTheSameRecordsAsFlinksSlidingWindows(AgentWindowConfig config, long seed) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<CallActivity> source = env.fromData(new CallActivity("c", "a", "t", "q", DAY, ListeningTotals.ZERO));
        KeyedStream<ScopedActivity, MetricsKey> keyed = AgentWindows.keyByScope(source);
        var panes = harness((OneInputTransformation<ScopedActivity, WindowMetrics>) AgentWindows
                .window(keyed, WindowKind.LIVE, config, WindowMetrics.Scoring.DEFAULTS).getTransformation());
        var sliding = harness((OneInputTransformation<ScopedActivity, WindowMetrics>) keyed
                .window(AgentWindows.assigner(WindowKind.LIVE, config))
                .allowedLateness(Duration.ZERO)
                .sideOutputLateData(AgentWindows.LATE)
                .aggregate(new TotalsAggregate(), new WindowMetricsFunction(WindowKind.LIVE,
                        WindowMetrics.Scoring.DEFAULTS))
                .getTransformation());

        Random random = new Random(seed);
        long watermark = DAY;
        for (int i = 0; i < 400; i++) {
            if (random.nextInt(4) == 0) {
                watermark += random.nextInt(6) == 0 ? random.nextLong(3 * config.liveSizeMs())
                        : random.nextLong(2 * config.liveSlideMs());
                panes.processWatermark(watermark);
                sliding.processWatermark(watermark);
            }
            long at = random.nextInt(8) == 0 ? watermark - random.nextLong(config.liveSizeMs() + 20_000)
                    : watermark + 1 + random.nextLong(3 * config.liveSlideMs());
            ListeningTotals delta = new ListeningTotals(random.nextInt(5_000), random.nextInt(3_000),
                    random.nextInt(3_000), 0, 0, random.nextInt(3) - 1, 0, 0, 0, 0, random.nextInt(2), 0, 0, 0,
                    random.nextInt(2));
            ScopedActivity a = new ScopedActivity(new MetricsKey(Scope.values()[random.nextInt(3)],
                    "k" + random.nextInt(3)), new CallActivity("c" + i, "a", "t", "q", at, delta));
            panes.processElement(a, at);
            sliding.processElement(a, at);
        }
        long last = watermark + 4 * config.liveSlideMs() + 2 * config.liveSizeMs(); // past every window
        panes.processWatermark(last);
        sliding.processWatermark(last);

        assertThat(records(panes)).isNotEmpty().containsExactlyElementsOf(records(sliding));
        assertThat(late(panes)).containsExactlyElementsOf(late(sliding));
        assertThat(panes.numKeyedStateEntries()).isZero();
        assertThat(panes.numEventTimeTimers()).isZero();
        panes.close();
        sliding.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<MetricsKey, ScopedActivity, WindowMetrics> harness(
            OneInputTransformation<ScopedActivity, WindowMetrics> transformation) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(transformation.getOperatorFactory(),
                ScopedActivity::key, TypeInformation.of(MetricsKey.class));
        harness.open();
        return harness;
    }

    private static List<String> late(KeyedOneInputStreamOperatorTestHarness<MetricsKey, ScopedActivity,
            WindowMetrics> harness) {
        var late = harness.getSideOutput(AgentWindows.LATE);
        return late == null ? List.of() : late.stream().map(r -> r.getTimestamp() + " " + r.getValue()).toList();
    }

    /** Output records with their timestamps, in emission order per key (keys firing at one time may interleave). */
    private static List<String> records(KeyedOneInputStreamOperatorTestHarness<MetricsKey, ScopedActivity,
            WindowMetrics> harness) {
        List<StreamRecord<? extends WindowMetrics>> out = new ArrayList<>(harness.extractOutputStreamRecords());
        out.sort(Comparator.comparingLong((StreamRecord<? extends WindowMetrics> r) -> r.getTimestamp())
                .thenComparing(r -> r.getValue().scope())
                .thenComparing(r -> r.getValue().key()));
        return out.stream().map(r -> r.getTimestamp() + " " + r.getValue()).toList();
    }
}
