package io.earshot.pipeline.live;

import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.analysis.config.JobConfig;
import io.earshot.pipeline.api.ApiHandler;
import io.earshot.pipeline.api.Authenticator;
import io.earshot.pipeline.api.CachingAuthenticator;
import io.earshot.pipeline.api.CallQueries;
import io.earshot.pipeline.api.TokenStore;
import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.dashboard.AlertRules;
import io.earshot.pipeline.dashboard.DashboardServer;
import io.earshot.pipeline.store.StoreDatabase;
import io.earshot.pipeline.store.StorePurger;
import io.earshot.pipeline.store.StoreRetention;
import io.earshot.pipeline.store.StoreWriter;
import io.earshot.pipeline.supervise.StatusBoard;
import io.earshot.pipeline.supervise.StatusHandler;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * What {@code serve} runs beside live ingest when the configuration asks for it: the store
 * writer filling the analysts' PostgreSQL ({@code store:}), and one web server with the floor
 * dashboard and the query API ({@code web:}), both behind the store's hashed API tokens.
 */
public final class AnalystServices implements AutoCloseable {

    private final StoreDatabase store;
    private final StoreWriter writer;
    private final DashboardServer web;
    private final StorePurger purger;

    private AnalystServices(StoreDatabase store, StoreWriter writer, DashboardServer web, StorePurger purger) {
        this.store = store;
        this.writer = writer;
        this.web = web;
        this.purger = purger;
    }

    /** Starts what {@code config} names; with neither {@code store} nor {@code web}, nothing. */
    public static AnalystServices start(EarshotConfig config) throws Exception {
        return start(config, new StatusBoard());
    }

    /**
     * As {@link #start(EarshotConfig)}, adding the store writer and the floor feed to
     * {@code board}; the web server answers {@code GET /health} with every component on it.
     */
    public static AnalystServices start(EarshotConfig config, StatusBoard board) throws Exception {
        return start(config, board, List.of());
    }

    /**
     * As {@link #start(EarshotConfig, StatusBoard)}, the web server also serving the plain HTTP
     * {@code extra} handlers (metrics) after the health handler.
     */
    public static AnalystServices start(EarshotConfig config, StatusBoard board,
            List<org.eclipse.jetty.server.Handler> extra) throws Exception {
        StoreDatabase store = null;
        StoreWriter writer = null;
        DashboardServer web = null;
        StorePurger purger = null;
        try {
            if (config.store() != null) {
                EarshotConfig.Store s = config.store();
                store = StoreDatabase.external(s.jdbcUrl(), s.user(), s.password());
                writer = StoreWriter.start(config.kafka(), store.dataSource());
                board.add(writer::status);
                StoreRetention.Policy policy = s.retention().policy();
                if (policy.deletesAnything()) {
                    purger = StorePurger.start(new StoreRetention(store.dataSource(), s.retention().batchSize(),
                            java.time.Clock.systemUTC()), policy, s.retention().purgeInterval());
                }
            }
            if (config.web() != null) {
                EarshotConfig.Web w = config.web();
                // the API and token checks share one bounded pool; the store writer keeps its own connection
                javax.sql.DataSource pool = store.pool("earshot-web", w.poolSize(), java.time.Duration.ofSeconds(5));
                TokenStore tokens = new TokenStore(pool);
                Authenticator auth = new CachingAuthenticator(tokens, w.authentication(), java.time.Clock.systemUTC());
                Map<String, String> rosterTeams = new java.util.HashMap<>();
                config.roster().forEach((id, a) -> {
                    if (a.team() != null) {
                        rosterTeams.put(id, a.team());
                    }
                });
                web = DashboardServer.start(config.kafka(), auth, DashboardServer.Options.defaults()
                                .withHost(w.bind()).withPort(w.port())
                                .withThresholds(config.alerts().thresholds()).withNudges(config.nudges().settings())
                                .withStreams(w.streams()).withRosterTeams(rosterTeams),
                        AlertRules.Hook.NONE,
                        handlers(new ApiHandler(new CallQueries(pool, scoring(config)), tokens, auth),
                                new StatusHandler(board), extra));
                board.add(web::feedStatus);
            }
            return new AnalystServices(store, writer, web, purger);
        } catch (Exception | Error e) {
            new AnalystServices(store, writer, web, purger).close();
            throw e;
        }
    }

    private static List<org.eclipse.jetty.server.Handler> handlers(org.eclipse.jetty.server.Handler api,
            org.eclipse.jetty.server.Handler health, List<org.eclipse.jetty.server.Handler> extra) {
        List<org.eclipse.jetty.server.Handler> all = new java.util.ArrayList<>(List.of(api, health));
        all.addAll(extra);
        return all;
    }

    /** The store writer, or null without {@code store}. */
    public StoreWriter writer() {
        return writer;
    }

    /** The dashboard's server, or null without {@code web}. */
    public DashboardServer web() {
        return web;
    }

    /** What the API scores aggregates and rankings with: the metric job's listening score and talk-share band. */
    static WindowMetrics.Scoring scoring(EarshotConfig config) {
        JobConfig job = config.jobConfig();
        return new WindowMetrics.Scoring(job.listening().score(), job.metrics().talkShareLow(),
                job.metrics().talkShareHigh());
    }

    /** The store's JDBC URL without credentials (see {@link #withoutCredentials}), or null without a store. */
    public String storeUrl() {
        return store == null ? null : withoutCredentials(store.jdbcUrl());
    }

    /**
     * A JDBC URL fit to print or log: a password, a user or any other secret-looking parameter
     * ({@code password}, {@code sslpassword}, {@code sslkey}...) shows as {@code ***}, and so
     * does a {@code user:password@} part.
     */
    public static String withoutCredentials(String jdbcUrl) {
        String url = jdbcUrl.replaceAll("//[^/@?]*@", "//***@");
        return url.replaceAll("(?i)([?&;](?:password|sslpassword|sslkey|user|passwd|pwd|secret|token)=)[^&;]*",
                "$1***");
    }

    /** The dashboard's address (the API is under {@code api/}), or null without {@code web}. */
    public URI webUri() {
        return web == null ? null : web.uri();
    }

    @Override
    public void close() {
        if (purger != null) {
            purger.close();
        }
        if (web != null) {
            try {
                web.close();
            } catch (Exception e) {
                System.getLogger(AnalystServices.class.getName()).log(System.Logger.Level.WARNING,
                        "stopping the web server", e);
            }
        }
        if (writer != null) {
            try {
                writer.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (store != null) {
            store.close();
        }
    }
}
