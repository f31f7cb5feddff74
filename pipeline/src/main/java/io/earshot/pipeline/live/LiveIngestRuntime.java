package io.earshot.pipeline.live;

import io.earshot.ingest.asr.VoskTranscriber;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.live.LiveTranscription;
import io.earshot.ingest.protocol.IngestServer;
import io.earshot.ingest.protocol.audiohook.AudioHookAuth;
import io.earshot.ingest.protocol.twilio.Messages.Track;
import io.earshot.ingest.redact.Redactor;
import io.earshot.ingest.protocol.twilio.TwilioAuth;
import java.net.URI;
import io.earshot.pipeline.config.EarshotConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Everything of live ingest in one process, built from an {@link EarshotConfig}: the Kafka
 * publisher, the recognisers, the call registry, the WebSocket server and the raw-audio
 * consumer. {@code serve} runs it against an external cluster, {@code demo} against the
 * embedded one. Closing it stops taking calls, ends the live ones and flushes the publisher.
 */
public final class LiveIngestRuntime implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LiveIngestRuntime.class.getName());

    /** Logged at start when the configuration switches redaction off. */
    public static final String REDACTION_OFF = "REDACTION IS OFF (redaction.enabled: false): card numbers, phone"
            + " numbers, e-mail addresses and id numbers in transcripts go verbatim to Kafka, the store, the API"
            + " and the dashboard; each call's summary records redaction \"off\"";

    private final KafkaEventSink sink;
    private final VoskTranscriber transcriber;
    private final LiveTranscription asr;
    private final CallRegistry calls;
    private final IngestService ingest;
    private final RawAudioIngest rawAudio;

    private LiveIngestRuntime(KafkaEventSink sink, VoskTranscriber transcriber, LiveTranscription asr,
            CallRegistry calls, IngestService ingest, RawAudioIngest rawAudio) {
        this.sink = sink;
        this.transcriber = transcriber;
        this.asr = asr;
        this.calls = calls;
        this.ingest = ingest;
        this.rawAudio = rawAudio;
    }

    /**
     * @param model the Vosk model folder, used when transcription is enabled and the
     *              configuration names none
     */
    public static LiveIngestRuntime start(EarshotConfig config, Path model, Clock clock) throws Exception {
        return start(config, model, clock, java.util.List.of());
    }

    /**
     * As {@link #start(EarshotConfig, Path, Clock)}, the ingest port also serving the plain HTTP
     * {@code extra} handlers (health, readiness, metrics).
     */
    public static LiveIngestRuntime start(EarshotConfig config, Path model, Clock clock,
            java.util.List<org.eclipse.jetty.server.Handler> extra) throws Exception {
        warnInsecure(config);
        Map<String, String> kafkaProperties = config.kafka().properties();
        KafkaEventSink sink = new KafkaEventSink(config.kafka().bootstrap(), kafkaProperties);
        VoskTranscriber transcriber = null;
        LiveTranscription asr = null;
        RawAudioIngest raw = null;
        IngestService ingest = null;
        try {
            EarshotConfig.Transcription t = config.transcription();
            if (t.enabled()) {
                Path dir = t.model() != null ? Path.of(t.model()) : model;
                if (dir == null) {
                    throw new IllegalArgumentException("transcription.model: no Vosk model configured");
                }
                transcriber = VoskTranscriber.open(dir, t.workers(), t.recycleAfterSeconds(), t.asrProfile());
                Redactor redactor = new Redactor(config.redaction().toConfig());
                if (!redactor.config().enabled()) {
                    LOG.log(System.Logger.Level.WARNING, REDACTION_OFF);
                }
                asr = new LiveTranscription(transcriber,
                        new LiveTranscription.Config(t.workers(), Duration.ofSeconds(t.maxLagSeconds())), clock,
                        redactor);
            }
            Map<String, AgentDirectory.Agent> roster = new java.util.LinkedHashMap<>();
            config.roster().forEach((id, a) -> roster.put(id, new AgentDirectory.Agent(id, a.team(), a.queue())));
            EarshotConfig.Limits limits = config.ingest().limits();
            CallRegistry calls = new CallRegistry(VadConfig.DEFAULTS, asr, sink,
                    new AgentDirectory(roster, config.defaultAgentId()), clock, limits.callLimits());
            EarshotConfig.AudioHook ah = config.audiohook();
            AudioHookAuth.Config auth = ah.enabled()
                    ? new AudioHookAuth.Config(ah.apiKeys(), Duration.ofSeconds(ah.maxClockSkewSeconds()),
                            Duration.ofSeconds(ah.maxSignatureAgeSeconds()), ah.replayCacheSize())
                    : null;
            EarshotConfig.Twilio tw = config.twilio();
            Track agentTrack = !tw.enabled() ? null : "inbound".equals(tw.agentTrack()) ? Track.INBOUND : Track.OUTBOUND;
            ingest = IngestService.start(new IngestService.Settings(
                    new IngestServer.Config(config.ingest().bind(), config.ingest().port(), limits.ingestLimits()), auth,
                    tw.enabled() ? twilioAuth(tw) : null, agentTrack), calls, extra);
            raw = new RawAudioIngest(config.kafka().bootstrap(), "earshot-ingest", kafkaProperties, calls,
                    limits.ingestLimits()).start();
            return new LiveIngestRuntime(sink, transcriber, asr, calls, ingest, raw);
        } catch (Exception | Error e) {
            if (ingest != null) {
                ingest.close();
            }
            if (raw != null) {
                raw.close();
            }
            if (asr != null) {
                asr.close();
            }
            if (transcriber != null) {
                transcriber.close();
            }
            sink.close();
            throw e;
        }
    }

    /** Logs, at every start, each ingest path that is open without authentication. */
    static void warnInsecure(EarshotConfig config) {
        for (String warning : config.insecureIngestWarnings()) {
            LOG.log(System.Logger.Level.WARNING, warning);
        }
    }

    static TwilioAuth twilioAuth(EarshotConfig.Twilio tw) {
        return switch (tw.auth()) {
            case "none" -> TwilioAuth.none();
            case "token" -> TwilioAuth.token(tw.token());
            default -> TwilioAuth.signature(tw.authTokensByAccount(),
                    tw.publicUrl() == null ? null : URI.create(tw.publicUrl()));
        };
    }

    public IngestService ingest() {
        return ingest;
    }

    public CallRegistry calls() {
        return calls;
    }

    public KafkaEventSink sink() {
        return sink;
    }

    public RawAudioIngest rawAudio() {
        return rawAudio;
    }

    /** The recognisers' load, or null without transcription. */
    public LiveTranscription.Stats transcriptionStats() {
        return asr == null ? null : asr.stats();
    }

    /** The reason a call cut short by {@link #drain} ends with, and the AudioHook client is told. */
    public static final String DRAIN_REASON = "server shutting down";

    /**
     * Stops taking calls and lets the live ones end on their own for most of {@code period}:
     * new upgrades get 503 at once; when the period is nearly over (a fifth of it, at most 10 s,
     * is left for the calls to close) every connection still open is asked to end the way its
     * protocol allows (see {@link io.earshot.ingest.protocol.IngestServer#askToEnd}), and the
     * call ends with what it has. Returns when no call is live or the period is over; {@link
     * #close()} then ends whatever is left and flushes the publisher.
     *
     * @return whether every call had ended within the period
     */
    public boolean drain(Duration period) throws InterruptedException {
        ingest.server().drain();
        Duration closing = period.dividedBy(5).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                : period.dividedBy(5);
        LOG.log(System.Logger.Level.INFO, "draining: {0} calls live, new calls refused; asking the rest to end in {1} s",
                calls.activeCalls(), period.minus(closing).toSeconds());
        if (calls.awaitIdle(period.minus(closing))) {
            return true;
        }
        LOG.log(System.Logger.Level.INFO, "draining: asking {0} connections to end", ingest.server().openConnections());
        ingest.server().askToEnd(DRAIN_REASON);
        return calls.awaitIdle(closing);
    }

    @Override
    public void close() {
        rawAudio.close();
        ingest.close();
        if (asr != null) {
            asr.close();
        }
        if (transcriber != null) {
            transcriber.close();
        }
        sink.close();
    }
}
