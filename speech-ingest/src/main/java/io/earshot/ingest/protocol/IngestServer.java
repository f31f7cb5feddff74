package io.earshot.ingest.protocol;

import io.earshot.ingest.protocol.audiohook.AudioHookEndpoint;
import io.earshot.ingest.protocol.twilio.TwilioEndpoint;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The WebSocket server of the live ingest: one Jetty 12 connector, AudioHook on
 * {@value #AUDIOHOOK_PATH} and Twilio Media Streams on {@value #TWILIO_PATH}. Each protocol is
 * served only when its settings are given. One scheduler thread runs the endpoints' timers
 * (AudioHook idle checks, Twilio lag polls); it never waits for a connection's lock (a busy
 * connection skips a tick), so one slow connection cannot stall the others' timers. Every
 * connection is bounded by the {@link IngestLimits} of the config.
 *
 * <p>Plain {@code ws://}: TLS is expected to end at the load balancer in front of this server.
 */
public final class IngestServer implements AutoCloseable {

    public static final String AUDIOHOOK_PATH = "/audiohook";
    public static final String TWILIO_PATH = "/twilio";

    /**
     * @param bindAddress interface to listen on, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
     * @param port        TCP port; 0 picks a free one (see {@link #port()})
     * @param limits      the per-call and per-connection bounds of both protocols
     */
    public record Config(String bindAddress, int port, IngestLimits limits) {
        public Config {
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(limits, "limits");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        /** With the default {@link IngestLimits}. */
        public Config(String bindAddress, int port) {
            this(bindAddress, port, IngestLimits.defaults());
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final ScheduledExecutorService scheduler;

    /** Either settings may be null to leave that protocol's path unserved. */
    public IngestServer(Config config, AudioHookEndpoint.Settings audioHook, TwilioEndpoint.Settings twilio) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("ingest-ws");
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost(config.bindAddress());
        connector.setPort(config.port());
        server.addConnector(connector);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-ws-timers");
            t.setDaemon(true);
            return t;
        });
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            if (audioHook != null) {
                container.addMapping(AUDIOHOOK_PATH, AudioHookEndpoint.creator(audioHook, config.limits(), scheduler));
            }
            if (twilio != null) {
                container.addMapping(TWILIO_PATH, TwilioEndpoint.creator(twilio, config.limits(), scheduler));
            }
        }));
    }

    /** Binds and starts accepting; returns this for chaining. */
    public IngestServer start() throws Exception {
        server.start();
        return this;
    }

    /** The bound port (the chosen one when configured with 0); -1 before {@link #start()}. */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code ws://host:port<path>} of this server. */
    public URI uri(String path) {
        String host = connector.getHost() == null || connector.getHost().equals("0.0.0.0")
                ? "127.0.0.1" : connector.getHost();
        return URI.create("ws://" + host + ":" + port() + path);
    }

    /** Stops accepting, closes open sockets and the timer thread. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the ingest server", e);
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop the ingest server", e);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
