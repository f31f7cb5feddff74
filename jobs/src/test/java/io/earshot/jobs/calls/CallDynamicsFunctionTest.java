package io.earshot.jobs.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.jobs.calls.functions.CallDynamicsFunction;
import io.earshot.jobs.common.CallEvent;
import io.earshot.jobs.common.DeadLetter;
import io.earshot.jobs.common.WordItem;
import io.earshot.schemas.Role;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-call operator with Flink's keyed test harness: state, timers, watermarks. */
class CallDynamicsFunctionTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final JobConfig CONFIG = JobConfig.DEFAULTS;

    private KeyedOneInputStreamOperatorTestHarness<String, CallEvent, CallSummary> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new CallDynamicsFunction(CONFIG),
                e -> e.callId, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(CallEvent e) throws Exception {
        harness.processElement(e, e.eventTimeMs);
    }

    private static CallEvent seg(String call, Role role, long start, long end) {
        return CallEvent.segment(call, T0, role, start, end, 150, 3, -20);
    }

    /** A customer turn interrupted by the agent 1 s in, the customer stopping 1.2 s later. */
    private void interruptedCall(String call) throws Exception {
        send(CallEvent.started(call, "agent-7", "billing", "q1", T0));
        send(seg(call, Role.AGENT, 0, 2000));
        send(seg(call, Role.AGENT, 4000, 7000)); // out of order: arrives before the customer's spurt
        send(seg(call, Role.CUSTOMER, 3000, 5200));
        send(CallEvent.utterance(call, T0, Role.AGENT, 4000, 7000, "let me stop you there",
                List.of(new WordItem("let", 4000, 4300, 0.9), new WordItem("me", 4300, 4500, 0.9))));
        send(CallEvent.ended(call, T0, 8000, "closed"));
    }

    @Test
    void shouldEmitTheFinalSummaryOnceTheWatermarkPassesEndPlusGraceAndForgetTheCall() throws Exception {
        interruptedCall("c1");
        harness.processWatermark(T0 + 8000 + CONFIG.finalGraceMs() - 1);
        assertThat(harness.extractOutputValues()).noneMatch(CallSummary::isFinal);

        harness.processWatermark(T0 + 8000 + CONFIG.finalGraceMs());
        List<CallSummary> finals = harness.extractOutputValues().stream().filter(CallSummary::isFinal).toList();
        assertThat(finals).hasSize(1);
        CallSummary s = finals.get(0);
        assertThat(s.agentId()).isEqualTo("agent-7");
        assertThat(s.endReason()).isEqualTo("ended");
        assertThat(s.metrics().durationMs()).isEqualTo(8000);
        assertThat(s.metrics().agentTalkMs()).isEqualTo(5000);
        assertThat(s.metrics().customerTalkMs()).isEqualTo(2200);
        assertThat(s.metrics().interruptions()).singleElement().satisfies(i -> {
            assertThat(i.by()).isEqualTo(Role.AGENT);
            assertThat(i.startMs()).isEqualTo(4000);
            assertThat(i.overlapMs()).isEqualTo(1200);
            assertThat(i.successful()).isTrue();
            assertThat(i.byWords()).isEqualTo("let me");
        });
        assertThat(s.segments()).extracting(x -> x.startMs()).containsExactly(0L, 3000L, 4000L);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldIncludeAnUtteranceThatArrivesAfterTheEndWithinTheGrace() throws Exception {
        interruptedCall("c1");
        send(CallEvent.utterance("c1", T0, Role.CUSTOMER, 3000, 5200, "my meter",
                List.of(new WordItem("my", 3000, 3200, 0.8), new WordItem("meter", 3200, 3600, 0.8))));
        harness.processWatermark(T0 + 60_000);
        CallSummary s = harness.extractOutputValues().stream().filter(CallSummary::isFinal).findFirst().orElseThrow();
        assertThat(s.transcript()).extracting(u -> u.text()).containsExactly("my meter", "let me stop you there");
    }

    @Test
    void shouldEmitRunningValuesWhileTheCallIsLive() throws Exception {
        send(CallEvent.started("c2", "agent-1", "t", "q", T0));
        send(seg("c2", Role.CUSTOMER, 0, 3000));
        harness.processWatermark(T0 + 3000 + CONFIG.runningIntervalMs());
        List<CallSummary> running = harness.extractOutputValues();
        assertThat(running).singleElement().satisfies(s -> {
            assertThat(s.isFinal()).isFalse();
            assertThat(s.metrics().customerTalkMs()).isEqualTo(3000);
        });
        send(seg("c2", Role.AGENT, 3400, 6000));
        harness.processWatermark(T0 + 6000 + CONFIG.runningIntervalMs());
        assertThat(harness.extractOutputValues()).last().satisfies(s -> {
            assertThat(s.isFinal()).isFalse();
            assertThat(s.metrics().responseGaps()).singleElement().satisfies(g -> assertThat(g.gapMs()).isEqualTo(400));
        });
    }

    @Test
    void shouldHoldEventsThatArriveBeforeTheirCallStartsUntilTheWatermarkPassesThem() throws Exception {
        send(seg("c5", Role.CUSTOMER, 0, 3000));          // the start comes from another topic, later
        send(CallEvent.started("c5", "agent-2", "t", "q", T0));
        send(CallEvent.ended("c5", T0, 4000, "closed"));
        harness.processWatermark(T0 + 60_000);
        assertThat(harness.getSideOutput(CallDynamicsFunction.DEAD_LETTERS)).isNullOrEmpty();
        assertThat(harness.extractOutputValues()).filteredOn(CallSummary::isFinal).singleElement()
                .satisfies(s -> assertThat(s.metrics().customerTalkMs()).isEqualTo(3000));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldCloseACallWithoutAnEndEventAfterTheInactivityTimeout() throws Exception {
        send(CallEvent.started("c3", "agent-1", "t", "q", T0));
        send(seg("c3", Role.AGENT, 0, 1500));
        harness.processWatermark(T0 + 1500 + CONFIG.inactivityTimeoutMs());
        assertThat(harness.extractOutputValues()).filteredOn(CallSummary::isFinal).singleElement()
                .satisfies(s -> assertThat(s.endReason()).isEqualTo("inactivity"));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldSendMalformedEventsToDeadLettersAndStillSummariseTheCall() throws Exception {
        send(CallEvent.ended("ghost", T0, 1000, "closed"));                 // end before start
        send(seg("nobody", Role.AGENT, 0, 500));                              // unknown call
        interruptedCall("c4");
        send(CallEvent.started("c4", "agent-7", "billing", "q1", T0));       // second start
        send(seg("c4", Role.AGENT, 0, 2000));                                 // duplicate
        send(seg("c4", Role.CUSTOMER, 900, 400));                             // negative duration
        send(seg("c4", Role.CUSTOMER, -40, 100));                             // negative time
        harness.processWatermark(T0 + 60_000);
        send(seg("c4", Role.AGENT, 9000, 9500));                              // after the call was closed
        harness.processWatermark(T0 + 61_000);

        List<String> reasons = harness.getSideOutput(CallDynamicsFunction.DEAD_LETTERS).stream()
                .map(StreamRecord::getValue).map(DeadLetter::reason).toList();
        assertThat(reasons).containsExactlyInAnyOrder(
                "end of a call that never started (or was already closed)",
                "event for an unknown call (never started, or already closed)",
                "call already started",
                "duplicate segment",
                "negative time or duration: 900-400",
                "negative time or duration: -40-100",
                "event for an unknown call (never started, or already closed)");
        CallSummary s = harness.extractOutputValues().stream().filter(CallSummary::isFinal).findFirst().orElseThrow();
        assertThat(s.metrics().agentTalkMs()).isEqualTo(5000);
        assertThat(s.metrics().interruptions()).hasSize(1);
    }
}
