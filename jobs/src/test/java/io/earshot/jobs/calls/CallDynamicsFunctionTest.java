package io.earshot.jobs.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.summary.TranscriptionStatus;
import io.earshot.jobs.calls.functions.CallDynamicsFunction;
import io.earshot.analysis.windows.CallActivity;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.DeadLetter;
import io.earshot.analysis.events.WordItem;
import io.earshot.analysis.metrics.ListeningTotals;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
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
    void shouldReportTheTranscriptionStatusKnownByEachSummaryAndKeepTheWorst() throws Exception {
        send(CallEvent.started("c9", "agent-1", "t", "q", T0));
        send(seg("c9", Role.CUSTOMER, 0, 3000));
        send(CallEvent.transcription("c9", T0 + 3000, 1_800, 0, 0));
        send(CallEvent.transcription("c9", T0 + 6000, 7_400, 1, 2_600));
        send(CallEvent.transcription("c9", T0 + 9000, 900, 2, 4_100)); // lag recovered, counts grow
        send(CallEvent.ended("c9", T0, 10_000, "closed"));
        harness.processWatermark(T0 + 5_000);
        CallSummary running = harness.extractOutputValues().get(0);
        assertThat(running.isFinal()).isFalse();
        assertThat(running.emittedAtMs()).isEqualTo(T0 + 5_000);
        assertThat(running.transcription()).isEqualTo(new TranscriptionStatus(0, 0, 1_800));

        harness.processWatermark(T0 + 60_000);
        CallSummary last = harness.extractOutputValues().stream().filter(CallSummary::isFinal).findFirst()
                .orElseThrow();
        assertThat(last.transcription()).isEqualTo(new TranscriptionStatus(2, 4_100, 7_400));
        assertThat(last.transcription().degraded()).isTrue();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    /**
     * A long call reporting its transcription every second, the reports and spurts arriving up
     * to 4 s out of order, some behind the watermark: each summary holds exactly the reports
     * received before it whose event time is at or before it (the final one all of them).
     */
    @Test
    void shouldFoldEveryTranscriptionReportKnownByEachSummaryWhateverOrderTheyCameIn() throws Exception {
        java.util.Random random = new java.util.Random(11);
        List<CallEvent> events = new ArrayList<>();
        int regions = 0;
        long skippedMs = 0;
        for (long t = 1_000; t < 600_000; t += 1_000) {
            if (random.nextInt(20) == 0) {
                regions++;
                skippedMs += 500 + random.nextInt(3_000);
            }
            events.add(CallEvent.transcription("c8", T0 + t, random.nextInt(12_000), regions, skippedMs));
            if (t % 2_000 == 0) {
                events.add(seg("c8", t % 4_000 == 0 ? Role.AGENT : Role.CUSTOMER, t - 1_500, t - 200));
            }
        }
        // arrival: each event up to 4 s late
        List<long[]> order = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            order.add(new long[] {events.get(i).eventTimeMs + random.nextInt(4_000), i});
        }
        order.sort(java.util.Comparator.comparingLong(a -> a[0]));
        send(CallEvent.started("c8", "agent-1", "t", "q", T0));
        List<CallEvent> received = new ArrayList<>();
        int seen = 0;
        int checked = 0;
        long watermark = Long.MIN_VALUE;
        for (long[] arrival : order) {
            CallEvent e = events.get((int) arrival[1]);
            send(e);
            if (e.kind == CallEvent.Kind.TRANSCRIPTION) {
                received.add(e);
            }
            if (arrival[0] - 2_500 > watermark + 1_000) { // the watermark trails arrivals by 2.5 s
                watermark = arrival[0] - 2_500;
                harness.processWatermark(watermark);
                List<CallSummary> out = harness.extractOutputValues();
                for (; seen < out.size(); seen++) {
                    CallSummary s = out.get(seen);
                    assertThat(s.transcription()).as("at %d", s.emittedAtMs() - T0)
                            .isEqualTo(folded(received, s.emittedAtMs()));
                    checked++;
                }
            }
        }
        send(CallEvent.ended("c8", T0, 600_000, "closed"));
        harness.processWatermark(T0 + 700_000);
        CallSummary last = harness.extractOutputValues().stream().filter(CallSummary::isFinal).findFirst()
                .orElseThrow();
        assertThat(last.transcription()).isEqualTo(folded(received, Long.MAX_VALUE));
        assertThat(last.transcription().skippedRegions()).isEqualTo(regions).isPositive();
        assertThat(checked).isGreaterThan(100);
    }

    private static TranscriptionStatus folded(List<CallEvent> reports, long knownBy) {
        TranscriptionStatus status = TranscriptionStatus.NONE;
        for (CallEvent r : reports) {
            if (r.eventTimeMs <= knownBy) {
                status = status.with(r.skippedRegions, r.skippedSpeechMs, r.lagMs);
            }
        }
        return status;
    }

    @Test
    void shouldSayNothingWasSkippedForACallWithoutTranscriptionReports() throws Exception {
        interruptedCall("c1");
        harness.processWatermark(T0 + 60_000);
        assertThat(harness.extractOutputValues()).isNotEmpty()
                .allSatisfy(s -> assertThat(s.transcription()).isEqualTo(TranscriptionStatus.NONE));
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

    // ---------------------------------------------------------------- activity for the agent windows

    private List<CallActivity> activity() {
        Queue<StreamRecord<CallActivity>> out = harness.getSideOutput(CallDynamicsFunction.ACTIVITY);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    private CallSummary finalSummary() {
        return harness.extractOutputValues().stream().filter(CallSummary::isFinal).findFirst().orElseThrow();
    }

    private static ListeningTotals sum(List<CallActivity> records) {
        return records.stream().map(CallActivity::delta).reduce(ListeningTotals.ZERO, ListeningTotals::plus);
    }

    /** Steps the watermark through the call a second at a time, so running summaries come out. */
    private void advanceSecondBySecond(long toMs) throws Exception {
        for (long t = 1000; t <= toMs; t += 1000) {
            harness.processWatermark(T0 + t);
        }
    }

    @Test
    void shouldEmitActivityDeltasThatSumToTheFinalSummarysTotals() throws Exception {
        send(CallEvent.started("c6", "agent-7", "billing", "q1", T0));
        send(seg("c6", Role.CUSTOMER, 0, 3000));
        send(seg("c6", Role.AGENT, 3400, 6000));
        advanceSecondBySecond(12_000);                        // running summaries at 8 s
        send(seg("c6", Role.CUSTOMER, 13_000, 16_000));
        send(seg("c6", Role.AGENT, 14_000, 19_000));           // interrupts 1 s in, customer stops 2 s later
        advanceSecondBySecond(23_000);
        send(CallEvent.ended("c6", T0, 25_000, "closed"));
        advanceSecondBySecond(40_000);

        CallSummary last = finalSummary();
        List<CallActivity> records = activity();
        assertThat(harness.extractOutputValues().stream().filter(s -> !s.isFinal())).isNotEmpty();
        assertThat(records).hasSizeGreaterThan(1)
                .allSatisfy(a -> assertThat(a).extracting(CallActivity::callId, CallActivity::agentId,
                        CallActivity::team, CallActivity::queue).containsExactly("c6", "agent-7", "billing", "q1"));
        assertThat(sum(records)).isEqualTo(ListeningTotals.of(last.metrics(), true));
        assertThat(sum(records)).satisfies(t -> {
            assertThat(t.callTimeMs()).isEqualTo(25_000);
            assertThat(t.agentTalkMs()).isEqualTo(last.metrics().agentTalkMs()).isEqualTo(7600);
            assertThat(t.customerTalkMs()).isEqualTo(6000);
            assertThat(t.agentInterruptions()).isEqualTo(1);
            assertThat(t.agentInterruptionOverlapMs()).isEqualTo(2000);
            assertThat(t.transfers()).isEqualTo(last.metrics().responseGaps().size());
            assertThat(t.callsEnded()).isEqualTo(1);
        });
        assertThat(records).last().satisfies(a -> assertThat(a.delta().callsEnded()).isEqualTo(1));
        assertThat(records).allSatisfy(a -> assertThat(a.delta()).isNotEqualTo(ListeningTotals.ZERO));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldStampEachActivityRecordWithTheEventTimeOfItsSummary() throws Exception {
        interruptedCall("c7");
        advanceSecondBySecond(20_000);

        List<Long> summaryTimes = harness.extractOutputValues().stream().map(CallSummary::emittedAtMs).toList();
        assertThat(harness.getSideOutput(CallDynamicsFunction.ACTIVITY)).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getTimestamp()).isEqualTo(r.getValue().atMs());
            assertThat(summaryTimes).contains(r.getValue().atMs());
        });
    }

    @Test
    void shouldTakeBackARunningInterruptionThatTurnsOutToBeABackchannel() throws Exception {
        send(CallEvent.started("c8", "agent-3", "t", "q", T0));
        send(seg("c8", Role.CUSTOMER, 0, 1700));
        send(seg("c8", Role.AGENT, 1000, 1900));   // 700 ms over the customer: an interruption, so far
        harness.processWatermark(T0 + 1900 + CONFIG.runningIntervalMs());
        send(seg("c8", Role.CUSTOMER, 7000, 9000)); // the customer carries on: it was a backchannel
        send(CallEvent.ended("c8", T0, 10_000, "closed"));
        harness.processWatermark(T0 + 60_000);

        List<CallActivity> records = activity();
        assertThat(records).extracting(a -> a.delta().agentInterruptions()).containsExactly(1L, -1L);
        assertThat(records).extracting(a -> a.delta().agentBackchannels()).containsExactly(0L, 1L);
        assertThat(sum(records).agentInterruptions()).isZero();
        CallSummary last = finalSummary();
        assertThat(last.metrics().interruptions()).isEmpty();
        assertThat(sum(records)).isEqualTo(ListeningTotals.of(last.metrics(), true));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldCountACallClosedForInactivityAsEndedInItsActivity() throws Exception {
        send(CallEvent.started("c9", "agent-1", "t", "q", T0));
        send(seg("c9", Role.AGENT, 0, 1500));
        harness.processWatermark(T0 + 1500 + CONFIG.inactivityTimeoutMs());

        assertThat(sum(activity())).satisfies(t -> {
            assertThat(t.callsEnded()).isEqualTo(1);
            assertThat(t.agentTalkMs()).isEqualTo(1500);
            assertThat(t.callTimeMs()).isEqualTo(1500);
        });
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    /** Two overlapping calls with transcripts that lag their speech, in event-time order. */
    private static List<CallEvent> twoCalls() {
        List<CallEvent> events = new ArrayList<>();
        for (String call : List.of("d1", "d2")) {
            long start = call.equals("d1") ? T0 : T0 + 7_300;
            events.add(CallEvent.started(call, "agent-" + call, "t", "q", start));
            events.add(CallEvent.segment(call, start, Role.AGENT, 0, 2000, 150, 3, -20));
            events.add(CallEvent.segment(call, start, Role.CUSTOMER, 2400, 9000, 150, 3, -20));
            events.add(CallEvent.segment(call, start, Role.AGENT, 6000, 6400, 150, 3, -20));
            events.add(CallEvent.segment(call, start, Role.AGENT, 8200, 14_000, 150, 3, -20));
            events.add(CallEvent.segment(call, start, Role.CUSTOMER, 14_300, 21_000, 150, 3, -20));
            events.add(CallEvent.segment(call, start, Role.AGENT, 21_900, 24_000, 150, 3, -20));
            CallEvent u = CallEvent.utterance(call, start, Role.AGENT, 6000, 6400, "mm-hmm",
                    List.of(new WordItem("mm-hmm", 6000, 6400, 0.9)));
            u.eventTimeMs += 1800; // ASR lag
            events.add(u);
            events.add(CallEvent.ended(call, start, 25_000, "closed"));
        }
        events.sort(java.util.Comparator.comparingLong(e -> e.eventTimeMs));
        return events;
    }

    @Test
    void shouldEmitTheSameRunningValuesAndActivityWhetherLiveOrReplayed() throws Exception {
        // live: events trickle in (a little out of order), the watermark trails them by 2 s
        List<CallEvent> live = new ArrayList<>(twoCalls());
        java.util.Collections.swap(live, 3, 4);
        java.util.Collections.swap(live, 9, 11);
        long newest = Long.MIN_VALUE;
        for (CallEvent e : live) {
            send(e);
            newest = Math.max(newest, e.eventTimeMs);
            harness.processWatermark(newest - CONFIG.outOfOrdernessMs());
        }
        harness.processWatermark(Long.MAX_VALUE);

        // replay: everything is read before the watermark moves at all
        KeyedOneInputStreamOperatorTestHarness<String, CallEvent, CallSummary> replay =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(new CallDynamicsFunction(CONFIG),
                        e -> e.callId, Types.STRING);
        for (CallEvent e : twoCalls()) {
            replay.processElement(e, e.eventTimeMs);
        }
        replay.processWatermark(Long.MAX_VALUE);
        List<CallSummary> replayed = replay.extractOutputValues();
        List<StreamRecord<CallActivity>> replayedActivity =
                new ArrayList<>(replay.getSideOutput(CallDynamicsFunction.ACTIVITY));
        int replayState = replay.numKeyedStateEntries();
        int replayTimers = replay.numEventTimeTimers();
        replay.close();

        assertThat(harness.extractOutputValues().stream().filter(x -> !x.isFinal()).count()).isGreaterThan(4);
        assertThat(replayed).containsExactlyInAnyOrderElementsOf(harness.extractOutputValues());
        assertThat(replayedActivity)
                .containsExactlyInAnyOrderElementsOf(harness.getSideOutput(CallDynamicsFunction.ACTIVITY));
        assertThat(replayState).isZero();
        assertThat(replayTimers).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldComputeARunningValueFromTheEventsKnownByItsTimeOnly() throws Exception {
        send(CallEvent.started("c10", "agent-1", "t", "q", T0));
        send(seg("c10", Role.CUSTOMER, 0, 3000));         // due at 5 s
        send(seg("c10", Role.AGENT, 3400, 6000));          // known at 6 s: not in the 5 s value
        harness.processWatermark(T0 + 20_000);

        List<CallSummary> running = harness.extractOutputValues();
        assertThat(running).extracting(CallSummary::emittedAtMs).containsExactly(T0 + 5000, T0 + 10_000);
        assertThat(running.get(0).metrics().agentTalkMs()).isZero();
        assertThat(running.get(0).metrics().durationMs()).isEqualTo(3000);
        assertThat(running.get(1).metrics().agentTalkMs()).isEqualTo(2600);
    }

    @Test
    void shouldCountAnEventBehindTheWatermarkFromTheNextRunningValueSoItsActivityIsNotLate() throws Exception {
        send(CallEvent.started("c11", "agent-1", "t", "q", T0));
        send(seg("c11", Role.CUSTOMER, 0, 3000));
        harness.processWatermark(T0 + 12_300);
        send(seg("c11", Role.AGENT, 3400, 6000));         // known at 6 s, but the watermark is at 12.3 s
        harness.processWatermark(T0 + 30_000);

        assertThat(harness.extractOutputValues()).extracting(CallSummary::emittedAtMs)
                .containsExactly(T0 + 5000, T0 + 15_000);
        assertThat(harness.extractOutputValues().get(1).metrics().agentTalkMs()).isEqualTo(2600);
        assertThat(harness.getSideOutput(CallDynamicsFunction.ACTIVITY)).extracting(StreamRecord::getTimestamp)
                .containsExactly(T0 + 5000, T0 + 15_000);
    }

    @Test
    void shouldCloseOnceWhenTheFinalSummaryFallsDueAtARunningValuesTime() throws Exception {
        send(CallEvent.started("c12", "agent-1", "t", "q", T0));
        send(seg("c12", Role.AGENT, 6000, 8000));         // known at 8 s: a running value due at 10 s
        send(CallEvent.ended("c12", T0, 5000, "closed"));  // known at 5 s: final due at 10 s, the same timer
        harness.processWatermark(T0 + 9_999);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processWatermark(T0 + 60_000);

        assertThat(harness.extractOutputValues()).singleElement().satisfies(x -> {
            assertThat(x.isFinal()).isTrue();
            assertThat(x.emittedAtMs()).isEqualTo(T0 + 10_000);
        });
        assertThat(harness.getSideOutput(CallDynamicsFunction.ACTIVITY)).singleElement()
                .satisfies(r -> assertThat(r.getValue().delta().callsEnded()).isEqualTo(1));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * A call whose events were all known before any running value: each running value finds the
     * next one from the times it keeps, here as a release before this one kept them (a map,
     * restored from its savepoint) or as this one keeps them.
     */
    private List<Long> runningTimes(boolean asAMap) throws Exception {
        send(CallEvent.started("c9", "agent-7", "billing", "q1", T0));
        long step = CONFIG.runningIntervalMs(); // one event in each of five running intervals
        for (int k = 0; k < 5; k++) {
            send(seg("c9", Role.AGENT, k * step + 100, k * step + 500));
        }
        if (asAMap) {
            var backend = harness.getOperator().getKeyedStateBackend();
            backend.setCurrentKey("c9");
            var due = backend.getPartitionedState(org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                    org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
                    new org.apache.flink.api.common.state.ValueStateDescriptor<>("runningDue",
                            org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
            assertThat(due.value()).isNotNull();
            due.clear();
            var map = backend.getPartitionedState(org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                    org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
                    new org.apache.flink.api.common.state.MapStateDescriptor<>("knownAfterRunning", Types.LONG,
                            Types.BOOLEAN));
            for (int k = 0; k < 5; k++) {
                map.put(T0 + k * step + 500, Boolean.TRUE);
            }
        }
        harness.processWatermark(T0 + 5 * step);
        return harness.extractOutputValues().stream().filter(s -> !s.isFinal()).map(CallSummary::emittedAtMs)
                .toList();
    }

    @Test
    void theTimesKnownAfterARunningValueAreReadFromAnOlderReleasesSavepoint() throws Exception {
        List<Long> kept = runningTimes(false);
        harness.close();
        open();
        List<Long> restored = runningTimes(true);

        assertThat(kept).hasSize(5);
        assertThat(restored).isEqualTo(kept);
    }
}
