package io.earshot.pipeline.cli;

import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.live.AnalystServices;
import io.earshot.pipeline.live.LiveIngestRuntime;
import io.earshot.pipeline.supervise.StatusBoard;
import java.nio.file.Path;
import java.time.Clock;
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
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Live ingest for production: the AudioHook and Twilio WebSocket server and raw audio from Kafka,",
            "publishing speech, transcript and call events to an external Kafka cluster.",
            "The metric job runs separately (earshot job). See docs/configuration.md for the file."})
final class ServeCommand implements Callable<Integer> {

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
        CountDownLatch stopped = new CountDownLatch(1);
        // ingest.enabled: false: only the store writer and web (a process beside the ingest servers)
        LiveIngestRuntime runtime = cfg.ingest().enabled()
                ? LiveIngestRuntime.start(cfg, modelDir, Clock.systemUTC()) : null;
        // the supervised consumers log every change of state; with web, GET /health shows them all
        StatusBoard board = new StatusBoard();
        if (runtime != null) {
            board.add(runtime.rawAudio()::status);
        }
        AnalystServices analysts;
        try {
            analysts = AnalystServices.start(cfg, board);
        } catch (Exception | Error e) {
            if (runtime != null) {
                runtime.close();
            }
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            analysts.close();
            if (runtime != null) {
                runtime.close();
            }
            stopped.countDown();
        }, "earshot-shutdown"));
        var out = spec.commandLine().getOut();
        if (runtime == null) {
            out.printf("earshot serve: ingest off (ingest.enabled: false); reading Kafka at %s%n",
                    cfg.kafka().bootstrap());
            printAnalysts(out, analysts);
            out.flush();
            stopped.await();
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
        out.flush();
        stopped.await();
        return 0;
    }

    private static void printAnalysts(java.io.PrintWriter out, AnalystServices analysts) {
        if (analysts.storeUrl() != null) {
            out.printf("  store     %s (call summaries, timelines, agent windows)%n", analysts.storeUrl());
        }
        if (analysts.webUri() != null) {
            out.printf("  web       %s (floor dashboard) and %sapi/ (query API; tokens: earshot token create)%n",
                    analysts.webUri(), analysts.webUri());
            out.printf("  status    %shealth (supervised consumers)%n", analysts.webUri());
        }
    }
}
