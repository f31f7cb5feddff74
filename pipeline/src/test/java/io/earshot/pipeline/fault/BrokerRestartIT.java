package io.earshot.pipeline.fault;

import static io.earshot.pipeline.fault.FaultAssertions.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.jobs.calls.KafkaCallMetricsJob;
import io.earshot.jobs.calls.KafkaJobConfig;
import io.earshot.analysis.events.CallEvent;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.fault.OutputReader.Received;
import io.earshot.pipeline.fault.RecordedCalls.FaultFree;
import io.earshot.pipeline.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once through a broker restart: the job (in process, on a local Flink cluster, with
 * its checkpoints in a directory) reads calls published at the pace they happen; once the
 * first final summary is out, the broker stops while events keep coming (the producer holds
 * them), and starts again on the same port with the same data. What a {@code read_committed}
 * reader then sees equals a fault-free run over the same events, each record once.
 *
 * <p>Timing: live pacing, and {@code --idle-advance-ms 30000}: while the broker is away no
 * partition delivers anything, and a partition quiet for longer than the idle advance would
 * carry event time past the events held back meanwhile (a broker outage longer than the idle
 * advance makes them late in production too; see docs/kafka.md).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BrokerRestartIT {

    private static final Duration BOUND = Duration.ofMinutes(3);
    /**
     * Ten calls starting 5 s apart (the sample calls last 9 to 21 s): input goes on for about a
     * minute, well past the fault and the recovery, as live traffic does. A restarted job's event
     * time moves again with its first new input (see docs/kafka.md).
     */
    private static final int CALLS = 10;

    @TempDir
    Path dir;

    @Test
    void shouldPublishEverySummaryAndWindowOnceWhenTheBrokerRestartsMidStream() throws Exception {
        var analyses = RecordedCalls.analyses();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                OutputReader reader = OutputReader.start(kafka.bootstrapServers())) {
            KafkaJobConfig config = KafkaJobConfig.parse("--bootstrap", kafka.bootstrapServers(), "--group",
                    "earshot-metrics", "--from", "earliest", "--idle-advance-ms", "30000",
                    "--out-of-orderness-ms", RecordedCalls.OUT_OF_ORDERNESS_MS,
                    "--checkpoint-dir", dir.resolve("checkpoints").toString());
            JobClient job = KafkaCallMetricsJob.start(StreamExecutionEnvironment.getExecutionEnvironment(), config);
            List<CallEvent> events = RecordedCalls.staggered(analyses, CALLS, System.currentTimeMillis() + 3_000,
                    5_000);
            try (PacedPublisher publisher = PacedPublisher.start(kafka.bootstrapServers(), events)) {
                FaultFree expected = RecordedCalls.faultFree(events, config.jobConfig());

                await("a first final summary, with calls still going on", BOUND, () -> !reader.finals().isEmpty(),
                        () -> "");
                Figures.step("broker restart", "first final summary read; " + publisher.published() + " of "
                        + events.size() + " events published; stopping the broker");
                long stoppedAt = System.nanoTime();
                kafka.stopBroker();
                int publishedAtStop = publisher.published();
                Figures.step("broker restart", "broker stopped; " + publishedAtStop + " events published");
                // events keep happening while the broker is away: hold it down for at least 5 s and
                // until ten more fall due, or all there are (the first final summary waits for the
                // calls topic's idle advance, so on a slow machine most events are out by then)
                int dueTarget = Math.min(events.size(), publishedAtStop + 10);
                await("events due while the broker is down", BOUND, () -> publisher.due() >= dueTarget
                                && System.nanoTime() - stoppedAt >= TimeUnit.SECONDS.toNanos(5),
                        () -> publisher.due() + " of " + events.size() + " due, " + dueTarget + " awaited");
                long downMs = (System.nanoTime() - stoppedAt) / 1_000_000;
                int dueAtStart = publisher.due();
                long startedAt = System.nanoTime();
                Figures.step("broker restart", dueAtStart + " events due; starting the broker");
                kafka.startBroker();
                Figures.step("broker restart", "broker started");
                long upMs = (System.nanoTime() - startedAt) / 1_000_000;
                await("a committed summary or window after the restart", BOUND,
                        () -> reader.firstAfter(Topics.AGENT_METRICS, startedAt, r -> true) != null
                                || reader.firstAfter(Topics.CALL_SUMMARIES, startedAt, r -> true) != null,
                        () -> "");
                long committedAgainMs = (Math.min(
                        arrival(reader.firstAfter(Topics.AGENT_METRICS, startedAt, r -> true)),
                        arrival(reader.firstAfter(Topics.CALL_SUMMARIES, startedAt, r -> true))) - startedAt)
                        / 1_000_000;

                publisher.awaitDone(BOUND);
                FaultAssertions.awaitOutputs(reader, expected, BOUND, () -> "");
                int compared = FaultAssertions.assertOutputsEqualFaultFree(reader, expected);
                assertThat(job.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState()).isFalse();

                Figures.report("fault-broker-restart", String.format(
                        "broker restart: %d calls, %d input events; broker down %d ms (%d events fell due meanwhile),"
                                + " restart took %d ms, restart to first committed summary or window %d ms;"
                                + " %d output records compared with the fault-free run (%d summaries, %d windows)",
                        expected.summaries().size(), events.size(), downMs, dueAtStart - publishedAtStop,
                        upMs, committedAgainMs, compared, reader.finals().size(), reader.windows().size()));
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static long arrival(Received r) {
        return r == null ? Long.MAX_VALUE : r.arrivedNanos();
    }
}
