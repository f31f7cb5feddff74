package io.earshot.pipeline.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The analysts' read side of the store: calls by agent, team, queue and time with filters,
 * paging and sort; per-agent and per-team aggregates re-divided from sums; hourly and daily
 * window series; one call's full timeline. Every value from a caller is a bound parameter;
 * the only SQL text that varies is built from {@link CallFilter.SortField}'s whitelist and
 * from which filters are present.
 */
public final class CallQueries {

    private static final String CALL_COLUMNS = "call_id, agent_id, team, queue, media_start, emitted_at, end_reason,"
            + " duration_ms, agent_talk_ms, customer_talk_ms, overlap_ms, silence_ms, agent_talk_share,"
            + " talk_share_low, talk_share_high, agent_interruptions, customer_interruptions,"
            + " agent_interruptions_per_10min, agent_backchannels, customer_backchannels, transfers,"
            + " respected_transfers, pause_respect_rate, mean_response_gap_ms, pause_intrusions, dead_air_count,"
            + " dead_air_ms, longest_agent_monologue_ms, longest_customer_story_ms, transcription_skipped_regions,"
            + " transcription_skipped_speech_ms, max_transcription_lag_ms";

    /** Rows fetched per round trip when streaming an export. */
    private static final int EXPORT_FETCH_SIZE = 500;

    private final DataSource dataSource;
    private final ObjectMapper json = new ObjectMapper();

    public CallQueries(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The calls the filter selects, in its order, one page ({@code limit}/{@code offset}). */
    public List<CallRow> calls(CallFilter filter) throws SQLException {
        List<CallRow> rows = new ArrayList<>();
        streamCalls(filter, rows::add);
        return rows;
    }

    /**
     * Streams the calls the filter selects to {@code sink} with a server-side cursor, so an
     * export of many calls never holds them all in memory.
     */
    public void streamCalls(CallFilter filter, Consumer<CallRow> sink) throws SQLException {
        Where where = where(filter);
        StringBuilder sql = new StringBuilder("SELECT ").append(CALL_COLUMNS).append(" FROM calls")
                .append(where.sql).append(" ORDER BY ").append(filter.sort().orderBy());
        List<Object> params = new ArrayList<>(where.params);
        if (filter.limit() != null) {
            sql.append(" LIMIT ?");
            params.add((long) filter.limit());
        }
        if (filter.offset() > 0) {
            sql.append(" OFFSET ?");
            params.add((long) filter.offset());
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL uses a cursor for fetchSize only inside a transaction
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                bind(c, s, params);
                s.setFetchSize(EXPORT_FETCH_SIZE);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(callRow(rs));
                    }
                }
                c.commit();
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** How many calls the filter selects, ignoring its limit and offset. */
    public long countCalls(CallFilter filter) throws SQLException {
        Where where = where(filter);
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM calls" + where.sql)) {
            bind(c, s, where.params);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** One call's summary, or empty if the store has no such call. */
    public Optional<CallRow> call(String callId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + CALL_COLUMNS + " FROM calls WHERE call_id = ?")) {
            s.setString(1, callId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(callRow(rs)) : Optional.empty();
            }
        }
    }

    /** One call's timeline, or empty if the store has no summary for it. */
    public Optional<CallTimeline> timeline(String callId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            CallRow call;
            JsonNode thresholds;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + CALL_COLUMNS + ", thresholds::text AS thresholds_json FROM calls WHERE call_id = ?")) {
                s.setString(1, callId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    call = callRow(rs);
                    thresholds = parse(rs.getString("thresholds_json"));
                }
            }
            List<CallTimeline.Segment> segments = new ArrayList<>();
            forEach(c, "SELECT role, seq, start_ms, end_ms, pitch_median_hz, pitch_range_semitones, loudness_dbfs,"
                    + " voiced_ratio FROM segments WHERE call_id = ? ORDER BY start_ms, role, seq", callId,
                    rs -> segments.add(new CallTimeline.Segment(rs.getString(1), rs.getInt(2), rs.getLong(3),
                            rs.getLong(4), rs.getObject(5, Double.class), rs.getObject(6, Double.class),
                            rs.getDouble(7), rs.getDouble(8))));
            List<CallTimeline.Utterance> utterances = new ArrayList<>();
            forEach(c, "SELECT role, seq, start_ms, end_ms, text, words::text FROM utterances WHERE call_id = ?"
                    + " ORDER BY start_ms, role, seq", callId,
                    rs -> utterances.add(new CallTimeline.Utterance(rs.getString(1), rs.getInt(2), rs.getLong(3),
                            rs.getLong(4), rs.getString(5), parse(rs.getString(6)))));
            List<CallTimeline.Interruption> interruptions = new ArrayList<>();
            forEach(c, "SELECT seq, by_role, of_role, start_ms, overlap_ms, successful, by_words, of_words"
                    + " FROM interruptions WHERE call_id = ? ORDER BY seq", callId,
                    rs -> interruptions.add(new CallTimeline.Interruption(rs.getInt(1), rs.getString(2),
                            rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getBoolean(6), rs.getString(7),
                            rs.getString(8))));
            List<CallTimeline.Backchannel> backchannels = new ArrayList<>();
            forEach(c, "SELECT seq, by_role, start_ms, end_ms, text FROM backchannels WHERE call_id = ? ORDER BY seq",
                    callId, rs -> backchannels.add(new CallTimeline.Backchannel(rs.getInt(1), rs.getString(2),
                            rs.getLong(3), rs.getLong(4), rs.getString(5))));
            List<CallTimeline.ResponseGap> gaps = new ArrayList<>();
            forEach(c, "SELECT seq, customer_end_ms, agent_start_ms, gap_ms, respected FROM response_gaps"
                    + " WHERE call_id = ? ORDER BY seq", callId,
                    rs -> gaps.add(new CallTimeline.ResponseGap(rs.getInt(1), rs.getLong(2), rs.getLong(3),
                            rs.getLong(4), rs.getBoolean(5))));
            List<CallTimeline.DeadAir> deadAir = new ArrayList<>();
            forEach(c, "SELECT seq, start_ms, end_ms FROM dead_air WHERE call_id = ? ORDER BY seq", callId,
                    rs -> deadAir.add(new CallTimeline.DeadAir(rs.getInt(1), rs.getLong(2), rs.getLong(3))));
            return Optional.of(new CallTimeline(call, thresholds, segments, utterances, interruptions, backchannels,
                    gaps, deadAir));
        }
    }

    /**
     * An agent's calls in {@code [from, to)} summed from {@code calls} (any range, not tied to
     * window boundaries); {@code visibleTeams} limits it to those teams' calls (null: all).
     */
    public Aggregate agentAggregate(String agentId, Instant from, Instant to, Set<String> visibleTeams)
            throws SQLException {
        return aggregate("AGENT", agentId, CallFilter.all().withAgent(agentId).withRange(from, to)
                .withVisibleTeams(visibleTeams));
    }

    /** A team's calls in {@code [from, to)} summed from {@code calls}. */
    public Aggregate teamAggregate(String team, Instant from, Instant to) throws SQLException {
        return aggregate("TEAM", team, CallFilter.all().withTeam(team).withRange(from, to));
    }

    /**
     * Whether any call of {@code agentId} belongs to one of {@code teams}: a supervisor sees an
     * agent who has taken calls for one of their teams.
     */
    public boolean agentWorksFor(String agentId, Set<String> teams) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT EXISTS (SELECT 1 FROM calls WHERE agent_id = ? AND team = ANY (?))")) {
            s.setString(1, agentId);
            s.setArray(2, c.createArrayOf("text", teams.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The HOURLY or DAILY windows of one agent, team or queue starting in {@code [from, to)}, in time order. */
    public List<WindowPoint> series(WindowPoint.Scope scope, String key, WindowPoint.Kind kind, Instant from,
            Instant to) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT window_start, window_end, call_time_ms, agent_talk_ms,"
                + " customer_talk_ms, overlap_ms, silence_ms, agent_interruptions, agent_interruption_overlap_ms,"
                + " customer_interruptions, agent_backchannels, customer_backchannels, transfers,"
                + " respected_transfers, response_gap_sum_ms, pause_intrusions, calls_ended, agent_talk_share,"
                + " agent_interruptions_per_10min, pause_respect_rate, mean_response_gap_ms FROM agent_windows"
                + " WHERE scope = ? AND key = ? AND window_kind = ?");
        List<Object> params = new ArrayList<>(List.of(scope.name(), key, kind.name()));
        if (from != null) {
            sql.append(" AND window_start >= ?");
            params.add(from);
        }
        if (to != null) {
            sql.append(" AND window_start < ?");
            params.add(to);
        }
        sql.append(" ORDER BY window_start");
        List<WindowPoint> points = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            bind(c, s, params);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    points.add(new WindowPoint(instant(rs, "window_start"), instant(rs, "window_end"),
                            rs.getLong("call_time_ms"), rs.getLong("agent_talk_ms"), rs.getLong("customer_talk_ms"),
                            rs.getLong("overlap_ms"), rs.getLong("silence_ms"), rs.getLong("agent_interruptions"),
                            rs.getLong("agent_interruption_overlap_ms"), rs.getLong("customer_interruptions"),
                            rs.getLong("agent_backchannels"), rs.getLong("customer_backchannels"),
                            rs.getLong("transfers"), rs.getLong("respected_transfers"),
                            rs.getLong("response_gap_sum_ms"), rs.getLong("pause_intrusions"),
                            rs.getLong("calls_ended"), rs.getObject("agent_talk_share", Double.class),
                            rs.getObject("agent_interruptions_per_10min", Double.class),
                            rs.getObject("pause_respect_rate", Double.class),
                            rs.getObject("mean_response_gap_ms", Long.class)));
                }
            }
        }
        return points;
    }

    /**
     * Sums the selected calls. The response-gap sum comes from the {@code response_gaps} rows
     * (exact milliseconds), not from the calls' rounded means.
     */
    private Aggregate aggregate(String scope, String key, CallFilter filter) throws SQLException {
        Where where = where(filter);
        String sql = "WITH sel AS (SELECT * FROM calls" + where.sql + ")"
                + " SELECT count(*), coalesce(sum(duration_ms), 0), coalesce(sum(agent_talk_ms), 0),"
                + " coalesce(sum(customer_talk_ms), 0), coalesce(sum(overlap_ms), 0), coalesce(sum(silence_ms), 0),"
                + " coalesce(sum(agent_interruptions), 0), coalesce(sum(customer_interruptions), 0),"
                + " coalesce(sum(agent_backchannels), 0), coalesce(sum(customer_backchannels), 0),"
                + " coalesce(sum(transfers), 0), coalesce(sum(respected_transfers), 0),"
                + " (SELECT coalesce(sum(g.gap_ms), 0) FROM response_gaps g JOIN sel USING (call_id)),"
                + " coalesce(sum(pause_intrusions), 0), coalesce(sum(dead_air_count), 0),"
                + " coalesce(sum(dead_air_ms), 0) FROM sel";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, where.params);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return Aggregate.of(scope, key, filter.from(), filter.to(), rs.getLong(1), rs.getLong(2),
                        rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                        rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13),
                        rs.getLong(14), rs.getLong(15), rs.getLong(16));
            }
        }
    }

    private record Where(String sql, List<Object> params) {
    }

    private static Where where(CallFilter f) {
        List<String> clauses = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (f.agent() != null) {
            clauses.add("agent_id = ?");
            params.add(f.agent());
        }
        if (f.team() != null) {
            clauses.add("team = ?");
            params.add(f.team());
        }
        if (f.queue() != null) {
            clauses.add("queue = ?");
            params.add(f.queue());
        }
        if (f.from() != null) {
            clauses.add("media_start >= ?");
            params.add(f.from());
        }
        if (f.to() != null) {
            clauses.add("media_start < ?");
            params.add(f.to());
        }
        if (f.minInterruptionsPer10Min() != null) {
            clauses.add("agent_interruptions_per_10min >= ?");
            params.add(f.minInterruptionsPer10Min());
        }
        if (f.maxInterruptionsPer10Min() != null) {
            clauses.add("agent_interruptions_per_10min <= ?");
            params.add(f.maxInterruptionsPer10Min());
        }
        switch (f.talkShare()) {
            case OUTSIDE -> clauses.add("(agent_talk_share < talk_share_low OR agent_talk_share > talk_share_high)");
            case INSIDE -> clauses.add("agent_talk_share BETWEEN talk_share_low AND talk_share_high");
            case ANY -> { }
        }
        if (f.minDurationMs() != null) {
            clauses.add("duration_ms >= ?");
            params.add(f.minDurationMs());
        }
        if (f.endReason() != null) {
            clauses.add("end_reason = ?");
            params.add(f.endReason());
        }
        if (f.visibleTeams() != null) {
            clauses.add("team = ANY (?)");
            params.add(f.visibleTeams());
        }
        return new Where(clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses), params);
    }

    private static void bind(Connection c, PreparedStatement s, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Instant instant) {
                s.setObject(i + 1, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
            } else if (p instanceof Set<?> set) {
                s.setArray(i + 1, c.createArrayOf("text", set.toArray()));
            } else {
                s.setObject(i + 1, p);
            }
        }
    }

    private static CallRow callRow(ResultSet rs) throws SQLException {
        return new CallRow(rs.getString("call_id"), rs.getString("agent_id"), rs.getString("team"),
                rs.getString("queue"), instant(rs, "media_start"), instant(rs, "emitted_at"),
                rs.getString("end_reason"), rs.getLong("duration_ms"), rs.getLong("agent_talk_ms"),
                rs.getLong("customer_talk_ms"), rs.getLong("overlap_ms"), rs.getLong("silence_ms"),
                rs.getObject("agent_talk_share", Double.class), rs.getDouble("talk_share_low"),
                rs.getDouble("talk_share_high"), rs.getLong("agent_interruptions"),
                rs.getLong("customer_interruptions"), rs.getObject("agent_interruptions_per_10min", Double.class),
                rs.getLong("agent_backchannels"), rs.getLong("customer_backchannels"), rs.getLong("transfers"),
                rs.getLong("respected_transfers"), rs.getObject("pause_respect_rate", Double.class),
                rs.getObject("mean_response_gap_ms", Long.class), rs.getLong("pause_intrusions"),
                rs.getLong("dead_air_count"), rs.getLong("dead_air_ms"), rs.getLong("longest_agent_monologue_ms"),
                rs.getLong("longest_customer_story_ms"), rs.getLong("transcription_skipped_regions"),
                rs.getLong("transcription_skipped_speech_ms"), rs.getLong("max_transcription_lag_ms"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private static void forEach(Connection c, String sql, String callId, RowReader reader) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, callId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        }
    }

    private JsonNode parse(String text) throws SQLException {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("the store holds invalid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
