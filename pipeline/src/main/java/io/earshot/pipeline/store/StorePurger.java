package io.earshot.pipeline.store;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link StoreRetention} in the serving process: once at start, then every {@code every},
 * on a daemon thread of its own. A purge that fails (the database unreachable) is logged and
 * tried again at the next turn; what it had deleted stays deleted, and what is left goes then.
 */
public final class StorePurger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StorePurger.class);

    private final ScheduledExecutorService timer;

    private StorePurger(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static StorePurger start(StoreRetention retention, StoreRetention.Policy policy, Duration every) {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(policy, "policy");
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "earshot-store-retention");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> purge(retention, policy), 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return new StorePurger(timer);
    }

    private static void purge(StoreRetention retention, StoreRetention.Policy policy) {
        try {
            StoreRetention.Report report = retention.purge(policy, false);
            if (report.total() > 0) {
                LOG.info("store: retention deleted {}", report.deleted());
            }
        } catch (SQLException | RuntimeException e) {
            // the next turn tries again; a failure must not cancel the schedule
            LOG.warn("store: retention purge failed, next attempt at the next turn: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
