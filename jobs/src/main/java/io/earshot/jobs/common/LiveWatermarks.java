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
 * {@code env.fromSource}): bounded out-of-orderness while records flow, and event time that
 * keeps moving when they stop.
 *
 * <ul>
 *   <li>While a partition delivers records, its watermark trails the newest event time seen
 *       by {@code outOfOrdernessMs}, as with {@link WatermarkStrategy#forBoundedOutOfOrderness}.
 *   <li>Once a partition has delivered nothing for {@code idleAdvanceMs} of processing time,
 *       its watermark advances with processing time, one ms per ms, counted from its last
 *       record: it moves as if event time had gone on flowing since then. Live calls end,
 *       traffic stops (at the end of a demo, at night), and without this the last calls' final
 *       summaries, and their last running values, would wait for somebody else's next event.
 *       Counting from the last record rather than from the end of the wait matters for sparse
 *       partitions: {@code earshot.calls} carries only starts and ends, and a partition of it
 *       that trailed the clock by the wait would hold every running value back by as much.
 *       Event time of live calls is wall-clock time, so advancing with the clock is what would
 *       have happened had events kept coming.
 *   <li>A partition that has delivered nothing at all since the job started is marked idle after
 *       {@code idleAdvanceMs}, so an empty partition never holds the watermark back.
 * </ul>
 *
 * <p>The price of the advance: an event that arrives after its partition has been quiet for
 * at least {@code idleAdvanceMs}, and whose event time trails its arrival by more than the
 * out-of-orderness plus the trail of the partition's previous record, is behind the watermark. The
 * call operator still counts it (from the next running value on); only a call whose final
 * summary has already gone out rejects it as for an unknown call. A transcript that trails
 * the audio by less than the job's final grace period is never affected: the call's end
 * itself keeps coming and holds the partition of {@code earshot.calls} active.
 */
public final class LiveWatermarks implements WatermarkStrategy<CallEvent> {

    private static final long serialVersionUID = 1L;

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
        private final ProcessingClock clock;
        private final long createdAtMs;
        private long maxTimestamp = Long.MIN_VALUE;
        private long lastRecordAtMs;
        private long emitted = Long.MIN_VALUE;

        public Generator(long outOfOrdernessMs, long idleAdvanceMs, ProcessingClock clock) {
            this.outOfOrdernessMs = outOfOrdernessMs;
            this.idleAdvanceMs = idleAdvanceMs;
            this.clock = clock;
            this.createdAtMs = clock.nowMs();
        }

        @Override
        public void onEvent(CallEvent event, long eventTimestamp, WatermarkOutput output) {
            maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
            lastRecordAtMs = clock.nowMs();
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            long now = clock.nowMs();
            if (maxTimestamp == Long.MIN_VALUE) {
                if (now - createdAtMs >= idleAdvanceMs) {
                    output.markIdle();
                }
                return;
            }
            long quiet = now - lastRecordAtMs;
            // quiet long enough: event time has gone on since the last record, as the clock has
            long watermark = maxTimestamp - outOfOrdernessMs - 1 + (quiet >= idleAdvanceMs ? quiet : 0);
            if (watermark > emitted) {
                emitted = watermark;
                output.emitWatermark(new Watermark(watermark));
            }
        }
    }
}
