package io.earshot.jobs.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.jobs.calls.functions.CallDynamicsFunction;
import io.earshot.jobs.calls.functions.EventValidator;
import io.earshot.analysis.avro.AvroInputs;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.DeadLetter;
import io.earshot.contracts.Topics;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class EventValidatorTest {

    @Test
    void shouldSendAnUndecodableRecordToTheDeadLettersWithItsReason() throws Exception {
        try (OneInputStreamOperatorTestHarness<CallEvent, CallEvent> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new EventValidator())) {
            CallEvent bad = AvroInputs.undecodable(Topics.CALLS, 1, 9, "c7", 1_000L, "earshot.calls: corrupt");
            CallEvent good = CallEvent.started("c8", "a", null, null, 2_000L);

            harness.processElement(bad, bad.eventTimeMs);
            harness.processElement(good, good.eventTimeMs);

            assertThat(harness.extractOutputValues()).extracting(e -> e.callId, e -> e.kind)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("c8", CallEvent.Kind.STARTED));
            assertThat(harness.getSideOutput(CallDynamicsFunction.DEAD_LETTERS)).extracting(StreamRecord::getValue)
                    .containsExactly(new DeadLetter("c7", "UNDECODABLE", 1_000L,
                            "undecodable record: earshot.calls partition 1 offset 9: earshot.calls: corrupt"));
        }
    }

    @Test
    void shouldDeadLetterAnAssignmentWithoutAnAgentAndAnUndecodableOne() throws Exception {
        try (OneInputStreamOperatorTestHarness<CallEvent, CallEvent> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new EventValidator())) {
            CallEvent nobody = CallEvent.assigned("c9", 3_000L, " ", "t", "q", 3_000L, "cti");
            CallEvent garbage = AvroInputs.undecodable(Topics.CALL_ASSIGNMENTS, 0, 4, "c9", 4_000L,
                    "earshot.call-assignments: value of 3 bytes is not Avro single-object encoded");
            CallEvent someone = CallEvent.assigned("c9", 5_000L, "agent-1", "t", "q", 5_000L, "cti");

            harness.processElement(nobody, nobody.eventTimeMs);
            harness.processElement(garbage, garbage.eventTimeMs);
            harness.processElement(someone, someone.eventTimeMs);

            assertThat(harness.extractOutputValues()).extracting(e -> e.agentId).containsExactly("agent-1");
            assertThat(harness.getSideOutput(CallDynamicsFunction.DEAD_LETTERS)).extracting(StreamRecord::getValue)
                    .containsExactly(new DeadLetter("c9", "ASSIGNED", 3_000L, "assignment without an agent id"),
                            new DeadLetter("c9", "UNDECODABLE", 4_000L, "undecodable record: earshot.call-assignments"
                                    + " partition 0 offset 4: earshot.call-assignments: value of 3 bytes is not Avro"
                                    + " single-object encoded"));
        }
    }
}
