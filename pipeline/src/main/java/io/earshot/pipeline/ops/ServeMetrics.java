package io.earshot.pipeline.ops;

import io.earshot.ingest.live.LiveTranscription;
import io.earshot.pipeline.dashboard.DashboardHandler;
import io.earshot.pipeline.live.CallRegistry;
import io.earshot.pipeline.live.LiveIngestRuntime;
import io.earshot.pipeline.store.StoreWriter;
import io.earshot.pipeline.supervise.StatusBoard;
import io.earshot.schemas.SourceProtocol;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one {@code serve} process, in one Micrometer registry that {@code GET /metrics}
 * shows on the ingest port and on the web port alike. Every Earshot meter reads a counter or a
 * state the component keeps anyway (function counters and gauges), so measuring adds nothing
 * to a call's path; docs/operations.md lists them. The JVM's own meters (memory, GC, threads,
 * class loading, CPU, uptime) come from Micrometer's binders under their usual names.
 */
public final class ServeMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public ServeMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The {@code /metrics} handler over this registry; {@code token} null leaves it open. */
    public MetricsHandler handler(String token) {
        return new MetricsHandler(registry, token);
    }

    /** Readiness as a gauge (1 ready, 0 not) and draining (1 while shutting down). */
    public ServeMetrics bindStatus(StatusBoard board) {
        Gauge.builder("earshot.ready", board, b -> b.ready() ? 1 : 0)
                .description("1 while the process takes new work, 0 while draining or a consumer is down")
                .register(registry);
        Gauge.builder("earshot.draining", board, b -> b.draining() ? 1 : 0)
                .description("1 from SIGTERM until exit").register(registry);
        return this;
    }

    /** Live ingest: calls, audio, recognition, publishing, dead letters, connections. */
    public ServeMetrics bindIngest(LiveIngestRuntime runtime) {
        CallRegistry calls = runtime.calls();
        for (SourceProtocol p : SourceProtocol.values()) {
            if (p == SourceProtocol.FILE) {
                continue; // recorded files are analysed offline, never by serve
            }
            String protocol = p.name().toLowerCase(Locale.ROOT);
            Gauge.builder("earshot.calls.active", calls, c -> c.activeCalls(p)).tag("protocol", protocol)
                    .description("Calls live now").register(registry);
            FunctionCounter.builder("earshot.audio.frames.received", calls, c -> c.audioFrames(p))
                    .tag("protocol", protocol)
                    .description("Audio blocks received (AudioHook frames, Twilio media pairs, raw chunks)")
                    .register(registry);
            FunctionCounter.builder("earshot.audio.received", calls, c -> c.audioSeconds(p)).baseUnit("seconds")
                    .tag("protocol", protocol).description("Call audio received, per channel").register(registry);
        }
        counter("earshot.calls.started", calls, CallRegistry::startedCalls, "Calls started");
        counter("earshot.calls.ended", calls, CallRegistry::endedCalls, "Calls ended, their CallEnded published");
        counter("earshot.calls.refused", calls, CallRegistry::refusedCalls,
                "Calls refused (limits, unknown agent, call id in use)");
        Supplier<LiveTranscription.Stats> asr = runtime::transcriptionStats;
        Gauge.builder("earshot.asr.queue", asr, s -> s.get() == null ? 0 : s.get().pendingRegions())
                .baseUnit("regions").description("Speech regions waiting for or in a recogniser").register(registry);
        Gauge.builder("earshot.asr.lag", asr, s -> s.get() == null ? 0 : s.get().maxLagMs() / 1000.0)
                .baseUnit("seconds").description("How long the oldest waiting region has waited").register(registry);
        counter("earshot.asr.skipped.regions", asr, s -> s.get() == null ? 0 : s.get().skippedRegions(),
                "Speech regions skipped: they waited longer than transcription.maxLagSeconds");
        counter("earshot.asr.transcribed.regions", asr, s -> s.get() == null ? 0 : s.get().transcribedRegions(),
                "Speech regions recognised");
        counter("earshot.published.records", runtime.sink(), s -> s.sent(), "Records acknowledged by Kafka");
        counter("earshot.publish.errors", runtime.sink(), s -> s.failed(), "Records Kafka did not take");
        counter("earshot.dead.letters", runtime.rawAudio(), r -> r.rejected(),
                "Raw audio records rejected to earshot.dead-letters");
        Gauge.builder("earshot.ingest.connections", runtime.ingest().server(), s -> s.openConnections())
                .description("WebSocket connections open now").register(registry);
        return this;
    }

    /** The store writer: records written and the age of the newest one written. */
    public ServeMetrics bindStoreWriter(StoreWriter writer, Clock clock) {
        counter("earshot.store.writer.records", writer, StoreWriter::stored, "Records written to the store");
        counter("earshot.store.writer.skipped", writer, StoreWriter::skipped, "Records the store writer skipped");
        Gauge.builder("earshot.store.writer.newest.record.age", writer, w -> {
            long t = w.newestRecordTimestamp();
            return t < 0 ? Double.NaN : Math.max(0, clock.millis() - t) / 1000.0;
        }).baseUnit("seconds").description("Now minus the event time of the newest record written (NaN before"
                + " the first); grows while calls flow and the writer lags, and while no calls come").register(registry);
        return this;
    }

    /** The web server's event streams (server-sent events). */
    public ServeMetrics bindDashboard(DashboardHandler handler) {
        Gauge.builder("earshot.sse.clients", handler, DashboardHandler::streamClients).tag("stream", "floor")
                .description("Open event streams").register(registry);
        Gauge.builder("earshot.sse.clients", handler, DashboardHandler::nudgeClients).tag("stream", "nudges")
                .description("Open event streams").register(registry);
        return this;
    }

    private <T> void counter(String name, T source, ToDoubleFunction<T> value, String description) {
        FunctionCounter.builder(name, source, value).description(description).register(registry);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
