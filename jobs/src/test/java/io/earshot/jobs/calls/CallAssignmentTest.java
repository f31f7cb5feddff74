package io.earshot.jobs.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.jobs.calls.functions.CallDynamicsFunction;
import io.earshot.analysis.windows.CallActivity;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.DeadLetter;
import io.earshot.analysis.metrics.ListeningTotals;
import io.earshot.schemas.Role;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Late binding of a call's agent in the per-call operator: assignments before the start, during
 * the call, after its end within the wait, too late, for unknown calls, and transfers. Defaults:
 * running values every 5 s, final grace 5 s, assignment wait 60 s.
 */
class CallAssignmentTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final JobConfig CONFIG = JobConfig.DEFAULTS;
    private static final String DEFAULT_AGENT = "unassigned";

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

    /** A start on ingest's default agent: the source named nobody. */
    private static CallEvent awaitingStart(String call) {
        CallEvent e = CallEvent.started(call, DEFAULT_AGENT, null, null, T0);
        e.awaitingAssignment = true;
        return e;
    }

    private static CallEvent assigned(String call, long atMs, String agent) {
        return CallEvent.assigned(call, T0 + atMs, agent, "billing", "q-billing", T0 + atMs, "test-bridge");
    }

    private static CallEvent seg(String call, Role role, long start, long end) {
        return CallEvent.segment(call, T0, role, start, end, 150, 3, -20);
    }

    private void advanceSecondBySecond(long fromMs, long toMs) throws Exception {
        for (long t = fromMs; t <= toMs; t += 1000) {
            harness.processWatermark(T0 + t);
        }
    }

    private List<CallActivity> activity() {
        Queue<StreamRecord<CallActivity>> out = harness.getSideOutput(CallDynamicsFunction.ACTIVITY);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    private List<DeadLetter> deadLetters() {
        Queue<StreamRecord<DeadLetter>> out = harness.getSideOutput(CallDynamicsFunction.DEAD_LETTERS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    private CallSummary finalSummary() {
        return harness.extractOutputValues().stream().filter(CallSummary::isFinal).findFirst().orElseThrow();
    }

    private static ListeningTotals sum(List<CallActivity> records) {
        return records.stream().map(CallActivity::delta).reduce(ListeningTotals.ZERO, ListeningTotals::plus);
    }

    private void assertForgotten() throws Exception {
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldAttributeACallAssignedTenSecondsInToTheAssignedAgentInItsWindowsAndFinalSummary() throws Exception {
        send(awaitingStart("c1"));
        send(seg("c1", Role.CUSTOMER, 0, 3000));
        send(seg("c1", Role.AGENT, 3400, 6000));
        advanceSecondBySecond(1000, 9000);
        // live values say what is known: nobody yet; the windows get nothing
        assertThat(harness.extractOutputValues()).extracting(CallSummary::agentId).containsOnly(DEFAULT_AGENT);
        assertThat(activity()).isEmpty();

        send(assigned("c1", 10_000, "agent-42"));
        send(seg("c1", Role.AGENT, 13_000, 16_000));
        send(CallEvent.ended("c1", T0, 20_000, "closed"));
        advanceSecondBySecond(10_000, 40_000);

        CallSummary last = finalSummary();
        assertThat(last).extracting(CallSummary::agentId, CallSummary::team, CallSummary::queue)
                .containsExactly("agent-42", "billing", "q-billing");
        assertThat(harness.extractOutputValues()).filteredOn(s -> s.emittedAtMs() >= T0 + 10_000)
                .isNotEmpty().allSatisfy(s -> assertThat(s.agentId()).isEqualTo("agent-42"));
        List<CallActivity> records = activity();
        assertThat(records).isNotEmpty().allSatisfy(a -> assertThat(a).extracting(CallActivity::agentId,
                CallActivity::team, CallActivity::queue).containsExactly("agent-42", "billing", "q-billing"));
        // held until the assignment, then released at its time with everything so far
        assertThat(records.get(0).atMs()).isEqualTo(T0 + 10_000);
        assertThat(records.get(0).delta().customerTalkMs()).isEqualTo(3000);
        assertThat(sum(records)).isEqualTo(ListeningTotals.of(last.metrics(), last.listening().counts(), true));
        assertThat(deadLetters()).isEmpty();
        assertForgotten();
    }

    @Test
    void shouldApplyAnAssignmentThatArrivesBeforeTheCallStartsFromItsFirstValue() throws Exception {
        send(assigned("c2", -3000, "agent-42"));          // the bridge was quicker than the audio
        harness.processWatermark(T0 - 1);
        send(awaitingStart("c2"));
        send(seg("c2", Role.CUSTOMER, 0, 3000));
        send(CallEvent.ended("c2", T0, 8000, "closed"));
        advanceSecondBySecond(1000, 20_000);

        assertThat(harness.extractOutputValues()).isNotEmpty()
                .allSatisfy(s -> assertThat(s.agentId()).isEqualTo("agent-42"));
        assertThat(activity()).isNotEmpty().allSatisfy(a -> assertThat(a.agentId()).isEqualTo("agent-42"));
        // no wait: the first running value (5 s) already reports, the final comes at end plus grace
        assertThat(activity().get(0).atMs()).isEqualTo(T0 + 5000);
        assertThat(finalSummary().emittedAtMs()).isEqualTo(T0 + 8000 + CONFIG.finalGraceMs());
        assertThat(deadLetters()).isEmpty();
        assertForgotten();
    }

    @Test
    void shouldHoldTheFinalSummaryOfAnEndedCallForAnAssignmentWithinTheWait() throws Exception {
        send(awaitingStart("c3"));
        send(seg("c3", Role.CUSTOMER, 0, 3000));
        send(CallEvent.ended("c3", T0, 8000, "closed"));
        advanceSecondBySecond(1000, 15_000);
        assertThat(harness.extractOutputValues()).noneMatch(CallSummary::isFinal);

        send(assigned("c3", 20_000, "agent-42"));          // 12 s after the call ended
        advanceSecondBySecond(16_000, 30_000);

        CallSummary last = finalSummary();
        assertThat(last.agentId()).isEqualTo("agent-42");
        assertThat(last.emittedAtMs()).isEqualTo(T0 + 20_000);
        assertThat(last.metrics().durationMs()).isEqualTo(8000);
        assertThat(activity()).singleElement().satisfies(a -> {
            assertThat(a.agentId()).isEqualTo("agent-42");
            assertThat(a.delta().callsEnded()).isEqualTo(1);
            assertThat(a.delta().customerTalkMs()).isEqualTo(3000);
        });
        assertForgotten();
    }

    @Test
    void shouldReleaseTheActivityUnderTheStartsAgentWhenNoAssignmentComesWithinTheWait() throws Exception {
        send(awaitingStart("c4"));
        send(seg("c4", Role.CUSTOMER, 0, 3000));
        send(seg("c4", Role.AGENT, 70_000, 72_000));
        send(CallEvent.ended("c4", T0, 75_000, "closed"));
        advanceSecondBySecond(1000, 59_000);
        assertThat(activity()).isEmpty();
        advanceSecondBySecond(60_000, 90_000);

        List<CallActivity> records = activity();
        assertThat(records).isNotEmpty().allSatisfy(a -> assertThat(a.agentId()).isEqualTo(DEFAULT_AGENT));
        assertThat(records.get(0).atMs()).isEqualTo(T0 + CONFIG.assignmentWaitMs());
        CallSummary last = finalSummary();
        assertThat(last.agentId()).isEqualTo(DEFAULT_AGENT);
        assertThat(last.emittedAtMs()).isEqualTo(T0 + 75_000 + CONFIG.finalGraceMs());
        assertThat(sum(records)).isEqualTo(ListeningTotals.of(last.metrics(), last.listening().counts(), true));
        assertForgotten();
    }

    @Test
    void shouldCountATransferForEachAgentFromItsTimeAndNameTheLastInTheFinalSummary() throws Exception {
        send(CallEvent.started("c5", "agent-a", "sales", "q-sales", T0));
        send(seg("c5", Role.CUSTOMER, 0, 3000));
        advanceSecondBySecond(1000, 6000);
        send(assigned("c5", 8000, "agent-b"));
        send(seg("c5", Role.AGENT, 9000, 12_000));
        send(CallEvent.ended("c5", T0, 14_000, "closed"));
        advanceSecondBySecond(7000, 30_000);

        List<CallActivity> records = activity();
        assertThat(records).extracting(CallActivity::agentId).startsWith("agent-a").endsWith("agent-b");
        assertThat(records).filteredOn(a -> a.agentId().equals("agent-a"))
                .allSatisfy(a -> assertThat(a.atMs()).isLessThan(T0 + 8000));
        assertThat(records).filteredOn(a -> a.agentId().equals("agent-b"))
                .allSatisfy(a -> assertThat(a.atMs()).isGreaterThanOrEqualTo(T0 + 8000));
        CallSummary last = finalSummary();
        assertThat(last).extracting(CallSummary::agentId, CallSummary::team).containsExactly("agent-b", "billing");
        assertThat(sum(records)).isEqualTo(ListeningTotals.of(last.metrics(), last.listening().counts(), true));
        assertForgotten();
    }

    @Test
    void shouldDeadLetterAnAssignmentForACallThatDoesNotStartWithinTheWait() throws Exception {
        send(assigned("nobody", 0, "agent-42"));
        harness.processWatermark(T0 + CONFIG.assignmentWaitMs() - 1);
        assertThat(deadLetters()).isEmpty();

        harness.processWatermark(T0 + CONFIG.assignmentWaitMs());
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.callId()).isEqualTo("nobody");
            assertThat(d.kind()).isEqualTo("ASSIGNED");
            assertThat(d.reason()).startsWith("assignment for an unknown call");
        });
        assertThat(harness.extractOutputValues()).isEmpty();
        assertForgotten();
    }

    @Test
    void shouldDeadLetterAnAssignmentThatComesAfterItsCallClosed() throws Exception {
        send(CallEvent.started("c6", "agent-a", "sales", "q-sales", T0));
        send(seg("c6", Role.CUSTOMER, 0, 3000));
        send(CallEvent.ended("c6", T0, 4000, "closed"));
        advanceSecondBySecond(1000, 10_000);
        assertThat(finalSummary().agentId()).isEqualTo("agent-a");

        send(assigned("c6", 11_000, "agent-b"));
        harness.processWatermark(T0 + 11_000 + CONFIG.assignmentWaitMs());
        assertThat(deadLetters()).singleElement()
                .satisfies(d -> assertThat(d.reason()).startsWith("assignment for an unknown call"));
        assertThat(harness.extractOutputValues()).filteredOn(CallSummary::isFinal).singleElement()
                .satisfies(s -> assertThat(s.agentId()).isEqualTo("agent-a"));
        assertForgotten();
    }

    @Test
    void shouldHoldNothingBackForACallThatNamedItsAgentAtTheStart() throws Exception {
        send(CallEvent.started("c7", "agent-a", "sales", "q-sales", T0));
        send(seg("c7", Role.CUSTOMER, 0, 3000));
        advanceSecondBySecond(1000, 5000);
        assertThat(activity()).singleElement().satisfies(a -> {
            assertThat(a.agentId()).isEqualTo("agent-a");
            assertThat(a.atMs()).isEqualTo(T0 + 5000);
        });
    }
}
