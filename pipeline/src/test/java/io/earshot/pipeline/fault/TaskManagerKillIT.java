package io.earshot.pipeline.fault;

import static io.earshot.pipeline.fault.FaultAssertions.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.jobs.calls.KafkaJobConfig;
import io.earshot.analysis.events.CallEvent;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.cli.EarshotCli;
import io.earshot.pipeline.fault.OutputReader.Received;
import io.earshot.pipeline.fault.RecordedCalls.FaultFree;
import io.earshot.pipeline.flink.FlinkSessionCluster;
import io.earshot.pipeline.kafka.EmbeddedKafka;
import io.earshot.pipeline.store.StoreDatabase;
import io.earshot.pipeline.store.StoreWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once through a lost TaskManager: the job jar on a standalone session cluster (a
 * JobManager and two TaskManagers of two slots each, every one its own JVM) reads ten calls
 * published at the pace they happen; once the first final summary is out, the JVM of a
 * TaskManager running the job's tasks is killed outright ({@code kill -9}). The job restarts
 * from its last checkpoint on the surviving TaskManager's slots, and what a
 * {@code read_committed} reader sees on the output topics, and what the store writer puts into
 * PostgreSQL, equals a fault-free run over the same events: every final summary and every
 * window due, once each.
 *
 * <p>Timing: live pacing keeps the input close to the clock, and the job runs with
 * {@code --idle-advance-ms 15000} so that the backlog the restarted job reads all at once is
 * not overtaken by a partition's clock-following watermark (see docs/kafka.md).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class TaskManagerKillIT {

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
    void shouldPublishAndStoreEverySummaryAndWindowOnceWhenATaskManagerIsKilledMidStream() throws Exception {
        var analyses = RecordedCalls.analyses();
        Files.createDirectories(dir.resolve("flink"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                StoreDatabase store = StoreDatabase.embedded(dir.resolve("store"));
                FlinkSessionCluster cluster = FlinkSessionCluster.start(dir.resolve("flink"), 2, 2);
                StoreWriter writer = StoreWriter.start(kafka.bootstrapServers(), store.dataSource());
                OutputReader reader = OutputReader.start(kafka.bootstrapServers())) {
            StringWriter err = new StringWriter();
            int code = EarshotCli.run(new String[] {"job", "--bootstrap", kafka.bootstrapServers(), "--flink",
                cluster.rest(), "--job-jar", System.getProperty("earshot.jobJar"), "--from", "earliest",
                "--idle-advance-ms", "15000", "--out-of-orderness-ms", RecordedCalls.OUT_OF_ORDERNESS_MS,
                "--checkpoint-dir", dir.resolve("checkpoints").toString()},
                    new PrintWriter(new StringWriter()), new PrintWriter(err));
            assertThat(code).as("stderr: %s", err).isZero();
            String job = cluster.jobs().keySet().iterator().next();

            List<CallEvent> events = RecordedCalls.staggered(analyses, CALLS, System.currentTimeMillis() + 3_000,
                    5_000);
            try (PacedPublisher publisher = PacedPublisher.start(kafka.bootstrapServers(), events)) {
                FaultFree expected = RecordedCalls.faultFree(events,
                        KafkaJobConfig.of(kafka.bootstrapServers(), "earshot-metrics").jobConfig());

                await("a first final summary, with calls still going on", BOUND,
                        () -> !reader.finals().isEmpty(), cluster::logs);
                List<String> busy = cluster.busyTaskManagers();
                assertThat(busy).as("TaskManagers running the job").isNotEmpty();
                int publishedBefore = publisher.published();
                long newestLiveMs = reader.records(Topics.CALL_LIVE).stream().mapToLong(Received::timestampMs)
                        .max().orElse(0);
                long killedAt = System.nanoTime();
                cluster.kill(busy.get(0));

                await("a new running value after the kill", BOUND, () -> reader.firstAfter(Topics.CALL_LIVE, killedAt,
                        r -> r.timestampMs() > newestLiveMs) != null, cluster::logs);
                long runningAgainMs = (reader.firstAfter(Topics.CALL_LIVE, killedAt,
                        r -> r.timestampMs() > newestLiveMs).arrivedNanos() - killedAt) / 1_000_000;
                await("a committed summary or window after the kill", BOUND,
                        () -> reader.firstAfter(Topics.AGENT_METRICS, killedAt, r -> true) != null
                                || reader.firstAfter(Topics.CALL_SUMMARIES, killedAt, r -> true) != null,
                        cluster::logs);
                long committedAgainMs = (Math.min(arrival(reader.firstAfter(Topics.AGENT_METRICS, killedAt, r -> true)),
                        arrival(reader.firstAfter(Topics.CALL_SUMMARIES, killedAt, r -> true))) - killedAt) / 1_000_000;

                publisher.awaitDone(BOUND);
                FaultAssertions.awaitOutputs(reader, expected, BOUND, cluster::logs);
                int compared = FaultAssertions.assertOutputsEqualFaultFree(reader, expected);
                assertThat(cluster.failovers(job)).as("the job recovered from a failure").isPositive();
                int rows = FaultAssertions.assertStoreEqualsOutputs(store.dataSource(), reader, expected, BOUND);
                assertThat(writer.skipped()).isZero();

                Figures.report("fault-taskmanager-kill", String.format(
                        "TaskManager kill: %d calls, %d input events (%d published before the kill of %s);"
                                + " kill to first new running value %d ms, to first committed summary or window %d ms;"
                                + " %d output records compared with the fault-free run (%d summaries, %d windows),"
                                + " %d store rows compared; %d failover(s)",
                        expected.summaries().size(), events.size(), publishedBefore, busy.get(0), runningAgainMs,
                        committedAgainMs, compared, reader.finals().size(), reader.windows().size(), rows,
                        cluster.failovers(job)));
            }
        }
    }

    private static long arrival(Received r) {
        return r == null ? Long.MAX_VALUE : r.arrivedNanos();
    }
}
