package io.earshot.jobs.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.avro.AvroOutputs;
import io.earshot.analysis.summary.EvidenceSent;
import io.earshot.analysis.summary.KeptEvidence;
import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.RunningValues;
import io.earshot.contracts.Topics;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.jobs.calls.functions.CallDynamicsFunction;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.SegmentItem;
import io.earshot.analysis.events.SyntheticCalls;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.events.WordItem;
import io.earshot.analysis.listening.CallListening;
import io.earshot.analysis.listening.ListeningAnalysis;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.ConversationAnalysis;
import io.earshot.analysis.metrics.Spurt;
import io.earshot.analysis.metrics.TimedWord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Every summary the call operator emits, running or final, equals the metric math run from
 * scratch over the events it had received with an event time at or before the summary's
 * (all of them for the final one), written out here as the definition reads: the operator's
 * bookkeeping (its map state, the next running value, evidence only in the final summary)
 * changes no value; and each running value names exactly the evidence it keeps of the one
 * before it. Seeded synthetic calls of one to six minutes, delivered slightly out of
 * order behind a bounded-out-of-orderness watermark, as the job sees them. Doubles compare
 * exactly ({@code Double.compare}: NaN equals NaN).
 */
class CallDynamicsRecomputeTest {

    private static final JobConfig CONFIG = JobConfig.DEFAULTS;
    private static final long T0 = 1_764_000_000_000L;

    @Test
    void everySummaryEqualsTheMathFromScratch() throws Exception {
        ListeningAnalysis listening = new ListeningAnalysis(CONFIG.listening());
        int running = 0;
        int finals = 0;
        for (int seed = 1; seed <= 12; seed++) {
            Random random = new Random(seed);
            List<CallEvent> events = SyntheticCalls.call("c" + seed, "agent-1", T0, 1 + seed % 6, seed);
            // neighbours swapped now and then: events arrive out of order, some behind the watermark
            for (int i = 1; i + 1 < events.size(); i++) {
                if (random.nextInt(6) == 0) {
                    Collections.swap(events, i, i + 1);
                }
            }
            Sent sent = new Sent();
            KeyedOneInputStreamOperatorTestHarness<String, CallEvent, CallSummary> harness = ProcessFunctionTestHarnesses
                    .forKeyedProcessFunction(new CallDynamicsFunction(CONFIG), e -> e.callId, Types.STRING);
            List<CallEvent> received = new ArrayList<>();
            long maxSeen = Long.MIN_VALUE;
            int seen = 0;
            for (CallEvent e : events) {
                harness.processElement(e, e.eventTimeMs);
                received.add(e);
                maxSeen = Math.max(maxSeen, e.eventTimeMs);
                harness.processWatermark(maxSeen - CONFIG.outOfOrdernessMs() - 1);
                List<CallSummary> out = harness.extractOutputValues();
                for (CallSummary s : out.subList(seen, out.size())) {
                    check(s, received, listening);
                    sent.check(s);
                    running++;
                }
                seen = out.size();
            }
            harness.processWatermark(Long.MAX_VALUE);
            List<CallSummary> out = harness.extractOutputValues();
            for (CallSummary s : out.subList(seen, out.size())) {
                check(s, received, listening);
                sent.check(s);
                finals += s.isFinal() ? 1 : 0;
                running += s.isFinal() ? 0 : 1;
            }
            assertThat(out.stream().filter(CallSummary::isFinal).count()).as("final summaries of call %d", seed)
                    .isEqualTo(1);
            harness.close();
        }
        assertThat(finals).isEqualTo(12);
        assertThat(running).isGreaterThan(300);
        assertThat(Sent.kept).as("running values that left out evidence sent before").isGreaterThan(running / 2);
        assertThat(Sent.keptItems).as("items left out").isGreaterThan(1_000);
        assertThat(Sent.wholeAgain).as("whole again after five minutes of call time").isPositive();
    }

    /**
     * One call's summaries as the live topic carries them: a running value keeps, of each list,
     * exactly the leading items equal in the previous running value (counted here the plain way);
     * it is whole when it is the call's first or five minutes of call time after the last whole
     * one; and its Avro record, read back and rebuilt with the previous whole one, is the whole
     * running value's record. A final summary is whole.
     */
    private static final class Sent {
        static int kept;
        static long keptItems;
        static int wholeAgain;
        private final RunningValues reader = new RunningValues();
        private final AvroSerde<CallSummaryComputed> serde = AvroSerde.of(CallSummaryComputed.class);
        private CallSummary previous;
        private long wholeAt;

        void check(CallSummary s) {
            String what = s.callId() + (s.isFinal() ? " final" : " at " + s.emittedAtMs());
            KeptEvidence k = s.kept();
            if (s.isFinal() || previous == null || s.emittedAtMs() - wholeAt >= EvidenceSent.WHOLE_EVERY_MS) {
                assertThat(k).as(what).isNull();
                wholeAgain += previous != null && !s.isFinal() ? 1 : 0;
                wholeAt = s.emittedAtMs();
            } else {
                assertThat(k).as(what).isNotNull();
                assertThat(k.previousEmittedAtMs()).as(what).isEqualTo(previous.emittedAtMs());
                CallMetrics a = previous.metrics();
                CallMetrics b = s.metrics();
                assertThat(k.interruptions()).as(what).isEqualTo(common(a.interruptions(), b.interruptions()));
                assertThat(k.backchannels()).as(what).isEqualTo(common(a.backchannels(), b.backchannels()));
                assertThat(k.responseGaps()).as(what).isEqualTo(common(a.responseGaps(), b.responseGaps()));
                assertThat(k.pauseIntrusions()).as(what).isEqualTo(common(a.pauseIntrusions(), b.pauseIntrusions()));
                assertThat(k.deadAir()).as(what).isEqualTo(common(a.deadAir(), b.deadAir()));
                assertThat(k.behaviours()).as(what)
                        .isEqualTo(common(previous.listening().behaviours(), s.listening().behaviours()));
                assertThat(k.toneEvents()).as(what)
                        .isEqualTo(common(previous.listening().tone().events(), s.listening().tone().events()));
                assertThat(k.coaching()).as(what)
                        .isEqualTo(common(previous.listening().coaching(), s.listening().coaching()));
                kept++;
                keptItems += k.interruptions() + k.backchannels() + k.responseGaps() + k.pauseIntrusions()
                        + k.deadAir() + k.behaviours() + k.toneEvents() + k.coaching();
            }
            CallSummaryComputed read = serde.deserialize(Topics.CALL_LIVE, serde.serialize(Topics.CALL_LIVE,
                    AvroOutputs.toAvro(s)));
            assertThat(reader.accept(read)).as(what).isEqualTo(AvroOutputs.toAvro(s.withKept(null)));
            previous = s.isFinal() ? null : s;
        }

        private static int common(List<?> a, List<?> b) {
            int n = 0;
            while (n < a.size() && n < b.size() && a.get(n).equals(b.get(n))) {
                n++;
            }
            return n;
        }
    }

    /** The summary against the math over the events received with event time at or before it. */
    private static void check(CallSummary s, List<CallEvent> received, ListeningAnalysis listening) {
        long knownBy = s.isFinal() ? Long.MAX_VALUE : s.emittedAtMs();
        List<SegmentItem> segs = new ArrayList<>();
        List<UtteranceItem> utts = new ArrayList<>();
        Long end = null;
        for (CallEvent e : received) {
            if (e.eventTimeMs > knownBy) {
                continue;
            }
            switch (e.kind) {
                case SEGMENT -> segs.add(SegmentItem.of(e));
                case UTTERANCE -> utts.add(new UtteranceItem(e.role, e.startMs, e.endMs, e.text, e.words));
                case ENDED -> end = e.endMs;
                default -> { }
            }
        }
        segs.sort(Comparator.comparingLong(SegmentItem::startMs).thenComparing(SegmentItem::role));
        utts.sort(Comparator.comparingLong(UtteranceItem::startMs).thenComparing(UtteranceItem::role));
        List<Spurt> spurts = segs.stream().map(x -> new Spurt(x.role(), x.startMs(), x.endMs())).toList();
        List<TimedWord> words = new ArrayList<>();
        long latest = 0;
        for (SegmentItem x : segs) {
            latest = Math.max(latest, x.endMs());
        }
        for (UtteranceItem u : utts) {
            latest = Math.max(latest, u.endMs());
            for (WordItem w : u.words()) {
                words.add(new TimedWord(u.role(), w.word(), w.startMs(), w.endMs()));
            }
        }
        CallMetrics metrics = ConversationAnalysis.analyze(end != null ? end : latest, spurts, words, CONFIG.metrics(),
                s.isFinal());
        CallListening heard = listening.analyze(segs, utts, metrics, s.isFinal());
        String what = s.callId() + (s.isFinal() ? " final" : " at " + s.emittedAtMs());
        assertThat(s.metrics()).as(what).usingRecursiveComparison()
                .withComparatorForType(Double::compare, Double.class).isEqualTo(metrics);
        assertThat(s.listening()).as(what).usingRecursiveComparison()
                .withComparatorForType(Double::compare, Double.class).isEqualTo(heard);
        if (s.isFinal()) {
            assertThat(s.segments()).as(what).isEqualTo(segs.stream().map(SegmentItem::withoutContour).toList());
            assertThat(s.transcript()).as(what).isEqualTo(utts);
        } else {
            assertThat(s.segments()).as(what).isEmpty();
            assertThat(s.transcript()).as(what).isEmpty();
        }
    }
}
