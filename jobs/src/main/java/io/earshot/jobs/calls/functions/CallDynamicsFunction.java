package io.earshot.jobs.calls.functions;

import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.summary.EvidenceSent;
import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.summary.TranscriptionStatus;
import io.earshot.analysis.windows.CallActivity;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.DeadLetter;
import io.earshot.jobs.common.JobMetrics;
import io.earshot.analysis.events.SegmentItem;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.listening.CallListening;
import io.earshot.analysis.listening.ListeningAnalysis;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.ConversationAnalysis;
import io.earshot.analysis.metrics.ListeningTotals;
import io.earshot.analysis.summary.CallValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
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
 * is {@link ConversationAnalysis} (run through {@link CallValues}); this class only moves state.
 *
 * <p>Per event, the operator touches keyed map state, not the call's lists: a duplicate spurt is
 * found through the map of spurt keys, and the next running value through the event times
 * known after the last one, kept in order ({@link Due}). Running values carry the metrics and
 * the listening analysis only; the evidence (spurts without contours, transcript) goes out once,
 * in the final summary. Each value still runs the metric math over the call's events known by
 * then, reading from state only the entries no earlier value took ({@link Known}).
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
 *
 * <p><b>Assignments.</b> An {@link CallEvent.Kind#ASSIGNED} event names the call's agent, team
 * and queue after the fact (a {@code CallAssigned} from a notification bridge, for sources such
 * as Genesys AudioHook Monitor that cannot name the agent). The call is attributed, at each
 * event time t, to the latest assignment known by t, or to its start's agent without one: so
 * running values from the assignment on, and the final summary, name the assigned agent. A
 * later assignment (a transfer) takes over from its own time on: the final summary names the
 * last one, and the windows count the call's activity for whoever it was attributed to when
 * the activity became known (split at the transfer, at running-interval resolution).
 * <ul>
 *   <li>A call whose start says it awaits its agent ({@code awaitingAssignment}, ingest's
 *       default agent) sends no activity until an assignment is known or until
 *       {@link JobConfig#assignmentWaitMs()} after its start: a held change is not reported, so
 *       the next report, at the assignment's time (or at the wait's end, then for the start's
 *       agent), carries everything since the call began. Windows never count it under the
 *       default agent when its assignment comes within the wait, and no other call waits. If it
 *       ends unassigned, its final summary waits until the assignment or the wait's end,
 *       whichever comes first. The price: such a call's activity reaches the windows up to the
 *       assignment's delay late, placed in time where it was released.
 *   <li>Calls that name their agent at the start hold nothing back; with no assignment their
 *       outputs are exactly what they were without this feature.
 *   <li>An assignment that arrives before its call's start is kept for up to the wait after its
 *       own event time and then applies from the start; one for a call that does not start by
 *       then, or that has already closed, is a dead letter.
 * </ul>
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

    /** An assignment in state, with the event time it became known at. */
    public record KnownAssignment(long knownAtMs, String agentId, String team, String queue) {
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
    private transient ListState<KnownAssignment> assignments;
    /** The spurts in state, as {@link #segmentKey}: a duplicate is found without reading them all. */
    private transient MapState<String, Boolean> segmentKeys;
    /** The event times known after the last running value, in order ({@link Due}): when the next one is due. */
    private transient ValueState<long[]> due;
    /** The same as a map, as releases before {@link Due} kept them: read once from a savepoint, then empty. */
    private transient MapState<Long, Boolean> knownAfterRunning;
    private transient Counter deadLetters;
    private transient Counter summariesOut;
    /**
     * Per live call, what its next summary can reuse from its last one ({@link CallMemo}). Not
     * state: it only saves work, so after a restart a call's first summary does the full pass
     * and rebuilds it. Dropped with the call's state when the call closes.
     */
    private transient Map<String, CallMemo> memos;

    /**
     * What one call's next summary can reuse: the values' memo, the spurts and utterances taken,
     * and the transcription status of the reports known so far, folded in as each becomes known
     * (the fold is a maximum, so their order does not matter): ingest reports whenever the lag
     * changes, and a long call's summary does not go over all of its reports again.
     */
    private static final class CallMemo {
        final CallValues.Memo values = new CallValues.Memo();
        final Known<SegmentItem> segments = new Known<>();
        final Known<UtteranceItem> utterances = new Known<>();
        TranscriptionStatus transcription = TranscriptionStatus.NONE;
        /** What the call's running values sent: each next one leaves out the evidence sent already. */
        final EvidenceSent sent = new EvidenceSent();
        final Known<KnownStatus> statuses = new Known<>(
                k -> transcription = transcription.with(k.skippedRegions(), k.skippedSpeechMs(), k.lagMs()),
                () -> transcription = TranscriptionStatus.NONE);
    }

    /**
     * The items of a list state known by a time, in the state's order. The state is only ever
     * appended to, and summaries come at increasing times, so an entry known by one summary is
     * known by every later one. The entries read so far are kept: the known ones as items in
     * the state's order, the others by the time they become known. Each summary reads only the
     * entries appended since the last one, and takes in the waiting ones whose time has come:
     * a replay appends thousands of a call's entries ahead of the watermark, and those are not
     * read again at every running value. Not thread-safe.
     */
    static final class Known<T> {
        /** The places in the state of the known entries read so far, in order, and their items. */
        private long[] places = new long[16];
        private final List<T> known = new ArrayList<>();
        /** The entries read that were not known yet: their time, place and item, earliest first. */
        private final java.util.PriorityQueue<Waiting<T>> waiting = new java.util.PriorityQueue<>((a, b) -> {
            int c = Long.compare(a.knownAtMs(), b.knownAtMs());
            return c != 0 ? c : Long.compare(a.place(), b.place());
        });
        /** How many entries of the state were read. */
        private long read;
        private long at = Long.MIN_VALUE;
        /** How many leading known items are those the last {@link #upTo} gave, in the same places. */
        private int unchanged;
        private final List<T> view = java.util.Collections.unmodifiableList(known);
        /** Told of each item as it becomes known, and when all known items are dropped to be read again; or null. */
        private final java.util.function.Consumer<T> onKnown;
        private final Runnable onClear;

        Known() {
            this(null, null);
        }

        Known(java.util.function.Consumer<T> onKnown, Runnable onClear) {
            this.onKnown = onKnown;
            this.onClear = onClear;
        }

        private record Waiting<T>(long knownAtMs, long place, T item) {
        }

        /**
         * The items of the entries of {@code state} known at or before {@code knownBy}.
         *
         * @param knownAt when an entry became known
         * @param item    an entry's item
         */
        <K> List<T> upTo(Iterable<K> state, java.util.function.ToLongFunction<K> knownAt,
                java.util.function.Function<K, T> item, long knownBy) {
            return take(state, knownAt, item, knownBy);
        }

        /**
         * How many leading items of the list the last {@link #upTo} gave are those it gave when
         * {@link #taken()} was last called, in the same places (none before): items are only
         * ever put in, so the first one put in before others moved them.
         */
        int unchanged() {
            return unchanged;
        }

        /** Marks the list the last {@link #upTo} gave as the one its next {@link #unchanged()} is counted from. */
        void taken() {
            unchanged = known.size();
        }

        private <K> List<T> take(Iterable<K> state, java.util.function.ToLongFunction<K> knownAt,
                java.util.function.Function<K, T> item, long knownBy) {
            Iterable<K> fresh = state;
            long skip = read;
            if (knownBy < at) { // an earlier time than before: nothing is taken for granted
                skip = -1;
            } else if (state instanceof List<K> list && list instanceof java.util.RandomAccess) {
                // a state on the heap gives its list: the entries read are passed over, not walked
                skip = list.size() < read ? -1 : 0;
                fresh = list.subList((int) Math.min(read, list.size()), list.size());
            }
            if (skip < 0) { // not the state or the times they were read from: read it all again
                clear();
                skip = 0;
                fresh = state;
            }
            at = knownBy;
            long place = read - skip;
            for (K k : fresh) {
                if (skip > 0) {
                    skip--;
                    place++;
                    continue;
                }
                long time = knownAt.applyAsLong(k);
                if (time <= knownBy) { // after every entry read: its place is the last
                    insert(known.size(), place, item.apply(k));
                } else {
                    waiting.add(new Waiting<>(time, place, item.apply(k)));
                }
                place++;
            }
            if (skip > 0) { // fewer entries than read: not the state they were read from
                clear();
                return take(state, knownAt, item, knownBy);
            }
            read = place;
            while (!waiting.isEmpty() && waiting.peek().knownAtMs() <= knownBy) {
                Waiting<T> w = waiting.poll();
                int index = java.util.Arrays.binarySearch(places, 0, known.size(), w.place());
                insert(-index - 1, w.place(), w.item());
            }
            return view;
        }

        private void insert(int index, long place, T t) {
            unchanged = Math.min(unchanged, index);
            if (known.size() == places.length) {
                places = java.util.Arrays.copyOf(places, 2 * places.length);
            }
            System.arraycopy(places, index, places, index + 1, known.size() - index);
            places[index] = place;
            known.add(index, t);
            if (onKnown != null) {
                onKnown.accept(t);
            }
        }

        private void clear() {
            unchanged = 0;
            known.clear();
            waiting.clear();
            read = 0;
            if (onClear != null) {
                onClear.run();
            }
        }
    }

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
        assignments = getRuntimeContext().getListState(new ListStateDescriptor<>("assignments", KnownAssignment.class));
        segmentKeys = getRuntimeContext().getMapState(new MapStateDescriptor<>("segmentKeys", Types.STRING,
                Types.BOOLEAN));
        due = getRuntimeContext().getState(new ValueStateDescriptor<>("runningDue",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        knownAfterRunning = getRuntimeContext().getMapState(new MapStateDescriptor<>("knownAfterRunning", Types.LONG,
                Types.BOOLEAN));
        deadLetters = JobMetrics.counter(getRuntimeContext().getMetricGroup(), JobMetrics.DEAD_LETTERS);
        summariesOut = JobMetrics.counter(getRuntimeContext().getMetricGroup(), JobMetrics.SUMMARIES_OUT);
        memos = new HashMap<>();
    }

    @Override
    public void processElement(CallEvent e, Context ctx, Collector<CallSummary> out) throws Exception {
        if (e.kind != CallEvent.Kind.STARTED && started.value() == null) {
            // The start may still be on its way (another topic, another partition): hold the
            // event until the watermark passes it; only then is the call really unknown.
            pending.add(e);
            ctx.timerService().registerEventTimeTimer(heldUntil(e));
            return;
        }
        accept(e, ctx);
        if (e.kind == CallEvent.Kind.STARTED) {
            for (CallEvent held : pending.get()) {
                accept(held, ctx);
                long expiry = heldUntil(held);
                if (held.kind == CallEvent.Kind.ASSIGNED && !Long.valueOf(expiry).equals(closingTimer.value())
                        && !Long.valueOf(expiry).equals(runningTimer.value())) {
                    // a held assignment's expiry lies up to the wait ahead: do not leave it behind the call
                    ctx.timerService().deleteEventTimeTimer(expiry);
                }
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
            case SEGMENT -> {
                segments.add(new KnownSegment(e.eventTimeMs, SegmentItem.of(e)));
                segmentKeys.put(segmentKey(e), Boolean.TRUE);
                due.update(Due.add(due.value(), e.eventTimeMs));
            }
            case UTTERANCE -> {
                utterances.add(new KnownUtterance(e.eventTimeMs,
                        new UtteranceItem(e.role, e.startMs, e.endMs, e.text, e.words)));
                due.update(Due.add(due.value(), e.eventTimeMs));
            }
            case TRANSCRIPTION -> {
                statuses.add(new KnownStatus(e.eventTimeMs, e.lagMs, e.skippedRegions, e.skippedSpeechMs));
                due.update(Due.add(due.value(), e.eventTimeMs));
            }
            case UNDECODABLE -> throw new IllegalStateException("checked above: " + e);
            case ENDED -> {
                endMs.update(e.endMs);
                endKnownAtMs.update(e.eventTimeMs);
            }
            case ASSIGNED -> {
                assignments.add(new KnownAssignment(e.eventTimeMs, e.agentId, e.team, e.queue));
                due.update(Due.add(due.value(), e.eventTimeMs));
            }
        }
        Long closing = closingTimer.value();
        long closeAt;
        if (e.kind == CallEvent.Kind.ASSIGNED) {
            // an ended call that was waiting for its agent closes as soon as the assignment is in
            closeAt = endMs.value() == null ? closing
                    : Math.min(closing, Math.max(endKnownAtMs.value() + config.finalGraceMs(), afterWatermark(e, ctx)));
        } else if (endMs.value() != null) {
            closeAt = e.kind == CallEvent.Kind.ENDED
                    ? Math.max(e.eventTimeMs + config.finalGraceMs(), unassignedUntil()) : closing;
        } else {
            closeAt = Math.max(e.eventTimeMs + config.inactivityTimeoutMs(), closing == null ? Long.MIN_VALUE : closing);
        }
        moveTimer(closingTimer, closeAt, runningTimer, ctx);
        if (e.kind == CallEvent.Kind.SEGMENT || e.kind == CallEvent.Kind.UTTERANCE
                || e.kind == CallEvent.Kind.TRANSCRIPTION
                || e.kind == CallEvent.Kind.ASSIGNED && e.eventTimeMs > started.value().eventTimeMs) {
            // An event behind the watermark this operator has forwarded counts from the next grid
            // time after it: a running value stamped earlier would be late downstream. (An
            // assignment known by the call's start needs none: it applies from the first value.)
            scheduleRunning(afterWatermark(e, ctx), ctx);
        }
    }

    /** The grid time at which an event counts: its own, or the first one after the forwarded watermark. */
    private long afterWatermark(CallEvent e, Context ctx) {
        long watermark = ctx.timerService().currentWatermark();
        long at = config.runningMarkAtOrAfter(e.eventTimeMs);
        return watermark != Long.MIN_VALUE && at <= watermark ? config.runningMarkAtOrAfter(watermark + 1) : at;
    }

    /** How long an event that came before its call's start is held for it. */
    private long heldUntil(CallEvent e) {
        return e.kind == CallEvent.Kind.ASSIGNED ? e.eventTimeMs + config.assignmentWaitMs() : e.eventTimeMs;
    }

    /**
     * For a call that awaits its agent and has no assignment yet, the end of its wait; otherwise
     * {@code Long.MIN_VALUE}.
     */
    private long unassignedUntil() throws Exception {
        CallEvent start = started.value();
        return start != null && start.awaitingAssignment && !assignments.get().iterator().hasNext()
                ? start.eventTimeMs + config.assignmentWaitMs() : Long.MIN_VALUE;
    }

    /**
     * Whether the call holds back its activity at event time {@code t}: it awaits its agent, no
     * assignment is known by {@code t}, and its wait has not ended.
     */
    private boolean waiting(long t) throws Exception {
        CallEvent start = started.value();
        return start.awaitingAssignment && t < start.eventTimeMs + config.assignmentWaitMs()
                && assignmentAt(t) == null;
    }

    /** The latest assignment known by {@code knownBy}, or null. */
    private KnownAssignment assignmentAt(long knownBy) throws Exception {
        KnownAssignment latest = null;
        for (KnownAssignment a : assignments.get()) {
            if (a.knownAtMs() <= knownBy && (latest == null || a.knownAtMs() >= latest.knownAtMs())) {
                latest = a;
            }
        }
        return latest;
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
                yield e.kind == CallEvent.Kind.SEGMENT && segmentKeys.contains(segmentKey(e)) ? "duplicate segment"
                        : null;
            }
            case ASSIGNED -> !known ? "assignment for an unknown call (never started, or already closed)" : null;
            case TRANSCRIPTION -> !known ? "event for an unknown call (never started, or already closed)"
                    : e.lagMs < 0 || e.skippedRegions < 0 || e.skippedSpeechMs < 0
                            ? "negative transcription lag or count" : null;
            // the validator rejects these before keyBy; should one get here, it is still only a dead letter
            case UNDECODABLE -> "undecodable record: " + e.reason;
        };
    }

    /** A spurt's identity for the duplicate check: its role and its times. */
    private static String segmentKey(CallEvent e) {
        return e.role + ":" + e.startMs + ":" + e.endMs;
    }

    /** The watermark passed these events and no start came: the call is unknown. */
    private void rejectHeldUpTo(long timestamp, OnTimerContext ctx) throws Exception {
        List<CallEvent> keep = new ArrayList<>();
        for (CallEvent held : pending.get()) {
            if (heldUntil(held) <= timestamp) {
                deadLetters.inc();
                ctx.output(DEAD_LETTERS, new DeadLetter(held.callId, String.valueOf(held.kind), held.eventTimeMs,
                        held.kind == CallEvent.Kind.ENDED
                                ? "end of a call that never started (or was already closed)"
                                : held.kind == CallEvent.Kind.ASSIGNED
                                ? "assignment for an unknown call (no start within the assignment wait,"
                                        + " or already closed)"
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
            Summary last = summary(true, reason, timestamp, Long.MAX_VALUE);
            out.collect(last.values());
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
                Summary sofar = summary(false, null, timestamp, timestamp);
                out.collect(sofar.values());
                summariesOut.inc();
                report(sofar, ctx);
            }
            // the next one due: the grid time of the earliest event known after this one (running
            // values come in increasing time, so the times this one covers are dropped)
            long[] times = due.value();
            if (!knownAfterRunning.isEmpty()) { // restored from a release that kept them in a map
                for (Long knownAt : knownAfterRunning.keys()) {
                    times = Due.add(times, knownAt);
                }
                knownAfterRunning.clear();
            }
            times = Due.dropUpTo(times, timestamp);
            due.update(times);
            long next = Due.first(times);
            if (waiting(timestamp)) {
                // a call still waiting for its agent releases its held activity when the wait ends
                next = Math.min(next, started.value().eventTimeMs + config.assignmentWaitMs());
            }
            if (next != Long.MAX_VALUE) {
                // no watermark check here: while timers fire, the watermark that fired them has
                // not gone downstream yet, and a timer it already passed fires in this same round
                scheduleRunning(config.runningMarkAtOrAfter(next), ctx);
            }
        }
    }

    /** A summary and the call's totals in it, for its activity. */
    private record Summary(CallSummary values, ListeningTotals totals) {
    }

    /** The call's values from the events known at or before {@code knownBy}. */
    private Summary summary(boolean isFinal, String reason, long at, long knownBy) throws Exception {
        CallEvent start = started.value();
        CallMemo memo = memos.computeIfAbsent(start.callId, k -> new CallMemo());
        List<SegmentItem> segs = memo.segments.upTo(segments.get(), KnownSegment::knownAtMs, KnownSegment::item,
                knownBy);
        List<UtteranceItem> utts = memo.utterances.upTo(utterances.get(), KnownUtterance::knownAtMs,
                KnownUtterance::item, knownBy);
        Long end = endMs.value();
        Long endKnownAt = endKnownAtMs.value();
        CallValues values = CallValues.of(segs, memo.segments.unchanged(), utts, memo.utterances.unchanged(),
                end != null && endKnownAt <= knownBy ? end : null, config, listeningAnalysis(), isFinal, memo.values);
        // the values' memo has these lists now: what changes next is counted from them (had it
        // failed, it would have started over, and a count from earlier lists is only smaller)
        memo.segments.taken();
        memo.utterances.taken();
        CallMetrics metrics = values.metrics();
        memo.statuses.upTo(statuses.get(), KnownStatus::knownAtMs, k -> k, knownBy);
        TranscriptionStatus transcription = memo.transcription;
        CallListening listening = values.listening();
        KnownAssignment who = assignmentAt(knownBy);
        // the evidence (spurts, transcript) goes out once, with the final summary: running values
        // are read for their metrics (the floor, the store, the live topic), and copying a long
        // call's transcript into each of them cost more than the values themselves
        // and a running value's own evidence goes out once too: it names what it keeps of the
        // previous running value, and the live topic carries only what changed (EvidenceSent)
        return new Summary(memo.sent.next(new CallSummary(start.callId, who == null ? start.agentId : who.agentId(),
                who == null ? start.team : who.team(), who == null ? start.queue : who.queue(),
                start.mediaStartEpochMs, isFinal, reason, at, metrics,
                isFinal ? values.segments().stream().map(SegmentItem::withoutContour).toList() : List.of(),
                isFinal ? values.utterances() : List.of(), transcription, listening, start.redaction)),
                values.totals());
    }

    private ListeningAnalysis listeningAnalysis() {
        if (listening == null) {
            listening = new ListeningAnalysis(config.listening());
        }
        return listening;
    }

    /**
     * Sends the change since the totals last reported for this call, and remembers the new ones;
     * or, while the call waits for its agent (see the class comment), nothing: the change stays
     * unreported and goes out with the first report after the wait.
     */
    private void report(Summary summary, OnTimerContext ctx) throws Exception {
        CallSummary s = summary.values();
        if (!s.isFinal() && waiting(s.emittedAtMs())) {
            return;
        }
        ListeningTotals now = summary.totals();
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

    private void clear() throws Exception {
        CallEvent start = started.value();
        if (start != null) {
            memos.remove(start.callId);
        }
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
        assignments.clear();
        segmentKeys.clear();
        due.clear();
        knownAfterRunning.clear();
    }

    /**
     * Event times in order, as one array: {@code [head, tail, times...]}, the times at
     * {@code 2 + head} up to {@code 2 + tail}, ascending and distinct. The earliest one after a
     * running value is its first; the ones a running value covers are a prefix, dropped by
     * moving the head. An event mostly comes after the ones known, so adding one mostly appends.
     * A replay (analyze) can know thousands of a call's events before the watermark lets a
     * running value out; they cost a search each, not a walk over all of them.
     */
    static final class Due {
        private Due() {
        }

        /** {@code times} (null: none) with {@code t} in its place. */
        static long[] add(long[] times, long t) {
            if (times == null) {
                times = new long[2 + 8];
            }
            int head = (int) times[0];
            int tail = (int) times[1];
            int at = java.util.Arrays.binarySearch(times, 2 + head, 2 + tail, t);
            if (at >= 0) {
                return times;
            }
            at = -at - 1;
            if (2 + tail == times.length) { // full: move the times to the front, or make room
                long[] room = head > times.length / 2 ? times : new long[2 * times.length];
                System.arraycopy(times, 2 + head, room, 2, tail - head);
                at -= head;
                tail -= head;
                head = 0;
                times = room;
            }
            System.arraycopy(times, at, times, at + 1, 2 + tail - at);
            times[at] = t;
            times[0] = head;
            times[1] = tail + 1;
            return times;
        }

        /** {@code times} without those at or before {@code t}. */
        static long[] dropUpTo(long[] times, long t) {
            if (times == null) {
                return null;
            }
            int head = (int) times[0];
            int tail = (int) times[1];
            int at = java.util.Arrays.binarySearch(times, 2 + head, 2 + tail, t);
            int first = at >= 0 ? at + 1 : -at - 1; // the first time after t
            times[0] = first - 2;
            if (first - 2 == tail) { // none left: start from the front again
                times[0] = 0;
                times[1] = 0;
            }
            return times;
        }

        /** The earliest time, or {@link Long#MAX_VALUE} if none. */
        static long first(long[] times) {
            return times == null || times[0] == times[1] ? Long.MAX_VALUE : times[2 + (int) times[0]];
        }
    }
}
