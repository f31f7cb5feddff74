package io.earshot.pipeline.dashboard;

import io.earshot.pipeline.api.Authenticator;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Runs the floor dashboard: a {@link FloorFeed} following Kafka into a {@link FloorState},
 * and a Jetty server with the {@link DashboardHandler} first and then any handlers the caller
 * adds (the query API under {@code /api/...}), each declining the paths it does not serve.
 */
public final class DashboardServer implements AutoCloseable {

    /**
     * @param host          interface to listen on
     * @param port          port, 0 for any free one
     * @param thresholds    the alert thresholds
     * @param lookback      how much of the topics' recent past to replay on start (see {@link FloorFeed})
     * @param pushInterval  how often open streams get the floor's changes and the agents' nudges
     * @param nudges        which nudges the agents' pages get
     * @param streams       the bounds on open event streams
     * @param rosterTeams   each rostered agent's team (empty without a roster), see {@link FloorState}
     */
    public record Options(String host, int port, AlertRules.Thresholds thresholds, Duration lookback,
                          Duration pushInterval, NudgeRules.Settings nudges, DashboardHandler.StreamLimits streams,
                          Map<String, String> rosterTeams) {
        public static final int DEFAULT_PORT = 8081;

        public Options {
            rosterTeams = Map.copyOf(rosterTeams);
        }

        public static Options defaults() {
            return new Options("0.0.0.0", DEFAULT_PORT, AlertRules.Thresholds.DEFAULTS, FloorFeed.DEFAULT_LOOKBACK,
                    DashboardHandler.DEFAULT_PUSH_INTERVAL, NudgeRules.Settings.DEFAULTS,
                    DashboardHandler.StreamLimits.DEFAULTS, Map.of());
        }

        public Options withHost(String h) {
            return new Options(h, port, thresholds, lookback, pushInterval, nudges, streams, rosterTeams);
        }

        public Options withPort(int p) {
            return new Options(host, p, thresholds, lookback, pushInterval, nudges, streams, rosterTeams);
        }

        public Options withThresholds(AlertRules.Thresholds t) {
            return new Options(host, port, t, lookback, pushInterval, nudges, streams, rosterTeams);
        }

        public Options withNudges(NudgeRules.Settings n) {
            return new Options(host, port, thresholds, lookback, pushInterval, n, streams, rosterTeams);
        }

        public Options withStreams(DashboardHandler.StreamLimits l) {
            return new Options(host, port, thresholds, lookback, pushInterval, nudges, l, rosterTeams);
        }

        public Options withRosterTeams(Map<String, String> teams) {
            return new Options(host, port, thresholds, lookback, pushInterval, nudges, streams, teams);
        }
    }

    private final Server server;
    private final FloorState floor;
    private final FloorFeed feed;
    private final DashboardHandler handler;

    private DashboardServer(Server server, FloorState floor, FloorFeed feed, DashboardHandler handler) {
        this.server = server;
        this.floor = floor;
        this.feed = feed;
        this.handler = handler;
    }

    /**
     * Starts following Kafka at {@code bootstrapServers} and serving.
     *
     * @param hook  receives raised and acknowledged alerts (e.g. to persist them); {@link AlertRules.Hook#NONE}
     * @param extra further handlers after the dashboard's, in order
     */
    public static DashboardServer start(String bootstrapServers, Authenticator authenticator, Options options,
            AlertRules.Hook hook, List<Handler> extra) throws Exception {
        return start(new io.earshot.pipeline.config.EarshotConfig.Kafka(bootstrapServers, java.util.Map.of()),
                authenticator, options, hook, extra);
    }

    /** As {@link #start(String, Authenticator, Options, AlertRules.Hook, List)} on {@code kafka}, with its client properties. */
    public static DashboardServer start(io.earshot.pipeline.config.EarshotConfig.Kafka kafka,
            Authenticator authenticator, Options options, AlertRules.Hook hook, List<Handler> extra) throws Exception {
        String bootstrapServers = kafka.bootstrap();
        FloorState floor = new FloorState(new AlertRules(options.thresholds(), hook, Clock.systemUTC()),
                new NudgeRules(options.nudges(), Clock.systemUTC()), options.rosterTeams());
        FloorFeed feed = new FloorFeed(kafka, floor, options.lookback(), Clock.systemUTC()).start();
        DashboardHandler handler = new DashboardHandler(floor, authenticator, options.pushInterval(),
                options.streams());
        Server server = new Server();
        server.setErrorHandler(io.earshot.pipeline.api.ApiServer.quietErrors());
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(options.host());
        connector.setPort(options.port());
        server.addConnector(connector);
        Handler.Sequence handlers = new Handler.Sequence();
        handlers.addHandler(handler);
        extra.forEach(handlers::addHandler);
        server.setHandler(handlers);
        try {
            server.start();
            if (!feed.awaitAssigned(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the dashboard could not reach Kafka at " + bootstrapServers);
            }
        } catch (Exception | Error e) {
            feed.close();
            server.stop();
            throw e;
        }
        return new DashboardServer(server, floor, feed, handler);
    }

    /** The dashboard's address, e.g. {@code http://127.0.0.1:8081/}. */
    public URI uri() {
        ServerConnector c = (ServerConnector) server.getConnectors()[0];
        String host = c.getHost() == null || c.getHost().equals("0.0.0.0") ? "127.0.0.1" : c.getHost();
        return URI.create("http://" + host + ":" + c.getLocalPort() + "/");
    }

    /** The floor feed's state, restarts and last record time. */
    public io.earshot.pipeline.supervise.ComponentStatus feedStatus() {
        return feed.status();
    }

    public FloorState floor() {
        return floor;
    }

    public DashboardHandler handler() {
        return handler;
    }

    @Override
    public void close() throws Exception {
        handler.close();
        try {
            server.stop();
        } finally {
            feed.close();
        }
    }
}
