package io.earshot.pipeline.cli;

import io.earshot.analysis.config.JobConfig;
import io.earshot.jobs.calls.KafkaCallMetricsJob;
import io.earshot.jobs.calls.KafkaJobConfig;
import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.config.MetricSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code earshot job}: the Kafka call-metrics job ({@link KafkaCallMetricsJob}). Without
 * {@code --flink} it runs in this process on a local Flink cluster until interrupted (Ctrl-C
 * cancels it); with {@code --flink HOST:PORT} it submits the job jar to that cluster's REST
 * endpoint and returns once the job is accepted.
 */
@Command(name = "job", mixinStandardHelpOptions = true,
        description = "Run the Kafka call-metrics job: in process on a local Flink cluster until interrupted,"
                + " or submitted to a Flink cluster with --flink.")
final class JobCommand implements Callable<Integer> {

    /** The launcher's system property naming the job jar built by the jobs module. */
    static final String JOB_JAR_PROPERTY = "earshot.jobJar";

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: kafka.bootstrap of --config).")
    String bootstrap;

    @Option(names = "--kafka-properties", paramLabel = "FILE",
            description = "Kafka client properties of the job's source and sinks (Java properties: security, tuning),"
                    + " over those of --config; a value ${NAME} is read from the environment here, ${env:NAME} or"
                    + " ${file:PATH:KEY} by each Kafka client on the cluster (docs/kafka.md).")
    Path kafkaProperties;

    @Option(names = "--group", defaultValue = "earshot-metrics",
            description = "Consumer group of the job's Kafka source (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--parallelism", defaultValue = "" + KafkaJobConfig.DEFAULT_PARALLELISM,
            description = "The job's parallelism; match the input topics' partitions (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--from", defaultValue = "committed", paramLabel = "earliest|latest|committed",
            description = "Where to start reading without a checkpoint (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--flink", paramLabel = "HOST:PORT",
            description = "Submit to the Flink cluster whose REST endpoint this is, instead of running in process.")
    String flink;

    @Option(names = "--job-jar", paramLabel = "FILE",
            description = "The job jar to submit with --flink (default: the one the build made, jobs/target/earshot-jobs-*-job.jar).")
    Path jobJar;

    @Option(names = "--idle-advance-ms", defaultValue = "" + KafkaJobConfig.DEFAULT_IDLE_ADVANCE_MS, paramLabel = "MS",
            description = "After this long without a record, a partition's event time follows the clock (default:"
                    + " ${DEFAULT-VALUE}). Raise it when the input is recorded calls published late (a backfill):"
                    + " their events trail the clock, and a partition quiet for longer than this would move event"
                    + " time past events still on their way.")
    long idleAdvanceMs;

    @Option(names = "--out-of-orderness-ms", defaultValue = "" + KafkaJobConfig.DEFAULT_OUT_OF_ORDERNESS_MS,
            paramLabel = "MS",
            description = "How far a partition's watermark trails the progress of its calls (default:"
                    + " ${DEFAULT-VALUE}): the jitter of one call's delay from audio to Kafka. An event later than this"
                    + " still counts, from its call's next running value; raise it where ingest reaches Kafka over a"
                    + " jittery network and running values must match a replay's.")
    long outOfOrdernessMs;

    @Option(names = "--checkpoint-dir", paramLabel = "URI",
            description = "Where checkpoints are kept and retained on cancellation (file:///..., s3://..., hdfs://...;"
                    + " an absolute path is a file URI). Default: with --flink the cluster's execution.checkpointing.dir"
                    + " (without one, the JobManager's memory: set one); in process ~/.earshot/checkpoints.")
    String checkpointDir;

    @Option(names = "--checkpoint-interval-ms", defaultValue = "" + KafkaJobConfig.DEFAULT_CHECKPOINT_INTERVAL_MS,
            paramLabel = "MS", description = "Checkpoint this often (default: ${DEFAULT-VALUE}). The final summaries,"
                    + " agent windows and dead letters are exactly once, visible to readers when a checkpoint"
                    + " completes: up to this much later than the running values.")
    long checkpointIntervalMs;

    @Option(names = "--state-backend", defaultValue = "hashmap", paramLabel = "hashmap|rocksdb",
            description = "Where the job's state lives between checkpoints (default: ${DEFAULT-VALUE};"
                    + " rocksdb needs Flink's RocksDB backend on the cluster).")
    String stateBackend;

    @Option(names = "--transaction-timeout-ms", defaultValue = "" + KafkaJobConfig.DEFAULT_TRANSACTION_TIMEOUT_MS,
            paramLabel = "MS", description = "Kafka transaction timeout of the exactly-once outputs (default:"
                    + " ${DEFAULT-VALUE}); must stay below the brokers' transaction.max.timeout.ms (15 min by default).")
    long transactionTimeoutMs;

    @Option(names = "--resume-from", paramLabel = "PATH",
            description = "Start from this retained checkpoint or savepoint (its chk-N directory) instead of"
                    + " the group's offsets.")
    String resumeFrom;

    @Option(names = "--assignment-wait-ms", defaultValue = "" + JobConfig.DEFAULT_ASSIGNMENT_WAIT_MS,
            paramLabel = "MS",
            description = "How long after its start (event time) a call on ingest's default agent waits for its"
                    + " assignment on earshot.call-assignments; its agent, team and queue windows are held back"
                    + " until then (default: ${DEFAULT-VALUE}). See docs/integrations/genesys.md.")
    long assignmentWaitMs;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Without --flink: serve the local cluster's metrics, the job's own included, in the"
                    + " Prometheus format on this port (Flink's Prometheus reporter; 9249 is usual). Default: off.")
    Integer metricsPort;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Metric thresholds and listening analysis (metrics: and listening: sections, or a serve"
                    + " configuration file, whose kafka: bootstrap and properties the job uses too); default: the"
                    + " documented defaults.")
    Path settings;

    /** The job's configuration from the options; the other timing settings keep their live defaults. */
    KafkaJobConfig config() {
        String json;
        try {
            json = settings == null ? "{}" : MetricSettings.read(settings).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(settings + ": " + e.getMessage(), e);
        }
        EarshotConfig.Kafka kafka = EarshotConfig.Kafka.fromOptions(bootstrap, kafkaSection(), kafkaProperties,
                System.getenv());
        return KafkaJobConfig.parse("--bootstrap", kafka.bootstrap(), "--group", group,
                "--parallelism", String.valueOf(parallelism), "--from", from, "--idle-advance-ms",
                String.valueOf(idleAdvanceMs), "--out-of-orderness-ms", String.valueOf(outOfOrdernessMs),
                "--settings", json, "--checkpoint-interval-ms",
                String.valueOf(checkpointIntervalMs), "--state-backend", stateBackend, "--transaction-timeout-ms",
                String.valueOf(transactionTimeoutMs), "--checkpoint-dir", checkpointDir != null ? checkpointDir
                        : flink != null ? "" : Path.of(System.getProperty("user.home"), ".earshot", "checkpoints")
                                .toUri().toString(), "--assignment-wait-ms", String.valueOf(assignmentWaitMs))
                .withKafkaProperties(kafka.properties());
    }

    /** What the environment itself must know before the job is built: the checkpoint to resume from. */
    Configuration environment() {
        Configuration conf = new Configuration();
        if (resumeFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, resumeFrom);
        }
        return conf;
    }

    /** The {@code kafka:} section of {@code --config}, when it has one. */
    private EarshotConfig.Kafka kafkaSection() {
        if (settings == null) {
            return null;
        }
        try {
            return EarshotConfig.Kafka.load(settings, System.getenv());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(settings + ": " + e.getMessage(), e);
        }
    }

    /** HOST and PORT of {@code --flink}. */
    static HostPort hostPort(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("--flink must be HOST:PORT, was " + value);
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("--flink port must be 1-65535, was " + port);
            }
            return new HostPort(value.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--flink must be HOST:PORT, was " + value, e);
        }
    }

    record HostPort(String host, int port) {
    }

    @Override
    public Integer call() throws Exception {
        KafkaJobConfig config = config();
        PrintWriter err = spec.commandLine().getErr();
        if (flink != null && metricsPort != null) {
            throw new IllegalArgumentException("--metrics-port is for the job in this process: a Flink cluster's"
                    + " reporter is set in its own configuration (docs/operations.md)");
        }
        if (flink != null) {
            HostPort at = hostPort(flink);
            String built = System.getProperty(JOB_JAR_PROPERTY, "");
            Path jar = jobJar != null ? jobJar : built.isBlank() ? null : Path.of(built);
            if (jar == null || !Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("no job jar " + (jar == null ? "given" : "at " + jar)
                        + ": build it with ./mvnw -pl jobs -am package, or give --job-jar FILE");
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(at.host(), at.port(),
                    environment(), jar.toString());
            if (config.checkpointDir() == null) {
                err.println("earshot: no --checkpoint-dir: checkpoints go where the cluster's"
                        + " execution.checkpointing.dir says (without one, into the JobManager's memory only)");
            }
            JobClient job = KafkaCallMetricsJob.start(env, config);
            err.println("earshot: submitted " + KafkaCallMetricsJob.JOB_NAME + " to " + flink + " as job "
                    + job.getJobID());
            err.flush();
            return 0;
        }
        JobClient job = KafkaCallMetricsJob.start(
                io.earshot.pipeline.ops.FlinkMetrics.environment(metricsPort, environment()), config);
        Thread cancel = new Thread(() -> {
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the JVM is going down and the local cluster with it; say why the cancel did not finish
                System.err.println("earshot: cancelling the job: " + e);
            }
        }, "earshot-job-cancel");
        Runtime.getRuntime().addShutdownHook(cancel);
        err.println("earshot: " + KafkaCallMetricsJob.JOB_NAME + " running in process as job " + job.getJobID()
                + " against " + config.bootstrapServers() + ", checkpoints in " + config.checkpointDir() + " (Ctrl-C to stop)");
        err.flush();
        job.getJobExecutionResult().get();
        return 0;
    }
}
