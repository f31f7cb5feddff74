package io.earshot.pipeline.fault;

import static io.earshot.pipeline.fault.FaultAssertions.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.jobs.calls.KafkaCallMetricsJob;
import io.earshot.jobs.calls.KafkaJobConfig;
import io.earshot.analysis.events.CallEvent;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.fault.RecordedCalls.FaultFree;
import io.earshot.pipeline.kafka.EmbeddedKafka;
import io.earshot.pipeline.store.StoreDatabase;
import io.earshot.pipeline.store.StoreWriter;
import io.earshot.pipeline.supervise.ComponentStatus;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost through a PostgreSQL outage: the job (in process) publishes calls' summaries
 * and windows while the store writer fills the store; once the first call is stored,
 * PostgreSQL stops for 30 s, during which further summaries are committed to Kafka, and then
 * starts again on the same data and port. The writer, which commits its Kafka offsets only
 * after the database committed, then stores every call and window; none is skipped.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StoreOutageIT {

    private static final Duration BOUND = Duration.ofMinutes(3);
    /**
     * Ten calls starting 5 s apart (the sample calls last 9 to 21 s): input goes on for about a
     * minute, well past the fault and the recovery, as live traffic does. A restarted job's event
     * time moves again with its first new input (see docs/kafka.md).
     */
    private static final int CALLS = 10;
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldStoreEveryCallAndWindowWhenPostgresIsDownForHalfAMinuteWhileSummariesArrive() throws Exception {
        var analyses = RecordedCalls.analyses();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = dir.resolve("store");
        StoreDatabase store = StoreDatabase.embedded(data, port);
        DataSource writerDataSource = store.dataSource();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                StoreWriter writer = StoreWriter.start(kafka.bootstrapServers(), writerDataSource);
                OutputReader reader = OutputReader.start(kafka.bootstrapServers())) {
            KafkaJobConfig config = KafkaJobConfig.parse("--bootstrap", kafka.bootstrapServers(), "--group",
                    "earshot-metrics", "--from", "earliest", "--idle-advance-ms", "15000",
                    "--out-of-orderness-ms", RecordedCalls.OUT_OF_ORDERNESS_MS,
                    "--checkpoint-dir", dir.resolve("checkpoints").toString());
            JobClient job = KafkaCallMetricsJob.start(StreamExecutionEnvironment.getExecutionEnvironment(), config);
            List<CallEvent> events = RecordedCalls.staggered(analyses, CALLS, System.currentTimeMillis() + 3_000,
                    5_000);
            try (PacedPublisher publisher = PacedPublisher.start(kafka.bootstrapServers(), events)) {
                FaultFree expected = RecordedCalls.faultFree(events, config.jobConfig());

                await("a first call in the store", BOUND, () -> storedCalls(writerDataSource) >= 1, () -> "");
                store.close();
                long downAt = System.nanoTime();
                await("summaries committed while PostgreSQL is down, and " + OUTAGE + " gone by", BOUND,
                        () -> reader.firstAfter(Topics.CALL_SUMMARIES, downAt, r -> true) != null
                                && System.nanoTime() - downAt >= OUTAGE.toNanos(), () -> "");
                int committedWhileDown = (int) reader.records(Topics.CALL_SUMMARIES).stream()
                        .filter(r -> r.arrivedNanos() > downAt).count();
                long downMs = (System.nanoTime() - downAt) / 1_000_000;
                store = StoreDatabase.embedded(data, port);
                long upAt = System.nanoTime();

                publisher.awaitDone(BOUND);
                FaultAssertions.awaitOutputs(reader, expected, BOUND, () -> "");
                FaultAssertions.assertOutputsEqualFaultFree(reader, expected);
                int rows = FaultAssertions.assertStoreEqualsOutputs(store.dataSource(), reader, expected, BOUND);
                long caughtUpMs = (System.nanoTime() - upAt) / 1_000_000;
                assertThat(writer.skipped()).as("records passed over").isZero();
                assertThat(writer.status().state()).isEqualTo(ComponentStatus.State.RUNNING);

                Figures.report("fault-store-outage", String.format(
                        "PostgreSQL outage: down %d ms while %d final summaries were committed to Kafka;"
                                + " back up to every row stored %d ms; %d store rows compared (%d calls, the rest"
                                + " windows), none skipped",
                        downMs, committedWhileDown, caughtUpMs, rows, expected.summaries().size()));
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        } finally {
            store.close();
        }
    }

    private static long storedCalls(DataSource db) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM calls")) {
            r.next();
            return r.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0;
        }
    }
}
