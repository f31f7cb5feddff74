package io.earshot.jobs.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.analysis.windows.AgentWindowConfig;
import io.earshot.analysis.windows.MetricsKey;
import io.earshot.analysis.windows.Scope;
import io.earshot.analysis.windows.ScopedActivity;
import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.jobs.agents.functions.LateActivityDeadLetter;
import io.earshot.jobs.agents.functions.ScopeFanOut;
import io.earshot.analysis.windows.CallActivity;
import io.earshot.analysis.events.DeadLetter;
import io.earshot.analysis.metrics.ListeningTotals;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The window operators exactly as {@link AgentWindows} builds them, under Flink's keyed test
 * harness: activity goes in through the scope fan-out with explicit timestamps, the watermark
 * is moved by hand, and each window's record is checked when it fires.
 */
class AgentWindowsTest {

    /** 2025-11-23T00:00Z: a UTC midnight, so hours and days below are round. */
    private static final long DAY = 1_763_856_000_000L;
    private static final long HOUR = AgentWindowConfig.HOUR_MS;
    private static final long MINUTE = 60_000;

    private KeyedOneInputStreamOperatorTestHarness<MetricsKey, ScopedActivity, WindowMetrics> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    /** Opens a harness on the operator {@link AgentWindows#window} builds for this kind. */
    @SuppressWarnings("unchecked")
    private void open(WindowKind kind, AgentWindowConfig config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<CallActivity> activity = env.fromData(activity("c0", "a0", "t0", "q0", DAY, ListeningTotals.ZERO));
        OneInputTransformation<ScopedActivity, WindowMetrics> transformation =
                (OneInputTransformation<ScopedActivity, WindowMetrics>) AgentWindows
                        .window(AgentWindows.keyByScope(activity), kind, config, WindowMetrics.Scoring.DEFAULTS).getTransformation();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(transformation.getOperatorFactory(), ScopedActivity::key,
                TypeInformation.of(MetricsKey.class));
        harness.open();
    }

    private static CallActivity activity(String call, String agent, String team, String queue, long at,
            ListeningTotals delta) {
        return new CallActivity(call, agent, team, queue, at, delta);
    }

    private static ListeningTotals delta(long callTime, long agentTalk, long agentInterruptions, long transfers,
            long calls) {
        return new ListeningTotals(callTime, agentTalk, 0, 0, 0, agentInterruptions, 0, 0, 0, 0, transfers, 0, 0, 0,
                calls);
    }

    /** Sends the activity through the scope fan-out into the window operator, at its own event time. */
    private void send(CallActivity a) throws Exception {
        List<ScopedActivity> scoped = new ArrayList<>();
        new ScopeFanOut().flatMap(a, new ListCollector<>(scoped));
        for (ScopedActivity s : scoped) {
            harness.processElement(s, a.atMs());
        }
    }

    private List<WindowMetrics> out(Scope scope, String key) {
        return harness.extractOutputValues().stream().filter(m -> m.scope() == scope && m.key().equals(key))
                .sorted(Comparator.comparingLong(WindowMetrics::windowEndMs)).toList();
    }

    @Test
    void shouldSumTwoCallsOfOneAgentInTheSameHourIntoOneHourlyRecord() throws Exception {
        open(WindowKind.HOURLY, AgentWindowConfig.DEFAULTS);
        long h10 = DAY + 10 * HOUR;
        send(activity("c1", "a1", "billing", "q1", h10 + 5 * MINUTE, delta(300_000, 120_000, 1, 2, 0)));
        send(activity("c1", "a1", "billing", "q1", h10 + 10 * MINUTE, delta(300_000, 90_000, 1, 1, 1)));
        send(activity("c2", "a1", "billing", "q1", h10 + 40 * MINUTE, delta(300_000, 60_000, 1, 0, 1)));

        harness.processWatermark(h10 + HOUR - 2);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processWatermark(h10 + HOUR);

        assertThat(out(Scope.AGENT, "a1")).singleElement().satisfies(m -> {
            assertThat(m.window()).isEqualTo(WindowKind.HOURLY);
            assertThat(m.windowStartMs()).isEqualTo(h10);
            assertThat(m.windowEndMs()).isEqualTo(h10 + HOUR);
            assertThat(m.totals().callTimeMs()).isEqualTo(900_000);
            assertThat(m.totals().agentTalkMs()).isEqualTo(270_000);
            assertThat(m.totals().agentInterruptions()).isEqualTo(3);
            assertThat(m.totals().transfers()).isEqualTo(3);
            assertThat(m.totals().callsEnded()).isEqualTo(2);
            assertThat(m.agentInterruptionsPer10Min()).isEqualTo(2.0); // 3 in 15 minutes of call time
        });
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldRollUpTheAgentsOfATeamAndOfAQueue() throws Exception {
        open(WindowKind.HOURLY, AgentWindowConfig.DEFAULTS);
        long h = DAY + 14 * HOUR;
        send(activity("c1", "a1", "billing", "q1", h + MINUTE, delta(600_000, 200_000, 2, 1, 1)));
        send(activity("c2", "a2", "billing", "q2", h + 2 * MINUTE, delta(400_000, 100_000, 1, 3, 1)));
        send(activity("c3", "a3", "sales", "q1", h + 3 * MINUTE, delta(200_000, 50_000, 0, 1, 1)));
        send(activity("c4", "a4", null, " ", h + 4 * MINUTE, delta(100_000, 10_000, 5, 0, 1)));
        harness.processWatermark(h + HOUR);

        assertThat(out(Scope.TEAM, "billing")).singleElement().satisfies(m -> {
            assertThat(m.totals().callTimeMs()).isEqualTo(1_000_000);
            assertThat(m.totals().agentTalkMs()).isEqualTo(300_000);
            assertThat(m.totals().agentInterruptions()).isEqualTo(3);
            assertThat(m.totals().transfers()).isEqualTo(4);
            assertThat(m.totals().callsEnded()).isEqualTo(2);
            assertThat(m.agentInterruptionsPer10Min()).isEqualTo(1.8);
        });
        assertThat(out(Scope.TEAM, "sales")).singleElement()
                .satisfies(m -> assertThat(m.totals().callTimeMs()).isEqualTo(200_000));
        assertThat(out(Scope.QUEUE, "q1")).singleElement()
                .satisfies(m -> assertThat(m.totals().callTimeMs()).isEqualTo(800_000));
        assertThat(out(Scope.QUEUE, "q2")).singleElement()
                .satisfies(m -> assertThat(m.totals().callTimeMs()).isEqualTo(400_000));
        assertThat(harness.extractOutputValues()).filteredOn(m -> m.scope() == Scope.AGENT)
                .extracting(WindowMetrics::key).containsExactlyInAnyOrder("a1", "a2", "a3", "a4");
        // a4's call has no team and a blank queue: it is in its agent's window only
        assertThat(harness.extractOutputValues()).hasSize(4 + 2 + 2);
    }

    @Test
    void shouldSplitACallSpanningAnHourBoundaryByTheEventTimeOfItsActivity() throws Exception {
        open(WindowKind.HOURLY, AgentWindowConfig.DEFAULTS);
        long h10 = DAY + 10 * HOUR;
        send(activity("c1", "a1", "billing", "q1", h10 - 20_000, delta(5_000, 3_000, 0, 1, 0)));
        send(activity("c1", "a1", "billing", "q1", h10 + 5_000, delta(10_000, 4_000, 1, 0, 0))); // out of order
        send(activity("c1", "a1", "billing", "q1", h10 - 5_000, delta(15_000, 6_000, 1, 1, 0)));
        send(activity("c1", "a1", "billing", "q1", h10 + 15_000, delta(7_000, 0, -1, 0, 1)));
        harness.processWatermark(h10 + HOUR);

        List<WindowMetrics> hours = out(Scope.AGENT, "a1");
        assertThat(hours).extracting(WindowMetrics::windowStartMs).containsExactly(h10 - HOUR, h10);
        assertThat(hours.get(0).totals()).isEqualTo(delta(20_000, 9_000, 1, 2, 0));
        assertThat(hours.get(1).totals()).isEqualTo(delta(17_000, 4_000, 0, 0, 1));
        assertThat(hours.get(0).totals().plus(hours.get(1).totals())).isEqualTo(delta(37_000, 13_000, 1, 2, 1));
    }

    @Test
    void shouldMoveTheLiveWindowEveryTenSecondsOverTheLastFifteenMinutes() throws Exception {
        open(WindowKind.LIVE, AgentWindowConfig.DEFAULTS);
        long s = DAY + 9 * HOUR;
        send(activity("c1", "a1", "billing", "q1", s + 3_000, delta(3_000, 1_000, 0, 0, 0)));
        send(activity("c1", "a1", "billing", "q1", s + 14_000, delta(5_000, 2_000, 1, 0, 0)));

        harness.processWatermark(s + 30_000);
        assertThat(out(Scope.AGENT, "a1")).extracting(WindowMetrics::windowEndMs)
                .containsExactly(s + 10_000, s + 20_000, s + 30_000);
        for (long w = s + 40_000; w <= s + 20 * MINUTE; w += 10_000) {
            harness.processWatermark(w);
        }

        List<WindowMetrics> live = out(Scope.AGENT, "a1");
        assertThat(live).hasSize(91).allSatisfy(m -> {
            assertThat(m.window()).isEqualTo(WindowKind.LIVE);
            assertThat(m.windowEndMs() - m.windowStartMs()).isEqualTo(15 * MINUTE);
        });
        for (int i = 0; i < live.size(); i++) {
            assertThat(live.get(i).windowEndMs()).isEqualTo(s + 10_000 * (i + 1));
        }
        assertThat(live.get(0).totals().agentTalkMs()).isEqualTo(1_000);             // up to s+10s: the first only
        assertThat(live.subList(1, 90)).allSatisfy(m -> assertThat(m.totals().agentTalkMs()).isEqualTo(3_000));
        assertThat(live.get(89).windowStartMs()).isEqualTo(s);                        // last to hold s+3s
        assertThat(live.get(90).totals().agentTalkMs()).isEqualTo(2_000);            // s+10s .. s+15m10s
        assertThat(live.get(90).agentInterruptionsPer10Min()).isEqualTo(120.0);       // 1 in 5 s of call time
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldSendActivityBehindTheWatermarkToTheLateOutputAndNotReopenTheWindow() throws Exception {
        open(WindowKind.HOURLY, AgentWindowConfig.DEFAULTS);
        long h = DAY + 8 * HOUR;
        send(activity("c1", "a1", "billing", "q1", h + MINUTE, delta(60_000, 30_000, 1, 0, 1)));
        harness.processWatermark(h + HOUR);
        int fired = harness.extractOutputValues().size();
        send(activity("c2", "a1", "billing", "q1", h + 30 * MINUTE, delta(60_000, 30_000, 4, 0, 1)));
        harness.processWatermark(h + 2 * HOUR);

        assertThat(harness.extractOutputValues()).hasSize(fired).allSatisfy(m -> {
            assertThat(m.totals().agentInterruptions()).isEqualTo(1);
        });
        List<ScopedActivity> late = harness.getSideOutput(AgentWindows.LATE).stream().map(StreamRecord::getValue)
                .toList();
        assertThat(late).extracting(ScopedActivity::key).containsExactlyInAnyOrder(
                new MetricsKey(Scope.AGENT, "a1"), new MetricsKey(Scope.TEAM, "billing"),
                new MetricsKey(Scope.QUEUE, "q1"));

        OneInputStreamOperatorTestHarness<ScopedActivity, DeadLetter> letters =
                new OneInputStreamOperatorTestHarness<>(new StreamMap<>(new LateActivityDeadLetter(WindowKind.HOURLY)));
        letters.open();
        letters.processElement(late.get(0), h + 30 * MINUTE);
        List<DeadLetter> dead = letters.extractOutputValues();
        letters.close();
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.callId()).isEqualTo("c2");
            assertThat(d.eventTimeMs()).isEqualTo(h + 30 * MINUTE);
            assertThat(d.reason()).startsWith("activity behind the watermark for the hourly window of ");
        });
    }

    @Test
    void shouldStartDaysAndHoursAtLocalMidnightAndOnLocalHoursOfTheConfiguredZone() throws Exception {
        AgentWindowConfig india = new AgentWindowConfig(15 * MINUTE, 10_000, 5 * HOUR + 30 * MINUTE);
        open(WindowKind.DAILY, india);
        send(activity("c1", "a1", "billing", "q1", DAY + 3 * HOUR, delta(1_000, 0, 0, 0, 1)));
        harness.processWatermark(DAY + 2 * AgentWindowConfig.DAY_MS);
        assertThat(out(Scope.AGENT, "a1")).singleElement()
                .satisfies(m -> assertThat(m.windowStartMs()).isEqualTo(DAY - 5 * HOUR - 30 * MINUTE)); // 00:00 IST
        harness.close();

        open(WindowKind.HOURLY, india);
        send(activity("c1", "a1", "billing", "q1", DAY + 3 * HOUR + 10 * MINUTE, delta(1_000, 0, 0, 0, 1)));
        harness.processWatermark(DAY + 2 * AgentWindowConfig.DAY_MS);
        assertThat(out(Scope.AGENT, "a1")).singleElement()
                .satisfies(m -> assertThat(m.windowStartMs()).isEqualTo(DAY + 2 * HOUR + 30 * MINUTE));
    }

    @Test
    void shouldRejectALiveWindowThatSlidesFurtherThanItIsLong() {
        assertThatThrownBy(() -> new AgentWindowConfig(10_000, 15_000, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgentWindowConfig(10_000, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgentWindowConfig(10_000, 1_000, AgentWindowConfig.DAY_MS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldPlaceAKeyInTheSameKeyGroupInEveryJvm() {
        // Pinned: a key's group must not depend on the enum's identity hash, which changes per JVM.
        assertThat(KeyGroupRangeAssignment.assignToKeyGroup(new MetricsKey(Scope.AGENT, "agent-7"), 128))
                .isEqualTo(KeyGroupRangeAssignment.assignToKeyGroup(
                        31 * "AGENT".hashCode() + "agent-7".hashCode(), 128));
        assertThat(new MetricsKey(Scope.TEAM, "x")).isNotEqualTo(new MetricsKey(Scope.QUEUE, "x"));
    }

    @ParameterizedTest
    @ValueSource(classes = {CallActivity.class, ListeningTotals.class, ScopedActivity.class, MetricsKey.class,
            WindowMetrics.class})
    void shouldSerializeWindowRecordsAsPojosWithoutKryo(Class<?> type) {
        assertThat(TypeInformation.of(type)).isInstanceOf(PojoTypeInfo.class);
    }
}
