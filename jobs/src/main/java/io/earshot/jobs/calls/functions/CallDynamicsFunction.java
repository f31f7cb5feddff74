package io.earshot.jobs.calls.functions;

import io.earshot.jobs.calls.CallSummary;
import io.earshot.jobs.calls.JobConfig;
import io.earshot.jobs.calls.TranscriptionStatus;
import io.earshot.jobs.common.CallActivity;
import io.earshot.jobs.common.CallEvent;
import io.earshot.jobs.common.DeadLetter;
import io.earshot.jobs.common.JobMetrics;
import io.earshot.jobs.common.SegmentItem;
import io.earshot.jobs.common.UtteranceItem;
import io.earshot.jobs.common.WordItem;
import io.earshot.jobs.listening.CallListening;
import io.earshot.jobs.listening.ListeningAnalysis;
import io.earshot.jobs.listening.ListeningCounts;
import io.earshot.jobs.metrics.CallMetrics;
import io.earshot.jobs.metrics.ConversationAnalysis;
import io.earshot.jobs.metrics.ListeningTotals;
import io.earshot.jobs.metrics.Spurt;
import io.earshot.jobs.metrics.TimedWord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Conversation dynamics of one call, keyed by call id: keeps the call's spurts and utterances
 * in keyed state, emits running values while the call is live, and the final summary once the
 * watermark passes the call's end plus {@link JobConfig#finalGraceMs()} (or its inactivity
 * timeout). Then every piece of state and every timer of the call is cleared, so state does not
 * grow with the number of calls seen.
 *
 * <p>Running values are a function of event time only, so a replay gives the same ones as the
 * live run: they come at the multiples of {@link JobConfig#runningIntervalMs()} (epoch-aligned
 * event time) that follow a new event of the call, and each is computed from the events known
 * by then (event time at or before it), however late or early they were processed. None comes
 * at or after the call's end event; the final summary covers that. (Processing order still
 * matters for an event that arrives behind the watermark: it counts from the next running
 * value on. That is the watermark's usual contract.)
 *
 * <p>A call's start and its speech events come from different topics, so an event may arrive
 * before its call's start: it is held until the watermark passes it. Events it cannot use go
 * to {@link #DEAD_LETTERS} with a counter: an event for a call that never started (or was
 * already closed), an end without a start, a second start, a spurt or utterance with a
 * negative time or duration, a duplicate spurt. The metric math
 * is {@link ConversationAnalysis}; this class only moves state.
 *
 * <p>Transcription status reports ({@link CallEvent.Kind#TRANSCRIPTION}) are kept like spurts,
 * with the event time they became known at, and folded into each summary's
 * {@link TranscriptionStatus}, so a summary computed from a degraded transcript says so.
 *
 * <p>With every summary it also sends what changed since the call's previous one to
 * {@link #ACTIVITY} (a {@link CallActivity}, skipped when nothing changed), for the agent, team
 * and queue windows. The totals last sent are kept in keyed state and cleared with the rest at
 * call end, so a call's activity records always add up to its final summary. They leave from
 * a timer, stamped with the timer's time: the watermark this operator has forwarded is still
 * before that time, so the activity is never late for a window downstream.
 */
public final class CallDynamicsFunction extends KeyedProcessFunction<String, CallEvent, CallSummary> {

    private static final long serialVersionUID = 1L;

    /** Side output of events that could not be used. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {
        private static final long serialVersionUID = 1L;
    };

    /** Side output of each call's activity: the change since its previous summary. */
    public static final OutputTag<CallActivity> ACTIVITY = new OutputTag<>("call-activity") {
        private static final long serialVersionUID = 1L;
    };

    /** A spurt in state, with the event time it became known at. */
    public record KnownSegment(long knownAtMs, SegmentItem item) {
    }

    /** An utterance in state, with the event time it became known at. */
    public record KnownUtterance(long knownAtMs, UtteranceItem item) {
    }

    /** A transcription status report in state, with the event time it became known at. */
    public record KnownStatus(long knownAtMs, long lagMs, int skippedRegions, long skippedSpeechMs) {
    }

    private final JobConfig config;
    private transient ListeningAnalysis listening;

    private transient ValueState<CallEvent> started;
    private transient ListState<KnownSegment> segments;
    private transient ListState<KnownUtterance> utterances;
    private transient ListState<KnownStatus> statuses;
    private transient ValueState<Long> endMs;
    private transient ValueState<Long> endKnownAtMs;
    private transient ValueState<Long> runningTimer;
    private transient ValueState<Long> closingTimer;
    private transient ListState<CallEvent> pending;
    private transient ValueState<ListeningTotals> reported;
    private transient Counter deadLetters;
    private transient Counter summariesOut;

    public CallDynamicsFunction(JobConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext context) {
        started = getRuntimeContext().getState(new ValueStateDescriptor<>("started", CallEvent.class));
        segments = getRuntimeContext().getListState(new ListStateDescriptor<>("segments", KnownSegment.class));
        utterances = getRuntimeContext().getListState(new ListStateDescriptor<>("utterances", KnownUtterance.class));
        statuses = getRuntimeContext().getListState(new ListStateDescriptor<>("transcriptionStatus", KnownStatus.class));
        endMs = getRuntimeContext().getState(new ValueStateDescriptor<>("endMs", Long.class));
        endKnownAtMs = getRuntimeContext().getState(new ValueStateDescriptor<>("endKnownAtMs", Long.class));
        runningTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("runningTimer", Long.class));
        closingTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("closingTimer", Long.class));
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending", CallEvent.class));
        reported = getRuntimeContext().getState(new ValueStateDescriptor<>("reportedTotals", ListeningTotals.class));
        deadLetters = JobMetrics.counter(getRuntimeContext().getMetricGroup(), JobMetrics.DEAD_LETTERS);
        summariesOut = JobMetrics.counter(getRuntimeContext().getMetricGroup(), JobMetrics.SUMMARIES_OUT);
    }

    @Override
    public void processElement(CallEvent e, Context ctx, Collector<CallSummary> out) throws Exception {
        if (e.kind != CallEvent.Kind.STARTED && started.value() == null) {
            // The start may still be on its way (another topic, another partition): hold the
            // event until the watermark passes it; only then is the call really unknown.
            pending.add(e);
            ctx.timerService().registerEventTimeTimer(e.eventTimeMs);
            return;
        }
        accept(e, ctx);
        if (e.kind == CallEvent.Kind.STARTED) {
            for (CallEvent held : pending.get()) {
                accept(held, ctx);
            }
            pending.clear();
        }
    }

    private void accept(CallEvent e, Context ctx) throws Exception {
        String problem = check(e);
        if (problem != null) {
            reject(e, problem, ctx);
            return;
        }
        switch (e.kind) {
            case STARTED -> started.update(e);
            case SEGMENT -> segments.add(new KnownSegment(e.eventTimeMs, SegmentItem.of(e)));
            case UTTERANCE -> utterances.add(new KnownUtterance(e.eventTimeMs,
                    new UtteranceItem(e.role, e.startMs, e.endMs, e.text, e.words)));
            case TRANSCRIPTION -> statuses.add(new KnownStatus(e.eventTimeMs, e.lagMs, e.skippedRegions,
                    e.skippedSpeechMs));
            case UNDECODABLE -> throw new IllegalStateException("checked above: " + e);
            case ENDED -> {
                endMs.update(e.endMs);
                endKnownAtMs.update(e.eventTimeMs);
            }
        }
        Long closing = closingTimer.value();
        long closeAt = endMs.value() != null
                ? e.kind == CallEvent.Kind.ENDED ? e.eventTimeMs + config.finalGraceMs() : closing
                : Math.max(e.eventTimeMs + config.inactivityTimeoutMs(), closing == null ? Long.MIN_VALUE : closing);
        moveTimer(closingTimer, closeAt, runningTimer, ctx);
        if (e.kind == CallEvent.Kind.SEGMENT || e.kind == CallEvent.Kind.UTTERANCE
                || e.kind == CallEvent.Kind.TRANSCRIPTION) {
            // An event behind the watermark this operator has forwarded counts from the next grid
            // time after it: a running value stamped earlier would be late downstream.
            long watermark = ctx.timerService().currentWatermark();
            long at = ceilToGrid(e.eventTimeMs);
            scheduleRunning(watermark != Long.MIN_VALUE && at <= watermark ? ceilToGrid(watermark + 1) : at, ctx);
        }
    }

    /**
     * Makes sure a running value comes at grid time {@code at}, unless one is due earlier (the
     * timer always holds the earliest) or the call has ended by then.
     */
    private void scheduleRunning(long at, Context ctx) throws Exception {
        Long end = endKnownAtMs.value();
        Long next = runningTimer.value();
        if ((end == null || at < end) && (next == null || at < next)) {
            moveTimer(runningTimer, at, closingTimer, ctx);
        }
    }

    private long ceilToGrid(long t) {
        long interval = config.runningIntervalMs();
        return -Math.floorDiv(-t, interval) * interval;
    }

    /** Why an event cannot be used, or null. */
    private String check(CallEvent e) throws Exception {
        boolean known = started.value() != null;
        return switch (e.kind) {
            case STARTED -> known ? "call already started" : null;
            case ENDED -> !known ? "end of a call that never started (or was already closed)"
                    : endMs.value() != null ? "call already ended"
                    : e.endMs < 0 ? "negative call length" : null;
            case SEGMENT, UTTERANCE -> {
                if (!known) {
                    yield "event for an unknown call (never started, or already closed)";
                }
                if (e.role == null) {
                    yield "no role";
                }
                if (e.startMs < 0 || e.endMs < e.startMs) {
                    yield "negative time or duration: " + e.startMs + "-" + e.endMs;
                }
                if (e.kind == CallEvent.Kind.SEGMENT) {
                    for (KnownSegment k : segments.get()) {
                        SegmentItem s = k.item();
                        if (s.role() == e.role && s.startMs() == e.startMs && s.endMs() == e.endMs) {
                            yield "duplicate segment";
                        }
                    }
                }
                yield null;
            }
            case TRANSCRIPTION -> !known ? "event for an unknown call (never started, or already closed)"
                    : e.lagMs < 0 || e.skippedRegions < 0 || e.skippedSpeechMs < 0
                            ? "negative transcription lag or count" : null;
            // the validator rejects these before keyBy; should one get here, it is still only a dead letter
            case UNDECODABLE -> "undecodable record: " + e.reason;
        };
    }

    /** The watermark passed these events and no start came: the call is unknown. */
    private void rejectHeldUpTo(long timestamp, OnTimerContext ctx) throws Exception {
        List<CallEvent> keep = new ArrayList<>();
        for (CallEvent held : pending.get()) {
            if (held.eventTimeMs <= timestamp) {
                deadLetters.inc();
                ctx.output(DEAD_LETTERS, new DeadLetter(held.callId, String.valueOf(held.kind), held.eventTimeMs,
                        held.kind == CallEvent.Kind.ENDED
                                ? "end of a call that never started (or was already closed)"
                                : "event for an unknown call (never started, or already closed)"));
            } else {
                keep.add(held);
            }
        }
        pending.update(keep);
    }

    private void reject(CallEvent e, String reason, Context ctx) {
        deadLetters.inc();
        ctx.output(DEAD_LETTERS, new DeadLetter(e.callId, String.valueOf(e.kind), e.eventTimeMs, reason));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CallSummary> out) throws Exception {
        if (started.value() == null) {
            rejectHeldUpTo(timestamp, ctx);
            return;
        }
        if (Long.valueOf(timestamp).equals(closingTimer.value())) {
            String reason = endMs.value() != null ? "ended" : "inactivity";
            CallSummary last = summary(true, reason, timestamp, Long.MAX_VALUE);
            out.collect(last);
            summariesOut.inc();
            report(last, ctx);
            Long running = runningTimer.value();
            if (running != null && running != timestamp) {
                ctx.timerService().deleteEventTimeTimer(running);
            }
            clear();
        } else if (Long.valueOf(timestamp).equals(runningTimer.value())) {
            runningTimer.clear();
            Long end = endKnownAtMs.value();
            if (end == null || end > timestamp) {
                CallSummary sofar = summary(false, null, timestamp, timestamp);
                out.collect(sofar);
                summariesOut.inc();
                report(sofar, ctx);
            }
            // the next one due: the grid time of the earliest event known after this one
            long next = Long.MAX_VALUE;
            for (KnownSegment k : segments.get()) {
                next = k.knownAtMs() > timestamp ? Math.min(next, k.knownAtMs()) : next;
            }
            for (KnownUtterance k : utterances.get()) {
                next = k.knownAtMs() > timestamp ? Math.min(next, k.knownAtMs()) : next;
            }
            for (KnownStatus k : statuses.get()) {
                next = k.knownAtMs() > timestamp ? Math.min(next, k.knownAtMs()) : next;
            }
            if (next != Long.MAX_VALUE) {
                // no watermark check here: while timers fire, the watermark that fired them has
                // not gone downstream yet, and a timer it already passed fires in this same round
                scheduleRunning(ceilToGrid(next), ctx);
            }
        }
    }

    /** The call's values from the events known at or before {@code knownBy}. */
    private CallSummary summary(boolean isFinal, String reason, long at, long knownBy) throws Exception {
        CallEvent start = started.value();
        List<SegmentItem> segs = new ArrayList<>();
        for (KnownSegment k : segments.get()) {
            if (k.knownAtMs() <= knownBy) {
                segs.add(k.item());
            }
        }
        segs.sort(Comparator.comparingLong(SegmentItem::startMs).thenComparing(SegmentItem::role));
        List<UtteranceItem> utts = new ArrayList<>();
        for (KnownUtterance k : utterances.get()) {
            if (k.knownAtMs() <= knownBy) {
                utts.add(k.item());
            }
        }
        utts.sort(Comparator.comparingLong(UtteranceItem::startMs).thenComparing(UtteranceItem::role));
        List<Spurt> spurts = segs.stream().map(s -> new Spurt(s.role(), s.startMs(), s.endMs())).toList();
        List<TimedWord> words = new ArrayList<>();
        long latest = 0;
        for (SegmentItem s : segs) {
            latest = Math.max(latest, s.endMs());
        }
        for (UtteranceItem u : utts) {
            latest = Math.max(latest, u.endMs());
            for (WordItem w : u.words()) {
                words.add(new TimedWord(u.role(), w.word(), w.startMs(), w.endMs()));
            }
        }
        Long end = endMs.value();
        Long endKnownAt = endKnownAtMs.value();
        long duration = end != null && endKnownAt <= knownBy ? end : latest;
        CallMetrics metrics = ConversationAnalysis.analyze(duration, spurts, words, config.metrics(), isFinal);
        TranscriptionStatus transcription = TranscriptionStatus.NONE;
        for (KnownStatus k : statuses.get()) {
            if (k.knownAtMs() <= knownBy) {
                transcription = transcription.with(k.skippedRegions(), k.skippedSpeechMs(), k.lagMs());
            }
        }
        CallListening listening = listeningAnalysis().analyze(segs, utts, metrics, isFinal);
        return new CallSummary(start.callId, start.agentId, start.team, start.queue, start.mediaStartEpochMs,
                isFinal, reason, at, metrics, segs.stream().map(SegmentItem::withoutContour).toList(), utts,
                transcription, listening, start.redaction);
    }

    private ListeningAnalysis listeningAnalysis() {
        if (listening == null) {
            listening = new ListeningAnalysis(config.listening());
        }
        return listening;
    }

    /** Sends the change since the totals last reported for this call, and remembers the new ones. */
    private void report(CallSummary s, OnTimerContext ctx) throws Exception {
        ListeningTotals now = ListeningTotals.of(s.metrics(),
                s.listening() == null ? ListeningCounts.ZERO : s.listening().counts(), s.isFinal());
        ListeningTotals before = reported.value();
        ListeningTotals delta = before == null ? now : now.minus(before);
        if (!delta.equals(ListeningTotals.ZERO)) {
            ctx.output(ACTIVITY,
                    new CallActivity(s.callId(), s.agentId(), s.team(), s.queue(), s.emittedAtMs(), delta));
        }
        reported.update(now);
    }

    /**
     * Moves a timer. Flink keeps one timer per key and time, so the old one is left alone when
     * the other timer of the call is due at that same time.
     */
    private static void moveTimer(ValueState<Long> timer, long at, ValueState<Long> other, Context ctx)
            throws Exception {
        Long old = timer.value();
        if (old != null && old == at) {
            return;
        }
        if (old != null && !old.equals(other.value())) {
            ctx.timerService().deleteEventTimeTimer(old);
        }
        ctx.timerService().registerEventTimeTimer(at);
        timer.update(at);
    }

    private void clear() {
        started.clear();
        segments.clear();
        utterances.clear();
        statuses.clear();
        endMs.clear();
        endKnownAtMs.clear();
        runningTimer.clear();
        closingTimer.clear();
        pending.clear();
        reported.clear();
    }
}
