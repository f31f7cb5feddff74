package io.earshot.pipeline.store;

import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.UtteranceTranscribed;
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
        write(store, calls, windows, List.of(), List.of());
    }

    /** Writes the summaries, windows, talk spurts and transcript in one transaction. */
    public static void write(DataSource store, List<CallSummaryComputed> calls, List<AgentMetricsComputed> windows,
            List<SpeechSegmentDetected> segments, List<UtteranceTranscribed> utterances) throws SQLException {
        try (Connection c = store.getConnection()) {
            c.setAutoCommit(false);
            try (StoreRows rows = new StoreRows(c)) {
                for (CallSummaryComputed s : calls) {
                    rows.writeCall(s);
                }
                for (AgentMetricsComputed w : windows) {
                    rows.writeWindow(w);
                }
                for (SpeechSegmentDetected s : segments) {
                    rows.writeSegment(s);
                }
                for (UtteranceTranscribed u : utterances) {
                    rows.writeUtterance(u);
                }
            }
            c.commit();
        }
    }
}
