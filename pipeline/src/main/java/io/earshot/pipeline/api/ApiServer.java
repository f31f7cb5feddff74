package io.earshot.pipeline.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A Jetty server for the API and whatever else the caller serves beside it (the dashboard):
 * the {@link ApiHandler} answers {@code /api/}, then each extra handler in order gets the
 * requests it claims; the rest are 404.
 */
public final class ApiServer implements AutoCloseable {

    /** Threads of the server's pool: the API blocks on the database, one thread per request. */
    public static final int DEFAULT_THREADS = 32;

    private final Server server;
    private final ServerConnector connector;

    /**
     * @param host  the address to bind ({@code 127.0.0.1}, {@code 0.0.0.0})
     * @param port  the port, 0 for any free one (see {@link #port()})
     * @param api   the API handler
     * @param extra handlers for other paths, asked in order after the API
     */
    public ApiServer(String host, int port, ApiHandler api, Handler... extra) {
        Objects.requireNonNull(api, "api");
        QueuedThreadPool threads = new QueuedThreadPool(DEFAULT_THREADS);
        threads.setName("earshot-api");
        server = new Server(threads);
        server.setErrorHandler(quietErrors());
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        List<Handler> handlers = new ArrayList<>();
        handlers.add(api);
        handlers.addAll(List.of(extra));
        server.setHandler(new Handler.Sequence(handlers));
    }

    /**
     * Jetty's own error pages (a malformed request, a handler that threw) without the exception's
     * message, cause or stack: what failed inside stays in the log.
     */
    public static org.eclipse.jetty.server.handler.ErrorHandler quietErrors() {
        org.eclipse.jetty.server.handler.ErrorHandler errors = new org.eclipse.jetty.server.handler.ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowCauses(false);
        errors.setShowMessageInTitle(false);
        errors.setShowOrigin(false);
        return errors;
    }

    /** Starts listening; throws if the port cannot be bound. */
    public ApiServer start() throws Exception {
        server.start();
        return this;
    }

    /** The port it listens on (the real one when constructed with 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://host:port} of the running server. */
    public URI uri() {
        String host = connector.getHost() == null || connector.getHost().equals("0.0.0.0")
                ? "127.0.0.1" : connector.getHost();
        return URI.create("http://" + host + ":" + port());
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
