package io.earshot.jobs.calls.functions;

import io.earshot.jobs.calls.CallSummary;
import io.earshot.jobs.calls.JobConfig;
import io.earshot.jobs.common.CallEvent;
import io.earshot.jobs.common.DeadLetter;
import io.earshot.jobs.common.SegmentItem;
import io.earshot.jobs.common.UtteranceItem;
import io.earshot.jobs.common.WordItem;
import io.earshot.jobs.metrics.CallMetrics;
import io.earshot.jobs.metrics.ConversationAnalysis;
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
 * in keyed state, emits running values at most every {@link JobConfig#runningIntervalMs()} of
 * event time while the call is live, and the final summary once the watermark passes the
 * call's end plus {@link JobConfig#finalGraceMs()} (or its inactivity timeout). Then every
 * piece of state and every timer of the call is cleared, so state does not grow with the
 * number of calls seen.
 *
 * <p>A call's start and its speech events come from different topics, so an event may arrive
 * before its call's start: it is held until the watermark passes it. Events it cannot use go
 * to {@link #DEAD_LETTERS} with a counter: an event for a call that never started (or was
 * already closed), an end without a start, a second start, a spurt or utterance with a
 * negative time or duration, a duplicate spurt. The metric math
 * is {@link ConversationAnalysis}; this class only moves state.
 */
public final class CallDynamicsFunction extends KeyedProcessFunction<String, CallEvent, CallSummary> {

    private static final long serialVersionUID = 1L;

    /** Side output of events that could not be used. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {
        private static final long serialVersionUID = 1L;
    };

    private final JobConfig config;

    private transient ValueState<CallEvent> started;
    private transient ListState<SegmentItem> segments;
    private transient ListState<UtteranceItem> utterances;
    private transient ValueState<Long> endMs;
    private transient ValueState<Long> latestMediaMs;
    private transient ValueState<Long> lastEventTime;
    private transient ValueState<Long> runningTimer;
    private transient ValueState<Long> closingTimer;
    private transient ListState<CallEvent> pending;
    private transient Counter deadLetters;

    public CallDynamicsFunction(JobConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext context) {
        started = getRuntimeContext().getState(new ValueStateDescriptor<>("started", CallEvent.class));
        segments = getRuntimeContext().getListState(new ListStateDescriptor<>("segments", SegmentItem.class));
        utterances = getRuntimeContext().getListState(new ListStateDescriptor<>("utterances", UtteranceItem.class));
        endMs = getRuntimeContext().getState(new ValueStateDescriptor<>("endMs", Long.class));
        latestMediaMs = getRuntimeContext().getState(new ValueStateDescriptor<>("latestMediaMs", Long.class));
        lastEventTime = getRuntimeContext().getState(new ValueStateDescriptor<>("lastEventTime", Long.class));
        runningTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("runningTimer", Long.class));
        closingTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("closingTimer", Long.class));
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending", CallEvent.class));
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
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
            case SEGMENT -> segments.add(new SegmentItem(e.role, e.startMs, e.endMs, e.pitchMedianHz,
                    e.pitchRangeSemitones, e.loudnessDbfs));
            case UTTERANCE -> utterances.add(new UtteranceItem(e.role, e.startMs, e.endMs, e.text, e.words));
            case ENDED -> endMs.update(e.endMs);
        }
        if (e.kind != CallEvent.Kind.STARTED) {
            Long latest = latestMediaMs.value();
            latestMediaMs.update(Math.max(latest == null ? 0 : latest, e.endMs));
        }
        lastEventTime.update(e.eventTimeMs);
        if (e.kind == CallEvent.Kind.ENDED && runningTimer.value() != null) {
            ctx.timerService().deleteEventTimeTimer(runningTimer.value());
            runningTimer.clear();
        }
        long closeAt = endMs.value() != null
                ? e.kind == CallEvent.Kind.ENDED ? e.eventTimeMs + config.finalGraceMs() : current(closingTimer)
                : e.eventTimeMs + config.inactivityTimeoutMs();
        moveTimer(closingTimer, closeAt, ctx);
        if (endMs.value() == null && runningTimer.value() == null && e.kind != CallEvent.Kind.STARTED) {
            long at = e.eventTimeMs + config.runningIntervalMs();
            ctx.timerService().registerEventTimeTimer(at);
            runningTimer.update(at);
        }
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
                    for (SegmentItem s : segments.get()) {
                        if (s.role() == e.role && s.startMs() == e.startMs && s.endMs() == e.endMs) {
                            yield "duplicate segment";
                        }
                    }
                }
                yield null;
            }
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
            out.collect(summary(true, reason, timestamp));
            Long running = runningTimer.value();
            if (running != null) {
                ctx.timerService().deleteEventTimeTimer(running);
            }
            clear();
        } else if (Long.valueOf(timestamp).equals(runningTimer.value())) {
            runningTimer.clear();
            out.collect(summary(false, null, timestamp));
            Long last = lastEventTime.value();
            if (endMs.value() == null && last != null && last > timestamp - config.runningIntervalMs()) {
                long next = timestamp + config.runningIntervalMs();
                ctx.timerService().registerEventTimeTimer(next);
                runningTimer.update(next);
            }
        }
    }

    private CallSummary summary(boolean isFinal, String reason, long at) throws Exception {
        CallEvent start = started.value();
        List<SegmentItem> segs = new ArrayList<>();
        segments.get().forEach(segs::add);
        segs.sort(Comparator.comparingLong(SegmentItem::startMs).thenComparing(SegmentItem::role));
        List<UtteranceItem> utts = new ArrayList<>();
        utterances.get().forEach(utts::add);
        utts.sort(Comparator.comparingLong(UtteranceItem::startMs).thenComparing(UtteranceItem::role));
        List<Spurt> spurts = segs.stream().map(s -> new Spurt(s.role(), s.startMs(), s.endMs())).toList();
        List<TimedWord> words = new ArrayList<>();
        for (UtteranceItem u : utts) {
            for (WordItem w : u.words()) {
                words.add(new TimedWord(u.role(), w.word(), w.startMs(), w.endMs()));
            }
        }
        Long end = endMs.value();
        Long latest = latestMediaMs.value();
        long duration = end != null ? end : latest == null ? 0 : latest;
        CallMetrics metrics = ConversationAnalysis.analyze(duration, spurts, words, config.metrics());
        return new CallSummary(start.callId, start.agentId, start.team, start.queue, start.mediaStartEpochMs,
                isFinal, reason, at, metrics, segs, utts);
    }

    private void moveTimer(ValueState<Long> timer, long at, Context ctx) throws Exception {
        Long old = timer.value();
        if (old != null && old == at) {
            return;
        }
        if (old != null) {
            ctx.timerService().deleteEventTimeTimer(old);
        }
        ctx.timerService().registerEventTimeTimer(at);
        timer.update(at);
    }

    private static long current(ValueState<Long> timer) throws Exception {
        return timer.value();
    }

    private void clear() {
        started.clear();
        segments.clear();
        utterances.clear();
        endMs.clear();
        latestMediaMs.clear();
        lastEventTime.clear();
        runningTimer.clear();
        closingTimer.clear();
        pending.clear();
    }
}
