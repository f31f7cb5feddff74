package io.earshot.jobs.common;

import io.earshot.analysis.events.CallEvent;
import java.io.Serializable;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks for live input from Kafka, generated per partition by the source (pass this to
 * {@code env.fromSource}): each call's events in a partition follow that call's own progress,
 * and event time keeps moving when they stop.
 *
 * <ul>
 *   <li>Calls are tracked one by one. A call's events are in order within their partition
 *       (ingest publishes a call's spurts in the order it decides them, each stamped with the
 *       moment it was decided, from one thread, with one producer, keyed by call id), but calls
 *       differ in how far their event time trails the
 *       clock (each call's audio arrives with its own delay). So a partition's watermark is the
 *       least progress of the calls it carries, minus {@code outOfOrdernessMs} for the jitter of
 *       a call's own delay: a call's progress is its newest event time, and once the call has
 *       delivered nothing for {@code idleAdvanceMs} of processing time, that plus the time since
 *       its last record. A call is quiet between its speech events (a party speaking for ten
 *       seconds sends nothing meanwhile) while its audio keeps flowing in real time, and event
 *       time of live calls is wall-clock time, so its event time has gone on as the clock has.
 *       A call not heard of for {@link #FORGET_CALL_AFTER_MS} (or twice the idle advance) is
 *       forgotten: it has ended, or its next event will be as far behind the clock as its last.
 *   <li>Records that name no call (undecodable ones) count only for the partition as a whole:
 *       without calls, its watermark trails its newest event time by the out-of-orderness and,
 *       once it has been quiet for {@code idleAdvanceMs}, follows the clock from its last record.
 *       Live calls end, traffic stops (at the end of a demo, at night), and without this the
 *       last calls' final summaries, and their last running values, would wait for somebody
 *       else's next event.
 *   <li>A partition that has delivered nothing at all since the job started is marked idle after
 *       {@code idleAdvanceMs} (at least {@link #MIN_START_IDLE_MS}, so a reader slow to its first
 *       records at start-up is not taken for an empty partition), so an empty partition never
 *       holds the watermark back.
 * </ul>
 *
 * <p>The price of the advance: an event that arrives after its call has been quiet for at least
 * {@code idleAdvanceMs}, and whose event time trails its arrival by more than the
 * out-of-orderness plus the trail of the call's previous record, is behind the watermark. The
 * call operator still counts it (from the next running value on, which then comes at once);
 * only a call whose final summary has already gone out rejects it as for an unknown call.
 * Utterances trail the audio by the recognition time and are such events; a transcript that
 * trails the audio by less than the job's final grace period never changes a final summary.
 * The call's end, on {@code earshot.calls}, comes after its last utterance.
 */
public final class LiveWatermarks implements WatermarkStrategy<CallEvent> {

    private static final long serialVersionUID = 1L;

    /** A call with no record for this long is no longer tracked (see the class comment). */
    public static final long FORGET_CALL_AFTER_MS = 60_000;
    /** The least time a partition that has delivered nothing since the start waits before it is idle. */
    public static final long MIN_START_IDLE_MS = 1_000;

    /** Processing time in epoch ms; the system clock in production, a hand-moved one in tests. */
    public interface ProcessingClock extends Serializable {
        long nowMs();
    }

    private final long outOfOrdernessMs;
    private final long idleAdvanceMs;
    private final ProcessingClock clock;

    public LiveWatermarks(long outOfOrdernessMs, long idleAdvanceMs) {
        this(outOfOrdernessMs, idleAdvanceMs, System::currentTimeMillis);
    }

    public LiveWatermarks(long outOfOrdernessMs, long idleAdvanceMs, ProcessingClock clock) {
        if (outOfOrdernessMs < 0 || idleAdvanceMs <= 0) {
            throw new IllegalArgumentException("out-of-orderness must be >= 0 and idle advance > 0, were "
                    + outOfOrdernessMs + " and " + idleAdvanceMs);
        }
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.idleAdvanceMs = idleAdvanceMs;
        this.clock = clock;
    }

    @Override
    public WatermarkGenerator<CallEvent> createWatermarkGenerator(WatermarkGeneratorSupplier.Context context) {
        return new Generator(outOfOrdernessMs, idleAdvanceMs, clock);
    }

    /** The event's own event time, which the deserializer took from the Kafka record timestamp. */
    @Override
    public TimestampAssigner<CallEvent> createTimestampAssigner(TimestampAssignerSupplier.Context context) {
        return (e, recordTimestamp) -> e.eventTimeMs;
    }

    /** The generator of one partition (one source split). */
    public static final class Generator implements WatermarkGenerator<CallEvent> {

        private final long outOfOrdernessMs;
        private final long idleAdvanceMs;
        private final long forgetAfterMs;
        private final ProcessingClock clock;
        private final long createdAtMs;
        /** Per call: newest event time, processing time of its last record. */
        private final java.util.Map<String, long[]> calls = new java.util.HashMap<>();
        private long maxTimestamp = Long.MIN_VALUE;
        private long lastRecordAtMs;
        private long emitted = Long.MIN_VALUE;

        public Generator(long outOfOrdernessMs, long idleAdvanceMs, ProcessingClock clock) {
            this.outOfOrdernessMs = outOfOrdernessMs;
            this.idleAdvanceMs = idleAdvanceMs;
            this.forgetAfterMs = Math.max(FORGET_CALL_AFTER_MS, 2 * idleAdvanceMs);
            this.clock = clock;
            this.createdAtMs = clock.nowMs();
        }

        @Override
        public void onEvent(CallEvent event, long eventTimestamp, WatermarkOutput output) {
            long now = clock.nowMs();
            maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
            lastRecordAtMs = now;
            if (event.kind != CallEvent.Kind.UNDECODABLE && event.callId != null) {
                long[] call = calls.computeIfAbsent(event.callId, k -> new long[] {Long.MIN_VALUE, now});
                call[0] = Math.max(call[0], eventTimestamp);
                call[1] = now;
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            long now = clock.nowMs();
            if (maxTimestamp == Long.MIN_VALUE) {
                if (now - createdAtMs >= Math.max(idleAdvanceMs, MIN_START_IDLE_MS)) {
                    output.markIdle();
                }
                return;
            }
            long progress = Long.MAX_VALUE;
            for (var it = calls.values().iterator(); it.hasNext(); ) {
                long[] call = it.next();
                long quiet = now - call[1];
                if (quiet >= forgetAfterMs) {
                    it.remove();
                } else {
                    progress = Math.min(progress, advanced(call[0], quiet));
                }
            }
            if (progress == Long.MAX_VALUE) {
                // no call tracked: the partition as a whole
                progress = advanced(maxTimestamp, now - lastRecordAtMs);
            }
            long watermark = progress - outOfOrdernessMs - 1;
            if (watermark > emitted) {
                emitted = watermark;
                output.emitWatermark(new Watermark(watermark));
            }
        }

        /** Event time {@code newest}, and once quiet long enough, as far on as the clock has gone since. */
        private long advanced(long newest, long quiet) {
            return newest + (quiet >= idleAdvanceMs ? quiet : 0);
        }

        /** Calls tracked, for tests of bounded state. */
        int trackedCalls() {
            return calls.size();
        }
    }
}
