package io.earshot.pipeline.live;

import io.earshot.jobs.calls.KafkaCallMetricsJob;
import io.earshot.jobs.calls.KafkaJobConfig;
import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole live pipeline in one process, the embedded default: a KRaft Kafka broker, the
 * metric job on a local Flink MiniCluster reading and writing it, live ingest (the AudioHook
 * and Twilio server, raw audio from Kafka) publishing to it, and a watcher of the job's
 * output. {@code ./earshot demo} runs it; the end-to-end tests and the load benchmark too.
 */
public final class EmbeddedStack implements AutoCloseable {

    /** The API key the embedded AudioHook server accepts (its secret is made per run). */
    public static final String API_KEY = "earshot-demo";

    /**
     * @param port          ingest server port, 0 for any free one
     * @param transcription whether to run the recognisers
     * @param model         Vosk model folder (when transcribing)
     * @param asrWorkers    recognisers working at once
     * @param maxLag        how long a speech region may wait for recognition before it is skipped
     * @param agents        the roster; empty to accept any agent
 * @param limits        the ingest limits ({@code ingest.limits}); the serve defaults unless a
     *                      caller that replays faster than real time says otherwise
     * @param redaction     what ingest removes from transcripts; null for everything
     */
    public record Options(int port, boolean transcription, Path model, int asrWorkers, Duration maxLag,
                          List<EarshotConfig.Agent> agents, EarshotConfig.Limits limits,
                          EarshotConfig.Redaction redaction) {

        public Options {
            redaction = redaction == null ? EarshotConfig.Redaction.defaults() : redaction;
        }

        public Options(int port, boolean transcription, Path model, int asrWorkers, Duration maxLag,
                List<EarshotConfig.Agent> agents, EarshotConfig.Limits limits) {
            this(port, transcription, model, asrWorkers, maxLag, agents, limits, null);
        }

        public Options withRedaction(EarshotConfig.Redaction rules) {
            return new Options(port, transcription, model, asrWorkers, maxLag, agents, limits, rules);
        }

        public static Options of(Path model) {
            return new Options(0, model != null, model, 2, Duration.ofSeconds(20), List.of(),
                    EarshotConfig.Limits.DEFAULTS);
        }

        public Options withPort(int p) {
            return new Options(p, transcription, model, asrWorkers, maxLag, agents, limits, redaction);
        }

        public Options withTranscription(boolean on, int workers, Duration lag) {
            return new Options(port, on, model, workers, lag, agents, limits, redaction);
        }

        public Options withAgents(List<EarshotConfig.Agent> roster) {
            return new Options(port, transcription, model, asrWorkers, maxLag, roster, limits, redaction);
        }

        public Options withLimits(EarshotConfig.Limits l) {
            return new Options(port, transcription, model, asrWorkers, maxLag, agents, l, redaction);
        }
    }

    private final EmbeddedKafka kafka;
    private final JobClient job;
    private final LiveIngestRuntime ingest;
    private final LiveMetricsWatcher watcher;
    private final String clientSecret;
    private final String twilioAuthToken;

    private EmbeddedStack(EmbeddedKafka kafka, JobClient job, LiveIngestRuntime ingest, LiveMetricsWatcher watcher,
            String clientSecret, String twilioAuthToken) {
        this.kafka = kafka;
        this.job = job;
        this.ingest = ingest;
        this.watcher = watcher;
        this.clientSecret = clientSecret;
        this.twilioAuthToken = twilioAuthToken;
    }

    /** @param lines receives the watcher's line per metric change (may be a no-op) */
    public static EmbeddedStack start(Options options, Consumer<String> lines) throws Exception {
        return start(options, lines, (Integer) null);
    }

    /**
     * As {@link #start(Options, Consumer)}, with Flink's Prometheus reporter on
     * {@code flinkMetricsPort} (null for none) in the local cluster the job runs in.
     */
    public static EmbeddedStack start(Options options, Consumer<String> lines, Integer flinkMetricsPort)
            throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        return start(options, lines, kafka, kafka.clientProperties(), flinkMetricsPort);
    }

    /**
     * As {@link #start(Options, Consumer)} on {@code kafka}, which the stack then owns (and
     * closes): every client of the stack (the job's source and sinks, ingest, the watcher)
     * connects with the broker's {@link EmbeddedKafka#clientProperties()}.
     */
    public static EmbeddedStack start(Options options, Consumer<String> lines, EmbeddedKafka kafka) throws Exception {
        return start(options, lines, kafka, kafka.clientProperties(), null);
    }

    /**
     * As {@link #start(Options, Consumer, EmbeddedKafka)}, every client connecting with
     * {@code clientProperties} instead (as a serve configuration's {@code kafka.properties}
     * would give them, config provider references included).
     */
    public static EmbeddedStack start(Options options, Consumer<String> lines, EmbeddedKafka kafka,
            Map<String, String> clientProperties) throws Exception {
        return start(options, lines, kafka, clientProperties, null);
    }

    /**
     * As {@link #start(Options, Consumer, EmbeddedKafka, Map)}, with Flink's Prometheus reporter
     * on {@code flinkMetricsPort} (null for none).
     */
    public static EmbeddedStack start(Options options, Consumer<String> lines, EmbeddedKafka kafka,
            Map<String, String> clientProperties, Integer flinkMetricsPort) throws Exception {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String clientSecret = Base64.getEncoder().encodeToString(secret);
        // the Twilio path checks X-Twilio-Signature like serve does, with an auth token made per run
        byte[] twilioSecret = new byte[16];
        new SecureRandom().nextBytes(twilioSecret);
        String twilioAuthToken = HexFormat.of().formatHex(twilioSecret);
        JobClient job = null;
        LiveIngestRuntime ingest = null;
        try {
            StreamExecutionEnvironment env = io.earshot.pipeline.ops.FlinkMetrics.environment(flinkMetricsPort);
            KafkaJobConfig defaults = KafkaJobConfig.of(kafka.bootstrapServers(), "earshot-metrics");
            KafkaJobConfig jobConfig = new KafkaJobConfig(defaults.bootstrapServers(), defaults.groupId(),
                    defaults.parallelism(), defaults.runningIntervalMs(), defaults.outOfOrdernessMs(),
                    defaults.idleAdvanceMs(), KafkaJobConfig.StartFrom.EARLIEST, defaults.checkpointIntervalMs())
                    .withKafkaProperties(clientProperties);
            job = KafkaCallMetricsJob.start(env, jobConfig);
            EarshotConfig config = new EarshotConfig(
                    new EarshotConfig.Kafka(kafka.bootstrapServers(), clientProperties),
                    new EarshotConfig.Ingest("127.0.0.1", options.port(), options.limits()),
                    new EarshotConfig.AudioHook(true, Map.of(API_KEY, clientSecret), null, null),
                    new EarshotConfig.Twilio(true, null, null, "signature", twilioAuthToken, null, null),
                    new EarshotConfig.Transcription(options.transcription(),
                            options.model() == null ? null : options.model().toString(), options.asrWorkers(),
                            (int) Math.max(1, options.maxLag().toSeconds())),
                    options.agents(), null, null, null, null, null, null, null, options.redaction());
            ingest = LiveIngestRuntime.start(config, options.model(), Clock.systemUTC());
            LiveMetricsWatcher watcher = new LiveMetricsWatcher(config.kafka(), lines).start();
            return new EmbeddedStack(kafka, job, ingest, watcher, clientSecret, twilioAuthToken);
        } catch (Exception | Error e) {
            if (ingest != null) {
                ingest.close();
            }
            if (job != null) {
                cancel(job);
            }
            kafka.close();
            throw e;
        }
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public LiveIngestRuntime ingest() {
        return ingest;
    }

    public LiveMetricsWatcher watcher() {
        return watcher;
    }

    /** The base64 client secret of {@link #API_KEY} for this run. */
    public String clientSecret() {
        return clientSecret;
    }

    /** The auth token the embedded Twilio path checks {@code X-Twilio-Signature} with, made per run. */
    public String twilioAuthToken() {
        return twilioAuthToken;
    }

    @Override
    public void close() {
        ingest.close();
        watcher.close();
        cancel(job);
        kafka.close();
    }

    private static void cancel(JobClient job) {
        try {
            job.cancel().get();
        } catch (Exception e) {
            // the job is going away with its local cluster either way
        }
    }
}
