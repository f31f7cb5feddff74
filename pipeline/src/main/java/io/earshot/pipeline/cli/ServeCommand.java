package io.earshot.pipeline.cli;

import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.live.AnalystServices;
import io.earshot.pipeline.live.LiveIngestRuntime;
import io.earshot.pipeline.supervise.StatusBoard;
import io.earshot.pipeline.ops.GracefulStop;
import io.earshot.pipeline.ops.ServeMetrics;
import io.earshot.pipeline.supervise.StatusHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code earshot serve --config FILE}: production live ingest against an external Kafka. The
 * metric job runs separately, on a Flink cluster ({@code earshot job}).
 *
 * <p>SIGTERM (or SIGINT) drains: readiness turns false and new calls get 503 at once, live
 * calls go on for up to {@code ingest.drainSeconds} and are asked to end near its close, every
 * call's {@code CallEnded} is published and the publisher flushed, and the process exits 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Live ingest for production: the AudioHook and Twilio WebSocket server and raw audio from Kafka,",
            "publishing speech, transcript and call events to an external Kafka cluster.",
            "The metric job runs separately (earshot job). See docs/configuration.md for the file."})
final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration file.")
    Path config;

    @Mixin
    ModelOptions model;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EarshotConfig cfg = EarshotConfig.load(config);
        Path modelDir = cfg.ingest().enabled() && cfg.transcription().enabled() && cfg.transcription().model() == null
                ? model.resolve() : null;
        // the supervised consumers log every change of state; GET /health and /ready show them all
        StatusBoard board = new StatusBoard();
        ServeMetrics metrics = new ServeMetrics().bindStatus(board);
        String metricsToken = cfg.ingest().metricsToken();
        // ingest.enabled: false: only the store writer and web (a process beside the ingest servers)
        LiveIngestRuntime runtime = cfg.ingest().enabled()
                ? LiveIngestRuntime.start(cfg, modelDir, Clock.systemUTC(),
                        List.of(new StatusHandler(board), metrics.handler(metricsToken)))
                : null;
        if (runtime != null) {
            board.add(runtime.rawAudio()::status);
            metrics.bindIngest(runtime);
        }
        AnalystServices analysts;
        try {
            analysts = AnalystServices.start(cfg, board, List.of(metrics.handler(metricsToken)));
        } catch (Exception | Error e) {
            if (runtime != null) {
                runtime.close();
            }
            throw e;
        }
        if (analysts.writer() != null) {
            metrics.bindStoreWriter(analysts.writer(), Clock.systemUTC());
        }
        if (analysts.web() != null) {
            metrics.bindDashboard(analysts.web().handler());
        }
        AtomicBoolean closed = new AtomicBoolean();
        Runnable closeAll = () -> {
            if (closed.compareAndSet(false, true)) {
                analysts.close();
                if (runtime != null) {
                    runtime.close();
                }
                metrics.close();
            }
        };
        // SIGTERM and SIGINT drain (below) and exit 0; any other way out still closes what runs
        CountDownLatch stopRequested = new CountDownLatch(1);
        GracefulStop.onSignals(stopRequested::countDown);
        Runtime.getRuntime().addShutdownHook(new Thread(closeAll, "earshot-shutdown"));
        var out = spec.commandLine().getOut();
        if (runtime == null) {
            out.printf("earshot serve: ingest off (ingest.enabled: false); reading Kafka at %s%n",
                    cfg.kafka().bootstrap());
            printAnalysts(out, analysts);
            out.flush();
            stopRequested.await();
            board.startDraining();
            LOG.info("earshot serve: stopping");
            closeAll.run();
            LOG.info("earshot serve: stopped");
            return 0;
        }
        out.printf("earshot serve: publishing to Kafka at %s%n", cfg.kafka().bootstrap());
        if (cfg.audiohook().enabled()) {
            out.printf("  AudioHook  %s (%d API keys)%n", runtime.ingest().audioHookUri(), cfg.audiohook().apiKeys().size());
        }
        if (cfg.twilio().enabled()) {
            out.printf("  Twilio     %s (agent track %s, auth %s)%n", runtime.ingest().twilioUri(), cfg.twilio().agentTrack(),
                    cfg.twilio().auth());
        }
        out.printf("  raw audio  topic earshot.audio-raw%n");
        out.printf("  transcription %s%n", cfg.transcription().enabled()
                ? cfg.transcription().workers() + " recognisers, regions skipped after "
                        + cfg.transcription().maxLagSeconds() + " s of lag" : "off");
        out.printf("  redaction  %s%n", cfg.redaction().enabled() ? cfg.redaction().toConfig().describe()
                : "OFF: transcripts keep card numbers, phone numbers, e-mail addresses and id numbers");
        printAnalysts(out, analysts);
        out.printf("  status    http://%s:%d/health, /ready and /metrics (and on the web port)%n",
                runtime.ingest().audioHookUri().getHost(), runtime.ingest().port());
        out.flush();
        stopRequested.await();
        Duration drain = Duration.ofSeconds(cfg.ingest().drainSeconds());
        board.startDraining();
        LOG.info("earshot serve: stopping; live calls may go on for up to {} s", drain.toSeconds());
        boolean drained = runtime.drain(drain);
        closeAll.run();
        LOG.info("earshot serve: stopped ({})", drained ? "every call had ended" : "the remaining calls were ended");
        return 0;
    }

    private static void printAnalysts(java.io.PrintWriter out, AnalystServices analysts) {
        if (analysts.storeUrl() != null) {
            out.printf("  store     %s (call summaries, timelines, agent windows)%n", analysts.storeUrl());
        }
        if (analysts.webUri() != null) {
            out.printf("  web       %s (floor dashboard) and %sapi/ (query API; tokens: earshot token create)%n",
                    analysts.webUri(), analysts.webUri());
        }
    }
}
