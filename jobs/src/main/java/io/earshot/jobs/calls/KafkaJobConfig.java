package io.earshot.jobs.calls;

import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.config.JobSettings;
import io.earshot.contracts.KafkaClientProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How {@link KafkaCallMetricsJob} runs: where Kafka is, and the live timing settings. Built
 * once from the command line ({@link #parse}) and passed down.
 *
 * <p>The live defaults aim at running values on {@code earshot.call-live} as soon as the
 * events they include are known: a spurt or utterance that becomes known at event time t is in
 * the running value at the next mark, the next multiple of {@code runningIntervalMs} (at most
 * 50 ms later), which comes out once the watermark passes it. A partition's watermark is the
 * least progress of the calls it carries, less {@code outOfOrdernessMs} (50 ms) for the
 * jitter of a call's own delay; a call's progress is its newest event time and, once the call
 * has sent nothing for {@code idleAdvanceMs} (50 ms), follows the clock from its last record
 * (see {@code LiveWatermarks}). Watermarks are emitted every {@link #WATERMARK_INTERVAL_MS},
 * and operators pass records on within {@link #BUFFER_TIMEOUT_MS}. So the running value comes
 * 0.1 to 0.25 s after the event reaches the job, plus Kafka's transit both ways (measured at
 * 64 calls: 188 / 264 ms p50 / p99 from the spurt readable on Kafka to the value read). The event
 * itself reaches Kafka once ingest has decided it (a spurt 0.6 to 0.9 s after its end: the
 * 250 ms of silence that ends it and 300 to 600 ms of the detector's look-ahead), and it is
 * stamped with that moment, not with its end (docs/kafka.md), so a call's event time trails the
 * clock by the transit only and no call's watermark waits for another call's slower decision.
 * An event that reaches the job more than the out-of-orderness behind its call's previous one
 * is behind the watermark: it counts from the call's next running value, which then comes at
 * once, and final summaries are the same either way.
 * The final summary comes {@link JobConfig#finalGraceMs()} (5 s) of event time after the call's
 * end, for the last utterances.
 *
 * @param bootstrapServers     Kafka's {@code bootstrap.servers}
 * @param groupId              consumer group of the source (offsets are committed on checkpoints)
 * @param parallelism          the job's parallelism; match the input topics' partition count
 * @param runningIntervalMs    grid of the running values (see {@link JobConfig#runningIntervalMs()})
 * @param outOfOrdernessMs     how far behind the newest event of a partition its watermark trails
 * @param idleAdvanceMs        after this long without a record, a partition's watermark advances
 *                             with processing time (and an empty partition is marked idle)
 * @param startFrom            where the source starts reading when it has no checkpoint
 * @param checkpointIntervalMs checkpoints (source offsets, sink transactions) this often; the exactly-once
 *                             outputs become visible to {@code read_committed} readers when a checkpoint completes
 * @param checkpointDir        where checkpoints are kept (a Flink file system URI, {@code file:///...},
 *                             {@code s3://...}), retained when the job is cancelled so it can be resumed;
 *                             null: the cluster's {@code execution.checkpointing.dir}, and without one the
 *                             JobManager's memory (lost with it)
 * @param stateBackend         where the running state lives between checkpoints
 * @param transactionTimeoutMs the sinks' Kafka {@code transaction.timeout.ms}: must stay below the brokers'
 *                             {@code transaction.max.timeout.ms} (15 min by default) and above the time from a
 *                             checkpoint's start to its commit after a recovery, or the broker aborts a
 *                             transaction the job still means to commit
 * @param kafkaProperties      further client properties of the source and sinks (security, tuning;
 *                             {@code --kafka-properties FILE}), see {@code KafkaClientProperties}
 * @param assignmentWaitMs     how long a call awaiting its agent waits for its assignment on
 *                             {@code earshot.call-assignments} ({@link JobConfig#assignmentWaitMs()})
 */
public record KafkaJobConfig(String bootstrapServers, String groupId, int parallelism, long runningIntervalMs,
        long outOfOrdernessMs, long idleAdvanceMs, StartFrom startFrom, long checkpointIntervalMs, String settings,
        String checkpointDir, StateBackend stateBackend, long transactionTimeoutMs,
        java.util.Map<String, String> kafkaProperties, long assignmentWaitMs)
        implements java.io.Serializable {

    /**
     * Where the job's keyed state lives while it runs. Both write full or incremental snapshots
     * to the checkpoint directory; neither loses anything on failure.
     */
    public enum StateBackend {
        /**
         * On the TaskManagers' heaps: the fastest, and the job's state is small (per active call
         * its open speech and pending events, per agent, team and queue the live windows'
         * accumulators: megabytes for thousands of agents). The default.
         */
        HASHMAP,
        /**
         * In RocksDB on the TaskManagers' local disks, with incremental checkpoints: for state
         * larger than the heap. Needs Flink's RocksDB state backend on the cluster (Flink's
         * distribution has it; the in-process job does not).
         */
        ROCKSDB
    }

    /** Where to start reading the input topics. */
    public enum StartFrom {
        /** From the beginning of every partition. */
        EARLIEST,
        /** Only what arrives from now on. */
        LATEST,
        /** From the group's committed offsets; from the beginning where it has none. */
        COMMITTED
    }

    public static final int DEFAULT_PARALLELISM = 2;
    /**
     * A twentieth of a second: a running value waits for the next mark after the events it adds,
     * so the marks' spacing is latency on the floor. A mark only comes when the call has something
     * new, so finer marks cost a running value per new event, not per interval.
     */
    public static final long DEFAULT_RUNNING_INTERVAL_MS = 50;
    /**
     * A twentieth of a second: the watermark follows each call's own events (see
     * {@code LiveWatermarks}), which are in order in their partition and stamped when ingest knew
     * them, so this only covers the jitter of one call's delay from ingest to the job (thread
     * scheduling, batching). An event
     * later than this is not lost: it counts from the call's next running value, and the final
     * summary waits {@link JobConfig#finalGraceMs()} anyway.
     */
    public static final long DEFAULT_OUT_OF_ORDERNESS_MS = 50;
    /**
     * A twentieth of a second (one watermark interval): how long a call may send nothing before
     * its event time follows the clock. A live call's records are stamped when ingest knew them,
     * so its event time trails the clock by the transit only, and between its speech events its
     * audio keeps flowing: waiting longer only holds its partition's watermark back, by as much
     * as the wait, since among a partition's calls one has nearly always just sent something.
     * Whether a call's next event is late depends on the out-of-orderness, not on this. A
     * backfill, whose reading can pause for longer than its events are apart, needs more
     * (docs/kafka.md).
     */
    public static final long DEFAULT_IDLE_ADVANCE_MS = 50;
    /**
     * How often the source emits watermarks (Flink's {@code pipeline.auto-watermark-interval},
     * 200 ms by default): a running value waits for the first watermark past its mark.
     */
    public static final long WATERMARK_INTERVAL_MS = 50;
    /**
     * How long an operator may hold a partly filled network buffer before sending it on
     * (Flink's {@code execution.buffer-timeout.interval}, 100 ms by default): the watermark that
     * fires a running value and the value itself each cross such a buffer, and live traffic
     * never fills one. Ten milliseconds costs a little CPU in flushes, not throughput: a full
     * buffer still goes at once.
     */
    public static final long BUFFER_TIMEOUT_MS = 10;
    public static final StartFrom DEFAULT_START_FROM = StartFrom.COMMITTED;
    /**
     * Two seconds: the final summaries, agent windows and dead letters are written in Kafka
     * transactions committed when a checkpoint completes, so a reader sees them up to this much
     * (plus the checkpoint's own duration, well under a second here) after the job made them.
     * The floor's running values ({@code earshot.call-live}) are not held back.
     */
    public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 2_000;
    public static final StateBackend DEFAULT_STATE_BACKEND = StateBackend.HASHMAP;
    /** Ten minutes: below the brokers' default {@code transaction.max.timeout.ms} (15 min). */
    public static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 600_000;
    /**
     * A checkpoint not complete within two minutes is given up (the job goes on, the next one
     * retries). The transaction timeout must exceed it.
     */
    public static final long CHECKPOINT_TIMEOUT_MS = 120_000;

    public static final String USAGE = "usage: KafkaCallMetricsJob --bootstrap HOST:PORT --group ID"
            + " [--parallelism N (" + DEFAULT_PARALLELISM + ")]"
            + " [--running-interval-ms MS (" + DEFAULT_RUNNING_INTERVAL_MS + ")]"
            + " [--out-of-orderness-ms MS (" + DEFAULT_OUT_OF_ORDERNESS_MS + ")]"
            + " [--idle-advance-ms MS (" + DEFAULT_IDLE_ADVANCE_MS + ")]"
            + " [--from earliest|latest|committed (committed)]"
            + " [--checkpoint-interval-ms MS (" + DEFAULT_CHECKPOINT_INTERVAL_MS + ")]"
            + " [--checkpoint-dir URI (the cluster's execution.checkpointing.dir)]"
            + " [--state-backend hashmap|rocksdb (hashmap)]"
            + " [--transaction-timeout-ms MS (" + DEFAULT_TRANSACTION_TIMEOUT_MS + ")]"
            + " [--settings JSON (metric thresholds and listening analysis, docs/configuration.md)]"
            + " [--kafka-properties FILE (Kafka client properties: security, tuning; docs/kafka.md)]"
            + " [--assignment-wait-ms MS (" + JobConfig.DEFAULT_ASSIGNMENT_WAIT_MS + ")]";

    public KafkaJobConfig {
        require(bootstrapServers != null && !bootstrapServers.isBlank(), "--bootstrap is required");
        require(groupId != null && !groupId.isBlank(), "--group is required");
        require(parallelism >= 1, "--parallelism must be at least 1, was " + parallelism);
        require(runningIntervalMs >= 1, "--running-interval-ms must be positive, was " + runningIntervalMs);
        require(outOfOrdernessMs >= 0, "--out-of-orderness-ms must not be negative, was " + outOfOrdernessMs);
        require(idleAdvanceMs >= 1, "--idle-advance-ms must be positive, was " + idleAdvanceMs);
        require(startFrom != null, "--from is required");
        require(checkpointIntervalMs >= 10, "--checkpoint-interval-ms must be at least 10, was " + checkpointIntervalMs);
        require(assignmentWaitMs >= 0, "--assignment-wait-ms must not be negative, was " + assignmentWaitMs);
        settings = settings == null || settings.isBlank() ? "{}" : settings;
        checkpointDir = checkpointDir == null || checkpointDir.isBlank() ? null : checkpointUri(checkpointDir);
        require(stateBackend != null, "--state-backend is required");
        require(transactionTimeoutMs > CHECKPOINT_TIMEOUT_MS, "--transaction-timeout-ms must exceed the checkpoint"
                + " timeout (" + CHECKPOINT_TIMEOUT_MS + " ms), was " + transactionTimeoutMs);
        JobSettings.apply(JobConfig.DEFAULTS, settings); // fails here, naming the setting, not in the running job
        kafkaProperties = KafkaClientProperties.validate("--kafka-properties",
                kafkaProperties == null ? java.util.Map.of() : kafkaProperties);
    }

    /** A configuration with the default checkpoint storage, state backend, transaction timeout and assignment wait, without further Kafka client properties. */
    public KafkaJobConfig(String bootstrapServers, String groupId, int parallelism, long runningIntervalMs,
            long outOfOrdernessMs, long idleAdvanceMs, StartFrom startFrom, long checkpointIntervalMs,
            String settings) {
        this(bootstrapServers, groupId, parallelism, runningIntervalMs, outOfOrdernessMs, idleAdvanceMs, startFrom,
                checkpointIntervalMs, settings, null, DEFAULT_STATE_BACKEND, DEFAULT_TRANSACTION_TIMEOUT_MS);
    }

    /** As the canonical constructor, without further Kafka client properties and with the default assignment wait. */
    public KafkaJobConfig(String bootstrapServers, String groupId, int parallelism, long runningIntervalMs,
            long outOfOrdernessMs, long idleAdvanceMs, StartFrom startFrom, long checkpointIntervalMs,
            String settings, String checkpointDir, StateBackend stateBackend, long transactionTimeoutMs) {
        this(bootstrapServers, groupId, parallelism, runningIntervalMs, outOfOrdernessMs, idleAdvanceMs, startFrom,
                checkpointIntervalMs, settings, checkpointDir, stateBackend, transactionTimeoutMs, java.util.Map.of(),
                JobConfig.DEFAULT_ASSIGNMENT_WAIT_MS);
    }

    /** This configuration with {@code properties} as its Kafka client properties. */
    public KafkaJobConfig withKafkaProperties(java.util.Map<String, String> properties) {
        return new KafkaJobConfig(bootstrapServers, groupId, parallelism, runningIntervalMs, outOfOrdernessMs,
                idleAdvanceMs, startFrom, checkpointIntervalMs, settings, checkpointDir, stateBackend,
                transactionTimeoutMs, properties, assignmentWaitMs);
    }

    /** A configuration with the default metric and listening settings. */
    public KafkaJobConfig(String bootstrapServers, String groupId, int parallelism, long runningIntervalMs,
            long outOfOrdernessMs, long idleAdvanceMs, StartFrom startFrom, long checkpointIntervalMs) {
        this(bootstrapServers, groupId, parallelism, runningIntervalMs, outOfOrdernessMs, idleAdvanceMs, startFrom,
                checkpointIntervalMs, "{}");
    }

    /** The live defaults for everything but where Kafka is. */
    public static KafkaJobConfig of(String bootstrapServers, String groupId) {
        return new KafkaJobConfig(bootstrapServers, groupId, DEFAULT_PARALLELISM, DEFAULT_RUNNING_INTERVAL_MS,
                DEFAULT_OUT_OF_ORDERNESS_MS, DEFAULT_IDLE_ADVANCE_MS, DEFAULT_START_FROM,
                DEFAULT_CHECKPOINT_INTERVAL_MS);
    }

    /**
     * Parses {@code --name value} pairs (or {@code --name=value}).
     *
     * @throws IllegalArgumentException naming the problem, with {@link #USAGE}
     */
    public static KafkaJobConfig parse(String... args) {
        String bootstrap = null;
        String group = null;
        int parallelism = DEFAULT_PARALLELISM;
        long running = DEFAULT_RUNNING_INTERVAL_MS;
        long outOfOrderness = DEFAULT_OUT_OF_ORDERNESS_MS;
        long idle = DEFAULT_IDLE_ADVANCE_MS;
        StartFrom from = DEFAULT_START_FROM;
        long checkpoint = DEFAULT_CHECKPOINT_INTERVAL_MS;
        String settings = "{}";
        String checkpointDir = null;
        StateBackend backend = DEFAULT_STATE_BACKEND;
        long transactionTimeout = DEFAULT_TRANSACTION_TIMEOUT_MS;
        java.util.Map<String, String> kafkaProperties = java.util.Map.of();
        long assignmentWait = JobConfig.DEFAULT_ASSIGNMENT_WAIT_MS;
        List<String> list = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                list.add(arg.substring(0, eq));
                list.add(arg.substring(eq + 1));
            } else {
                list.add(arg);
            }
        }
        try {
            for (int i = 0; i < list.size(); i += 2) {
                String name = list.get(i);
                if (i + 1 >= list.size()) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = list.get(i + 1);
                switch (name) {
                    case "--bootstrap" -> bootstrap = value;
                    case "--group" -> group = value;
                    case "--parallelism" -> parallelism = Integer.parseInt(value);
                    case "--running-interval-ms" -> running = Long.parseLong(value);
                    case "--out-of-orderness-ms" -> outOfOrderness = Long.parseLong(value);
                    case "--idle-advance-ms" -> idle = Long.parseLong(value);
                    case "--from" -> from = startFrom(value);
                    case "--checkpoint-interval-ms" -> checkpoint = Long.parseLong(value);
                    case "--settings" -> settings = value;
                    case "--checkpoint-dir" -> checkpointDir = value;
                    case "--state-backend" -> backend = stateBackend(value);
                    case "--transaction-timeout-ms" -> transactionTimeout = Long.parseLong(value);
                    case "--kafka-properties" -> kafkaProperties = KafkaClientProperties.load(
                            java.nio.file.Path.of(value), System.getenv());
                    case "--assignment-wait-ms" -> assignmentWait = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            return new KafkaJobConfig(bootstrap, group, parallelism, running, outOfOrderness, idle, from, checkpoint,
                    settings, checkpointDir, backend, transactionTimeout, kafkaProperties, assignmentWait);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + e.getMessage() + "\n" + USAGE, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + USAGE, e);
        }
    }

    private static StartFrom startFrom(String value) {
        try {
            return StartFrom.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--from must be earliest, latest or committed, was " + value, e);
        }
    }

    private static StateBackend stateBackend(String value) {
        try {
            return StateBackend.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--state-backend must be hashmap or rocksdb, was " + value, e);
        }
    }

    /**
     * The checkpoint directory as a URI: one with a scheme as given, an absolute path as a
     * {@code file:} URI (a relative one would mean a different place on every machine).
     */
    private static String checkpointUri(String value) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("--checkpoint-dir must be a URI or an absolute path, was " + value, e);
        }
        if (uri.getScheme() != null) {
            return value;
        }
        java.nio.file.Path path = java.nio.file.Path.of(value);
        require(path.isAbsolute(), "--checkpoint-dir must be a URI or an absolute path, was " + value);
        return path.toUri().toString();
    }

    /**
     * The metric job's settings: its defaults with this config's running interval,
     * out-of-orderness and assignment wait, and its metric and listening settings.
     */
    public JobConfig jobConfig() {
        JobConfig d = JobSettings.apply(JobConfig.DEFAULTS, settings);
        return new JobConfig(d.metrics(), outOfOrdernessMs, d.finalGraceMs(), runningIntervalMs,
                d.inactivityTimeoutMs(), d.windows(), d.listening(), assignmentWaitMs);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
