package io.earshot.ingest.protocol;

import io.earshot.ingest.protocol.audiohook.AudioHookEndpoint;
import io.earshot.ingest.protocol.twilio.TwilioEndpoint;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
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
 *
 * <p>Draining ({@link #drain()}): from then on every request to a protocol path gets 503, so
 * new calls go to another instance, while the open connections go on; {@link #askToEnd}
 * asks each of them to end the way its protocol allows. Plain HTTP requests (health,
 * readiness, metrics) go to the extra handlers given at construction.
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
    private final Set<SerialEndpoint<?>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    /** Either settings may be null to leave that protocol's path unserved. */
    public IngestServer(Config config, AudioHookEndpoint.Settings audioHook, TwilioEndpoint.Settings twilio) {
        this(config, audioHook, twilio, List.of());
    }

    /**
     * As {@link #IngestServer(Config, AudioHookEndpoint.Settings, TwilioEndpoint.Settings)}, with
     * plain HTTP handlers asked in order for every request that is not a WebSocket upgrade.
     */
    public IngestServer(Config config, AudioHookEndpoint.Settings audioHook, TwilioEndpoint.Settings twilio,
            List<Handler> extra) {
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
        WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(server, container -> {
            if (audioHook != null) {
                container.addMapping(AUDIOHOOK_PATH,
                        tracked(AudioHookEndpoint.creator(audioHook, config.limits(), scheduler)));
            }
            if (twilio != null) {
                container.addMapping(TWILIO_PATH, tracked(TwilioEndpoint.creator(twilio, config.limits(), scheduler)));
            }
        });
        if (!extra.isEmpty()) {
            upgrades.setHandler(new Handler.Sequence(extra));
        }
        server.setHandler(new DrainGate(upgrades));
    }

    /** Keeps each accepted connection in {@link #open} from its socket's open to its close. */
    private WebSocketCreator tracked(WebSocketCreator creator) {
        return (request, response, callback) -> {
            Object endpoint = creator.createWebSocket(request, response, callback);
            if (endpoint instanceof SerialEndpoint<?> e) {
                e.trackIn(open);
            }
            return endpoint;
        };
    }

    /** While draining, answers the protocol paths with 503 before any upgrade. */
    private final class DrainGate extends Handler.Wrapper {
        DrainGate(Handler next) {
            super(next);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            if (draining && (AUDIOHOOK_PATH.equals(path) || TWILIO_PATH.equals(path))) {
                Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                        "Shutting down");
                return true;
            }
            return super.handle(request, response, callback);
        }
    }

    /** Refuses every new call from now on (503); open connections go on. Cannot be undone. */
    public void drain() {
        draining = true;
    }

    /** Whether {@link #drain()} was called. */
    public boolean draining() {
        return draining;
    }

    /** The WebSocket connections open now. */
    public int openConnections() {
        return open.size();
    }

    /**
     * Asks every open connection to end (AudioHook: {@code disconnect} reason {@code completed}
     * with {@code reason} as info; Twilio: close 1001); each call ends with what it has.
     */
    public void askToEnd(String reason) {
        for (SerialEndpoint<?> e : List.copyOf(open)) {
            e.askToEnd(reason);
        }
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
