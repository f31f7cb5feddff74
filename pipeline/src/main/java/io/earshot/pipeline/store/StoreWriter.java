package io.earshot.pipeline.store;

import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.ConsumerLoop;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.supervise.ComponentStatus;
import io.earshot.pipeline.supervise.Supervisor;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.SpeechActivityChanged;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.TranscriptionStatusReported;
import io.earshot.schemas.UtteranceTranscribed;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the analysts' store from Kafka: one consumer (group {@value #GROUP_ID}) of
 * {@link Topics#CALL_SUMMARIES} (a final summary becomes a {@code calls} row and its
 * {@code interruptions}, {@code backchannels}, {@code response_gaps} and {@code dead_air}
 * rows), {@link Topics#AGENT_METRICS} ({@code agent_windows}), {@link Topics#SPEECH}
 * ({@code SpeechSegmentDetected} to {@code segments}) and {@link Topics#UTTERANCES} (final
 * {@code UtteranceTranscribed} to {@code utterances}), on a thread of its own.
 *
 * <p>Delivery. Each poll's records are written in one database transaction, and the
 * partitions' offsets are committed to Kafka only after that transaction committed: at least
 * once. Every write is a keyed upsert and a call's evidence rows are replaced with its summary
 * ({@link StoreRows}), so a record delivered again (after a crash between the two commits, a
 * rebalance, the metric job's own at-least-once output, or a deliberate replay from offset 0)
 * changes nothing.
 *
 * <p>Bad records. A value that does not decode (not Avro single-object encoded, another
 * record's fingerprint, a corrupt body) or that the database rejects (a constraint or data
 * error) is logged with topic, partition and offset, counted in {@link #skipped()}, and passed
 * over; the records around it are stored. Records the store does not keep
 * ({@code SpeechActivityChanged}, {@code TranscriptionStatusReported}, partial utterances,
 * tombstones) are counted in {@link #ignored()}. A database that cannot be reached is
 * different: nothing of the poll is committed anywhere, the consumer goes back to the poll's
 * first offsets and tries again after a pause, so an outage delays the store but loses
 * nothing.
 *
 * <p>Anything one record provokes while it is decoded or written, an {@link Error} included (a
 * {@link VirtualMachineError} excepted), is that record's: it is rolled back to its savepoint,
 * logged and skipped. Anything else that ends the loop (a poll or an offset commit that fails,
 * a failure to get a connection that is not an {@link SQLException}) ends one attempt of its
 * {@link ConsumerLoop} and of the {@link Supervisor} it runs under (component {@value #COMPONENT}): a new consumer starts after
 * a pause, from the committed offsets, so the poll in hand is written again, harmlessly.
 *
 * <p>Per record isolation costs a savepoint per record, so a poll is first written without
 * them; only a poll in which some record failed is rolled back and written again record by
 * record.
 */
public final class StoreWriter implements AutoCloseable {

    /** The consumer group whose committed offsets say how far the store is. */
    public static final String GROUP_ID = "earshot-store";
    /** The topics the store is filled from. */
    public static final List<String> TOPICS = List.of(
            Topics.CALL_SUMMARIES, Topics.AGENT_METRICS, Topics.SPEECH, Topics.UTTERANCES);

    /** The component's name in the status and in the log. */
    public static final String COMPONENT = "store-writer";

    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    /** First pause after the database could not be reached; doubled up to {@link #MAX_RETRY_PAUSE}. */
    private static final Duration FIRST_RETRY_PAUSE = Duration.ofMillis(500);
    private static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(30);

    private static final AvroSerde<CallSummaryComputed> SUMMARIES = AvroSerde.of(CallSummaryComputed.class);
    private static final AvroSerde<AgentMetricsComputed> WINDOWS = AvroSerde.of(AgentMetricsComputed.class);
    private static final AvroSerde<SpecificRecord> SPEECH =
            AvroSerde.ofAny(SpeechSegmentDetected.class, SpeechActivityChanged.class);
    private static final AvroSerde<SpecificRecord> UTTERANCES =
            AvroSerde.ofAny(UtteranceTranscribed.class, TranscriptionStatusReported.class);

    private final io.earshot.pipeline.config.EarshotConfig.Kafka kafka;
    private final DataSource dataSource;
    private final ConsumerLoop<byte[], byte[]> loop;
    private final Supervisor supervisor;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Object progress = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private long stored;
    private long skipped;
    /** The largest record timestamp (event time) written so far, -1 before the first. */
    private volatile long newestRecordMs = -1;
    private long ignored;
    private Connection connection;
    /** The pause before the next try after the database could not be reached; the loop's thread only. */
    private Duration pause = FIRST_RETRY_PAUSE;

    private StoreWriter(io.earshot.pipeline.config.EarshotConfig.Kafka kafka, DataSource dataSource,
            Supervisor.Backoff backoff) {
        this.kafka = kafka;
        this.dataSource = dataSource;
        this.loop = new ConsumerLoop<>(COMPONENT, this::newConsumer, ConsumerLoop.subscribe(TOPICS), POLL_TIMEOUT,
                new Polls(), ConsumerLoop.Commit.AFTER_EACH_POLL);
        this.supervisor = new Supervisor(COMPONENT, backoff, Clock.systemUTC(), this::run, this::wakeup);
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        return new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID,
                ConsumerConfig.CLIENT_ID_CONFIG, GROUP_ID,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // records of an aborted transaction never reach the store
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Subscribes to {@link #TOPICS} on {@code bootstrapServers} and starts writing into the
     * store behind {@code dataSource} (an already migrated {@link StoreDatabase}), from the
     * group's committed offsets, or from the beginning of each partition the first time.
     */
    public static StoreWriter start(String bootstrapServers, DataSource dataSource) {
        return start(bootstrapServers, dataSource, Supervisor.Backoff.DEFAULT);
    }

    /** As {@link #start(String, DataSource)}, pausing between restarts as {@code backoff} says. */
    public static StoreWriter start(String bootstrapServers, DataSource dataSource, Supervisor.Backoff backoff) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        return start(new io.earshot.pipeline.config.EarshotConfig.Kafka(bootstrapServers, Map.of()), dataSource,
                backoff);
    }

    /** As {@link #start(String, DataSource)} on {@code kafka}, with its client properties (security, tuning). */
    public static StoreWriter start(io.earshot.pipeline.config.EarshotConfig.Kafka kafka, DataSource dataSource) {
        return start(kafka, dataSource, Supervisor.Backoff.DEFAULT);
    }

    /** As {@link #start(io.earshot.pipeline.config.EarshotConfig.Kafka, DataSource)}, pausing between restarts as {@code backoff} says. */
    public static StoreWriter start(io.earshot.pipeline.config.EarshotConfig.Kafka kafka, DataSource dataSource,
            Supervisor.Backoff backoff) {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(dataSource, "dataSource");
        StoreWriter writer = new StoreWriter(kafka, dataSource, backoff);
        writer.supervisor.start();
        return writer;
    }

    /** The writer's state, restarts and last record time. */
    public ComponentStatus status() {
        return supervisor.status();
    }

    /** Records written to the store so far (a record delivered twice counts twice). */
    public long stored() {
        synchronized (progress) {
            return stored;
        }
    }

    /** Records passed over because they did not decode or the database rejected them. */
    /** The event time of the newest record written, in epoch milliseconds; -1 before the first. */
    public long newestRecordTimestamp() {
        return newestRecordMs;
    }

    public long skipped() {
        synchronized (progress) {
            return skipped;
        }
    }

    /** Records of the topics that the store does not keep (activity edges, status reports, partial utterances, tombstones). */
    public long ignored() {
        synchronized (progress) {
            return ignored;
        }
    }

    /**
     * Waits until at least {@code records} records have been dealt with (stored, skipped or
     * ignored; their transaction and offsets committed), or the timeout passes.
     *
     * @return whether that many were dealt with
     * @throws IllegalStateException when the writer failed for good ({@link ComponentStatus.State#FAILED})
     */
    public boolean awaitProcessed(long records, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (stored + skipped + ignored < records) {
                if (supervisor.status().state() == ComponentStatus.State.FAILED) {
                    throw new IllegalStateException("the store writer failed: " + supervisor.status().lastError());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // woken by progress; a failure is seen within a second
                TimeUnit.NANOSECONDS.timedWait(progress, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
            return true;
        }
    }

    /** Stops polling, finishes the poll in hand, and closes the consumer and the database connection. */
    @Override
    public void close() throws InterruptedException {
        if (closed.getAndSet(true)) {
            return;
        }
        supervisor.close();
    }

    private void wakeup() {
        loop.stop();
        stopping.countDown();
    }

    /** One attempt: a new consumer from the committed offsets, writing until closed or something fails. */
    private void run(Supervisor.Heartbeat heartbeat) throws Exception {
        pause = FIRST_RETRY_PAUSE;
        try {
            loop.run(heartbeat::recordHandled);
        } finally {
            closeConnection();
        }
    }

    /**
     * Each poll in one transaction; a poll the database could not take is delivered again after a
     * pause; progress is counted once the poll's offsets are committed.
     */
    private final class Polls implements ConsumerLoop.PollHandler<byte[], byte[]> {
        private Counts counts;

        @Override
        public ConsumerLoop.Outcome handle(ConsumerRecords<byte[], byte[]> records, Runnable handled)
                throws InterruptedException {
            try {
                counts = write(records);
            } catch (SQLException e) {
                LOG.warn("store: the database is not reachable ({}); retrying {} record(s) in {} ms",
                        e.getMessage(), records.count(), pause.toMillis());
                closeConnection();
                if (!stopping.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    pause = pause.multipliedBy(2).compareTo(MAX_RETRY_PAUSE) > 0 ? MAX_RETRY_PAUSE
                            : pause.multipliedBy(2);
                }
                return ConsumerLoop.Outcome.RETRY;
            }
            pause = FIRST_RETRY_PAUSE;
            return ConsumerLoop.Outcome.HANDLED;
        }

        @Override
        public void committed(ConsumerRecords<byte[], byte[]> records, Runnable handled) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                newestRecordMs = Math.max(newestRecordMs, r.timestamp());
            }
            synchronized (progress) {
                stored += counts.stored;
                skipped += counts.skipped;
                ignored += counts.ignored;
                progress.notifyAll();
            }
            handled.run();
        }
    }

    /**
     * Writes a poll in one transaction and commits it.
     *
     * @throws SQLException when the database cannot be used at all (nothing of the poll is committed)
     */
    private Counts write(ConsumerRecords<byte[], byte[]> records) throws SQLException {
        List<Decoded> decoded = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                decoded.add(new Decoded(r, decode(r)));
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                // AvroSerde's SerializationException, or anything else a corrupt value provokes
                LOG.warn("store: skipped {}: {}", where(r), e.getMessage());
                decoded.add(new Decoded(r, null, true));
            }
        }
        if (connection == null) {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
        }
        try {
            Counts counts;
            try (StoreRows rows = new StoreRows(connection)) {
                counts = writeAll(decoded, rows);
            } catch (RecordFailed e) {
                connection.rollback();
                try (StoreRows rows = new StoreRows(connection)) {
                    counts = writeAllIsolated(decoded, rows);
                }
            }
            connection.commit();
            return counts;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
    }

    /**
     * Writes every record of the poll without savepoints.
     *
     * @throws RecordFailed when a record fails: the transaction is spoilt, write the poll again isolated
     */
    private Counts writeAll(List<Decoded> records, StoreRows rows) throws SQLException, RecordFailed {
        Counts counts = new Counts();
        for (Decoded d : records) {
            try {
                counts.add(writeOne(d, rows));
            } catch (SQLException e) {
                if (isUnavailable(e)) {
                    throw e;
                }
                throw new RecordFailed();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                throw new RecordFailed();
            }
        }
        return counts;
    }

    /** Writes every record of the poll, each behind a savepoint: a record that fails is rolled back alone and skipped. */
    private Counts writeAllIsolated(List<Decoded> records, StoreRows rows) throws SQLException {
        Counts counts = new Counts();
        for (Decoded d : records) {
            Savepoint savepoint = connection.setSavepoint();
            try {
                counts.add(writeOne(d, rows));
                connection.releaseSavepoint(savepoint);
            } catch (SQLException e) {
                if (isUnavailable(e)) {
                    throw e;
                }
                connection.rollback(savepoint);
                LOG.warn("store: skipped {}: the database rejected it: {}", where(d.record), e.getMessage());
                counts.skipped++;
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                // a record that decoded but cannot be a row (a running value, a required field missing)
                connection.rollback(savepoint);
                LOG.warn("store: skipped {}: {}", where(d.record), e.toString());
                counts.skipped++;
            }
        }
        return counts;
    }

    private static Outcome writeOne(Decoded d, StoreRows rows) throws SQLException {
        if (d.undecodable) {
            return Outcome.SKIPPED;
        }
        return write(d.value, rows, d.record) ? Outcome.STORED : Outcome.IGNORED;
    }

    /** @return whether the record became rows; false for records the store does not keep */
    private static boolean write(SpecificRecord value, StoreRows rows, ConsumerRecord<byte[], byte[]> r)
            throws SQLException {
        if (value instanceof CallSummaryComputed s) {
            if (!s.getIsFinal()) {
                throw new IllegalArgumentException("a running value on " + r.topic() + ", where only final summaries belong");
            }
            rows.writeCall(s);
            return true;
        } else if (value instanceof AgentMetricsComputed w) {
            rows.writeWindow(w);
            return true;
        } else if (value instanceof SpeechSegmentDetected s) {
            rows.writeSegment(s);
            return true;
        } else if (value instanceof UtteranceTranscribed u) {
            if (!u.getIsFinal()) {
                return false;
            }
            rows.writeUtterance(u);
            return true;
        }
        return false;
    }

    /** The record's value, or null for a tombstone or a topic the writer does not read. */
    private static SpecificRecord decode(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        return switch (r.topic()) {
            case Topics.CALL_SUMMARIES -> SUMMARIES.deserialize(r.topic(), r.value());
            case Topics.AGENT_METRICS -> WINDOWS.deserialize(r.topic(), r.value());
            case Topics.SPEECH -> SPEECH.deserialize(r.topic(), r.value());
            case Topics.UTTERANCES -> UTTERANCES.deserialize(r.topic(), r.value());
            default -> null;
        };
    }

    /**
     * Whether the failure is the database's rather than the record's: the connection is gone
     * (SQLSTATE class 08), the server is shutting down or out of resources (57, 53), or the
     * transaction could not go on (40); or no state at all (an I/O failure of the driver).
     */
    static boolean isUnavailable(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57") || state.startsWith("53")
                || state.startsWith("40");
    }

    private void closeConnection() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("store: closing a broken connection failed", e);
        }
        connection = null;
    }

    private static String where(ConsumerRecord<?, ?> r) {
        return r.topic() + " partition " + r.partition() + " offset " + r.offset();
    }

    /** A polled record and its value (null for a tombstone), or the mark that it did not decode. */
    private record Decoded(ConsumerRecord<byte[], byte[]> record, SpecificRecord value, boolean undecodable) {
        Decoded(ConsumerRecord<byte[], byte[]> record, SpecificRecord value) {
            this(record, value, false);
        }
    }

    private enum Outcome { STORED, SKIPPED, IGNORED }

    private static final class Counts {
        long stored;
        long skipped;
        long ignored;

        void add(Outcome o) {
            switch (o) {
                case STORED -> stored++;
                case SKIPPED -> skipped++;
                case IGNORED -> ignored++;
            }
        }
    }

    /** A record failed in a poll written without savepoints: write the poll again, record by record. */
    private static final class RecordFailed extends Exception {
        RecordFailed() {
            super(null, null, false, false);
        }
    }
}
