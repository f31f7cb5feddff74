package io.earshot.pipeline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Deletes what the store keeps longer than its retention periods ({@code docs/store.md},
 * "Retention"): calls, their evidence, and agent windows.
 *
 * <ul>
 *   <li>Evidence: the rows that quote or time what was said, namely a call's interruptions,
 *       backchannels, response gaps, dead air, listening behaviours, tone events and coaching
 *       notes, and its talk spurts ({@code segments}) and transcript ({@code utterances}),
 *       once the call started ({@code calls.media_start}) longer ago than the evidence period.
 *       Spurts and transcript lines of a call the store has no summary of (it never ended, or
 *       its summary was lost) go once they were stored ({@code stored_at}) longer ago than that.
 *       The call's own row, its metrics, stays.</li>
 *   <li>Calls: the {@code calls} row of a call that started longer ago than the call period,
 *       with everything left of its evidence. Evidence never outlives its call: without an
 *       evidence period the call period applies to it, and a longer one is refused.</li>
 *   <li>Windows: agent, team and queue windows that ended longer ago than the window period.</li>
 * </ul>
 *
 * <p>Every delete removes at most {@code batchSize} rows (calls, for the call period) in a
 * transaction of its own and is repeated until nothing is left, so a purge holds row locks on
 * one batch at a time and never a table lock: the store writer and the API carry on meanwhile.
 * Evidence is purged before calls, so a call's detail rows go in batches of their own rather
 * than all at once by cascade.
 */
public final class StoreRetention {

    /** Rows per delete statement unless configured otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 1_000;

    /**
     * How long to keep what; a null period keeps that kind for ever.
     *
     * @throws IllegalArgumentException when a period is not positive, or evidence is kept longer than calls
     */
    public record Policy(Duration calls, Duration evidence, Duration windows) {
        /** Nothing is deleted. */
        public static final Policy KEEP_ALL = new Policy(null, null, null);

        public Policy {
            for (Duration d : new Duration[] {calls, evidence, windows}) {
                if (d != null && (d.isNegative() || d.isZero())) {
                    throw new IllegalArgumentException("a retention period must be positive, not " + d);
                }
            }
            if (calls != null && evidence != null && evidence.compareTo(calls) > 0) {
                throw new IllegalArgumentException("evidence cannot be kept longer than its call (evidence "
                        + evidence.toDays() + "d > calls " + calls.toDays() + "d)");
            }
        }

        /** The evidence period in force: the evidence period, or else the call period. */
        public Duration effectiveEvidence() {
            return evidence != null ? evidence : calls;
        }

        /** Whether the policy deletes anything at all. */
        public boolean deletesAnything() {
            return calls != null || evidence != null || windows != null;
        }
    }

    /** Rows deleted (or, for a dry run, that would be) by table, in the order they were purged. */
    public record Report(Map<String, Long> deleted, boolean dryRun) {
        public Report {
            deleted = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(deleted));
        }

        public long total() {
            return deleted.values().stream().mapToLong(Long::longValue).sum();
        }

        public long of(String table) {
            return deleted.getOrDefault(table, 0L);
        }
    }

    /** The detail tables of a call, keyed (call_id, seq), deleted with the call by cascade too. */
    static final List<String> DETAIL_TABLES = List.of("interruptions", "backchannels", "response_gaps", "dead_air",
            "behaviours", "tone_events", "coaching_notes");

    private final DataSource dataSource;
    private final int batchSize;
    private final Clock clock;

    public StoreRetention(DataSource dataSource, int batchSize, Clock clock) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
        }
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.batchSize = batchSize;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Deletes what {@code policy} no longer keeps, as of the clock's now.
     *
     * @param dryRun count what would go and delete nothing
     */
    public Report purge(Policy policy, boolean dryRun) throws SQLException {
        Instant now = clock.instant();
        Map<String, Long> deleted = new LinkedHashMap<>();
        Duration evidence = policy.effectiveEvidence();
        if (evidence != null) {
            OffsetDateTime before = utc(now.minus(evidence));
            for (String table : DETAIL_TABLES) {
                String rows = "SELECT t.call_id, t.seq FROM " + table + " t JOIN calls c USING (call_id)"
                        + " WHERE c.media_start < ?";
                deleted.put(table, run(table, "(call_id, seq)", rows, dryRun, before));
            }
            for (String table : List.of("segments", "utterances")) {
                // the call's start when the store has its summary, when the row was stored otherwise
                String rows = "SELECT t.call_id, t.role, t.seq FROM " + table + " t LEFT JOIN calls c USING (call_id)"
                        + " WHERE c.media_start < ? OR (c.call_id IS NULL AND t.stored_at < ?)";
                deleted.put(table, run(table, "(call_id, role, seq)", rows, dryRun, before, before));
            }
        }
        if (policy.calls() != null) {
            OffsetDateTime before = utc(now.minus(policy.calls()));
            deleted.put("calls", run("calls", "(call_id)", "SELECT call_id FROM calls WHERE media_start < ?",
                    dryRun, before));
        }
        if (policy.windows() != null) {
            OffsetDateTime before = utc(now.minus(policy.windows()));
            deleted.put("agent_windows", run("agent_windows", "(scope, key, window_kind, window_start)",
                    "SELECT scope, key, window_kind, window_start FROM agent_windows WHERE window_end < ?",
                    dryRun, before));
        }
        return new Report(deleted, dryRun);
    }

    /**
     * Deletes the rows {@code select} names (their key columns {@code key}) in batches, each
     * in a transaction of its own, until none is left; or counts them for a dry run.
     */
    private long run(String table, String key, String select, boolean dryRun, OffsetDateTime... before)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (dryRun) {
                try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM (" + select + ") AS doomed")) {
                    bind(s, before);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            }
            long total = 0;
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE " + key + " IN ("
                    + select + " LIMIT ?)")) {
                bind(s, before);
                s.setInt(before.length + 1, batchSize);
                while (true) {
                    int n = s.executeUpdate();
                    total += n;
                    if (n < batchSize) {
                        return total;
                    }
                }
            }
        }
    }

    private static void bind(PreparedStatement s, OffsetDateTime[] before) throws SQLException {
        for (int i = 0; i < before.length; i++) {
            s.setObject(i + 1, before[i]);
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
