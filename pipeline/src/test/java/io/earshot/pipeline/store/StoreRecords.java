package io.earshot.pipeline.store;

import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.CallSummaryComputed;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Writes metric-job outputs into a store exactly as the store writer does ({@link StoreRows} in
 * one transaction), without a broker: for tests that read the store back through the API.
 */
public final class StoreRecords {

    private StoreRecords() {
    }

    /** Writes the summaries and windows in one transaction. */
    public static void write(DataSource store, List<CallSummaryComputed> calls, List<AgentMetricsComputed> windows)
            throws SQLException {
        try (Connection c = store.getConnection()) {
            c.setAutoCommit(false);
            try (StoreRows rows = new StoreRows(c)) {
                for (CallSummaryComputed s : calls) {
                    rows.writeCall(s);
                }
                for (AgentMetricsComputed w : windows) {
                    rows.writeWindow(w);
                }
            }
            c.commit();
        }
    }
}
