package io.earshot.pipeline.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.analysis.listening.ListeningCounts;
import io.earshot.analysis.metrics.ListeningTotals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The analysts' read side of the store: calls by agent, team, queue and time with filters,
 * paging and sort; per-agent and per-team aggregates re-divided from sums; hourly and daily
 * window series; one call's full timeline; agents and teams ranked by listening score, and an
 * agent's strengths, gaps and most frequent coaching notes. Every value from a caller is a bound
 * parameter; the only SQL text that varies is built from {@link CallFilter.SortField}'s
 * whitelist and from which filters are present.
 *
 * <p>Listening scores of sums (aggregates, rankings, coaching) are computed here with the
 * {@link WindowMetrics.Scoring} the metric job is configured with, so an aggregate is scored by the
 * rules its windows were scored by.
 */
public final class CallQueries {

    /**
     * Keeps an agent window {@code w} only if its agent took no call in it for a team outside the
     * bound array (nor one without a team): one parameter, the visible teams.
     */
    private static final String NO_OTHER_TEAMS_CALLS_IN_WINDOW = " AND NOT EXISTS (SELECT 1 FROM calls o"
            + " WHERE o.agent_id = w.key AND (o.team IS NULL OR NOT (o.team = ANY (?)))"
            + " AND o.media_start < w.window_end"
            + " AND o.media_start + o.duration_ms * interval '1 millisecond' > w.window_start)";
    private static final String CALL_COLUMNS = "call_id, agent_id, team, queue, media_start, emitted_at, end_reason,"
            + " duration_ms, agent_talk_ms, customer_talk_ms, overlap_ms, silence_ms, agent_talk_share,"
            + " talk_share_low, talk_share_high, agent_interruptions, customer_interruptions,"
            + " agent_interruptions_per_10min, agent_backchannels, customer_backchannels, transfers,"
            + " respected_transfers, pause_respect_rate, mean_response_gap_ms, pause_intrusions, dead_air_count,"
            + " dead_air_ms, longest_agent_monologue_ms, longest_customer_story_ms, transcription_skipped_regions,"
            + " transcription_skipped_speech_ms, max_transcription_lag_ms, listening_score, redaction";

    /**
     * The additive columns of {@code agent_windows}: what {@link #totals} reads, by name, from a
     * window row or from sums aliased to the same names.
     */
    private static final List<String> WINDOW_SUMS = List.of("call_time_ms", "agent_talk_ms", "customer_talk_ms",
            "overlap_ms", "silence_ms", "agent_interruptions", "agent_interruption_overlap_ms",
            "customer_interruptions", "agent_backchannels", "customer_backchannels", "transfers",
            "respected_transfers", "response_gap_sum_ms", "pause_intrusions", "calls_ended", "agent_paraphrases",
            "agent_summaries", "agent_empathy", "agent_apologies", "agent_open_questions",
            "agent_clarifying_questions", "agent_closed_questions", "agent_follow_ups", "agent_raised_voice",
            "agent_monotone", "agent_fast_speech", "customer_raised_voice", "customer_agitation");

    /**
     * The behaviour and tone counts of the selected calls ({@code sel}) from their evidence rows,
     * aliased to the {@code agent_windows} column names. The same rule as
     * {@code ListeningCounts.of}: the agent's behaviours by kind; raised voice by either party;
     * monotone and fast speech by the agent; agitation by the customer.
     */
    private static final String LISTENING_COUNTS_OF_SELECTED_CALLS = "beh AS (SELECT"
            + " count(*) FILTER (WHERE b.kind = 'paraphrase') AS agent_paraphrases,"
            + " count(*) FILTER (WHERE b.kind = 'summary') AS agent_summaries,"
            + " count(*) FILTER (WHERE b.kind = 'empathy') AS agent_empathy,"
            + " count(*) FILTER (WHERE b.kind = 'apology') AS agent_apologies,"
            + " count(*) FILTER (WHERE b.kind = 'open_question') AS agent_open_questions,"
            + " count(*) FILTER (WHERE b.kind = 'clarifying_question') AS agent_clarifying_questions,"
            + " count(*) FILTER (WHERE b.kind = 'closed_question') AS agent_closed_questions,"
            + " count(*) FILTER (WHERE b.kind = 'follow_up') AS agent_follow_ups"
            + " FROM behaviours b JOIN sel USING (call_id) WHERE b.by_role = 'AGENT'),"
            + " tone AS (SELECT"
            + " count(*) FILTER (WHERE t.by_role = 'AGENT' AND t.kind = 'raised_voice') AS agent_raised_voice,"
            + " count(*) FILTER (WHERE t.by_role = 'AGENT' AND t.kind = 'monotone') AS agent_monotone,"
            + " count(*) FILTER (WHERE t.by_role = 'AGENT' AND t.kind = 'fast_speech') AS agent_fast_speech,"
            + " count(*) FILTER (WHERE t.by_role <> 'AGENT' AND t.kind = 'raised_voice') AS customer_raised_voice,"
            + " count(*) FILTER (WHERE t.by_role <> 'AGENT' AND t.kind = 'agitation') AS customer_agitation"
            + " FROM tone_events t JOIN sel USING (call_id))";

    /** A component earning at least this share of its weight is a strength. */
    public static final double STRENGTH_MIN_FRACTION = 0.8;

    /** A component earning at most this share of its weight is a gap. */
    public static final double GAP_MAX_FRACTION = 0.5;

    /** Rows fetched per round trip when streaming an export. */
    private static final int EXPORT_FETCH_SIZE = 500;

    private final DataSource dataSource;
    private final WindowMetrics.Scoring scoring;
    private final ObjectMapper json = new ObjectMapper();

    /** Queries that score sums with the default listening-score settings. */
    public CallQueries(DataSource dataSource) {
        this(dataSource, WindowMetrics.Scoring.DEFAULTS);
    }

    /** Queries that score sums with {@code scoring}: the metric job's configured score and talk-share band. */
    public CallQueries(DataSource dataSource, WindowMetrics.Scoring scoring) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.scoring = Objects.requireNonNull(scoring, "scoring");
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
            Map<String, Double> speakingRate = new LinkedHashMap<>();
            JsonNode baselines;
            ListeningScoreView score;
            try (PreparedStatement s = c.prepareStatement("SELECT " + CALL_COLUMNS
                    + ", thresholds::text AS thresholds_json, listening_score_detail::text AS score_json,"
                    + " agent_speaking_rate_wpm, customer_speaking_rate_wpm, voice_baselines::text AS baselines_json"
                    + " FROM calls WHERE call_id = ?")) {
                s.setString(1, callId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    call = callRow(rs);
                    thresholds = parse(rs.getString("thresholds_json"));
                    speakingRate.put("AGENT", rs.getObject("agent_speaking_rate_wpm", Double.class));
                    speakingRate.put("CUSTOMER", rs.getObject("customer_speaking_rate_wpm", Double.class));
                    String baselinesJson = rs.getString("baselines_json");
                    baselines = baselinesJson == null ? json.createArrayNode() : parse(baselinesJson);
                    String scoreJson = rs.getString("score_json");
                    score = scoreJson == null ? null : storedScore(call.listeningScore(), parse(scoreJson));
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
            List<CallTimeline.Behaviour> behaviours = new ArrayList<>();
            forEach(c, "SELECT by_role, kind, start_ms, end_ms, text, reason FROM behaviours WHERE call_id = ?"
                    + " ORDER BY seq", callId,
                    rs -> behaviours.add(new CallTimeline.Behaviour(rs.getString(1), rs.getString(2), rs.getLong(3),
                            rs.getLong(4), rs.getString(5), rs.getString(6))));
            List<CallTimeline.ToneEvent> tone = new ArrayList<>();
            forEach(c, "SELECT by_role, kind, start_ms, end_ms, \"values\"::text FROM tone_events WHERE call_id = ?"
                    + " ORDER BY seq", callId,
                    rs -> tone.add(new CallTimeline.ToneEvent(rs.getString(1), rs.getString(2), rs.getLong(3),
                            rs.getLong(4), parse(rs.getString(5)))));
            List<CallTimeline.Coaching> coaching = new ArrayList<>();
            forEach(c, "SELECT kind, at_ms, message FROM coaching_notes WHERE call_id = ? ORDER BY seq", callId,
                    rs -> coaching.add(new CallTimeline.Coaching(rs.getString(1), rs.getLong(2), rs.getString(3))));
            return Optional.of(new CallTimeline(call, thresholds, segments, utterances, interruptions, backchannels,
                    gaps, deadAir, behaviours, tone, speakingRate, baselines, score, coaching));
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
        return series(scope, key, kind, from, to, null);
    }

    /**
     * As {@link #series(WindowPoint.Scope, String, WindowPoint.Kind, Instant, Instant)}, for a
     * viewer who sees only {@code visibleTeams} (null: all): an agent's window sums every call the
     * agent took, so only the windows in which the agent took no call of another team (or of
     * none) are returned.
     */
    public List<WindowPoint> series(WindowPoint.Scope scope, String key, WindowPoint.Kind kind, Instant from,
            Instant to, Set<String> visibleTeams) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT window_start, window_end, " + String.join(", ", WINDOW_SUMS)
                + ", agent_talk_share, agent_interruptions_per_10min, pause_respect_rate, mean_response_gap_ms,"
                + " listening_score FROM agent_windows w WHERE scope = ? AND key = ? AND window_kind = ?");
        List<Object> params = new ArrayList<>(List.of(scope.name(), key, kind.name()));
        if (scope == WindowPoint.Scope.AGENT && visibleTeams != null) {
            sql.append(NO_OTHER_TEAMS_CALLS_IN_WINDOW);
            params.add(visibleTeams);
        }
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
                    ListeningTotals t = totals(rs);
                    points.add(new WindowPoint(instant(rs, "window_start"), instant(rs, "window_end"),
                            t.callTimeMs(), t.agentTalkMs(), t.customerTalkMs(), t.overlapMs(), t.silenceMs(),
                            t.agentInterruptions(), t.agentInterruptionOverlapMs(), t.customerInterruptions(),
                            t.agentBackchannels(), t.customerBackchannels(), t.transfers(), t.respectedTransfers(),
                            t.responseGapSumMs(), t.pauseIntrusions(), t.callsEnded(),
                            rs.getObject("agent_talk_share", Double.class),
                            rs.getObject("agent_interruptions_per_10min", Double.class),
                            rs.getObject("pause_respect_rate", Double.class),
                            rs.getObject("mean_response_gap_ms", Long.class), t.listening(),
                            rs.getObject("listening_score", Double.class)));
                }
            }
        }
        return points;
    }

    /**
     * Sums the selected calls. The response-gap sum comes from the {@code response_gaps} rows
     * (exact milliseconds), not from the calls' rounded means; the behaviour and tone counts
     * from the calls' {@code behaviours} and {@code tone_events} rows.
     */
    private Aggregate aggregate(String scope, String key, CallFilter filter) throws SQLException {
        Where where = where(filter);
        String sql = "WITH sel AS (SELECT * FROM calls" + where.sql + "),"
                + " sums AS (SELECT count(*) AS calls_ended, coalesce(sum(duration_ms), 0) AS call_time_ms,"
                + " coalesce(sum(agent_talk_ms), 0) AS agent_talk_ms,"
                + " coalesce(sum(customer_talk_ms), 0) AS customer_talk_ms, coalesce(sum(overlap_ms), 0) AS overlap_ms,"
                + " coalesce(sum(silence_ms), 0) AS silence_ms,"
                + " coalesce(sum(agent_interruptions), 0) AS agent_interruptions,"
                + " coalesce(sum(customer_interruptions), 0) AS customer_interruptions,"
                + " coalesce(sum(agent_backchannels), 0) AS agent_backchannels,"
                + " coalesce(sum(customer_backchannels), 0) AS customer_backchannels,"
                + " coalesce(sum(transfers), 0) AS transfers, coalesce(sum(respected_transfers), 0) AS respected_transfers,"
                + " coalesce(sum(pause_intrusions), 0) AS pause_intrusions,"
                + " coalesce(sum(dead_air_count), 0) AS dead_air_count, coalesce(sum(dead_air_ms), 0) AS dead_air_ms"
                + " FROM sel),"
                + " gaps AS (SELECT coalesce(sum(g.gap_ms), 0) AS response_gap_sum_ms"
                + " FROM response_gaps g JOIN sel USING (call_id)),"
                + " cuts AS (SELECT coalesce(sum(i.overlap_ms), 0) AS agent_interruption_overlap_ms"
                + " FROM interruptions i JOIN sel USING (call_id) WHERE i.by_role = 'AGENT'),"
                + " " + LISTENING_COUNTS_OF_SELECTED_CALLS
                + " SELECT * FROM sums, gaps, cuts, beh, tone";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, where.params);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return Aggregate.of(scope, key, filter.from(), filter.to(), totals(rs), rs.getLong("dead_air_count"),
                        rs.getLong("dead_air_ms"), scoring);
            }
        }
    }

    /**
     * Agents (or teams) ranked by the listening score of their {@code window} windows starting in
     * {@code [from, to)}, summed: best first, those without a score last, ties by key.
     *
     * @param teams for AGENT scope, only agents who have taken calls for one of these teams, each
     *              shown with the team of its latest such call; for TEAM scope, only these teams
     *              (null: everyone, agents shown with the team of their latest call)
     * @param limit at most this many entries
     */
    public List<Ranking.Entry> ranking(WindowPoint.Scope scope, WindowPoint.Kind window, Instant from, Instant to,
            Set<String> teams, int limit) throws SQLException {
        return ranking(scope, window, from, to, teams, null, limit);
    }

    /**
     * As {@link #ranking(WindowPoint.Scope, WindowPoint.Kind, Instant, Instant, Set, int)}, for a
     * viewer who sees only {@code windowTeams} (null: all): an agent is ranked on the windows in
     * which the agent took no call of another team only (a window sums every call of its agent).
     */
    public List<Ranking.Entry> ranking(WindowPoint.Scope scope, WindowPoint.Kind window, Instant from, Instant to,
            Set<String> teams, Set<String> windowTeams, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        String sums = WINDOW_SUMS.stream().map(c -> "sum(w." + c + ")::bigint AS " + c)
                .collect(Collectors.joining(", "));
        if (scope == WindowPoint.Scope.AGENT) {
            sql.append("WITH teams AS (SELECT DISTINCT ON (agent_id) agent_id, team FROM calls");
            if (teams != null) {
                sql.append(" WHERE team = ANY (?)");
                params.add(teams);
            }
            sql.append(" ORDER BY agent_id, media_start DESC, call_id DESC)")
                    .append(" SELECT w.key, teams.team, ").append(sums).append(" FROM agent_windows w")
                    .append(teams != null ? " JOIN" : " LEFT JOIN").append(" teams ON teams.agent_id = w.key");
        } else {
            sql.append("SELECT w.key, NULL::text AS team, ").append(sums).append(" FROM agent_windows w");
        }
        sql.append(" WHERE w.scope = ? AND w.window_kind = ?");
        params.add(scope.name());
        params.add(window.name());
        if (scope == WindowPoint.Scope.AGENT && windowTeams != null) {
            sql.append(NO_OTHER_TEAMS_CALLS_IN_WINDOW);
            params.add(windowTeams);
        }
        if (scope != WindowPoint.Scope.AGENT && teams != null) {
            sql.append(" AND w.key = ANY (?)");
            params.add(teams);
        }
        if (from != null) {
            sql.append(" AND w.window_start >= ?");
            params.add(from);
        }
        if (to != null) {
            sql.append(" AND w.window_start < ?");
            params.add(to);
        }
        sql.append(scope == WindowPoint.Scope.AGENT ? " GROUP BY w.key, teams.team" : " GROUP BY w.key");
        List<Ranking.Entry> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            bind(c, s, params);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ListeningTotals t = totals(rs);
                    entries.add(new Ranking.Entry(rs.getString("key"), rs.getString("team"),
                            ListeningScoreView.of(Aggregate.score(t, scoring)), t.callsEnded(), t.callTimeMs(),
                            t.listening()));
                }
            }
        }
        entries.sort(Comparator.comparing((Ranking.Entry e) -> e.listeningScore().score(),
                Comparator.nullsLast(Comparator.reverseOrder())).thenComparing(Ranking.Entry::key));
        return entries.size() > limit ? List.copyOf(entries.subList(0, limit)) : entries;
    }

    /**
     * An agent's strengths and gaps over {@code [from, to)}: the components of the listening
     * score of the agent's summed calls (as {@link #agentAggregate}) earning at least
     * {@link #STRENGTH_MIN_FRACTION} or at most {@link #GAP_MAX_FRACTION} of their weight, and
     * the kinds of coaching note the calls got most often, each with its most recent example.
     */
    public AgentCoaching agentCoaching(String agentId, Instant from, Instant to, Set<String> visibleTeams)
            throws SQLException {
        CallFilter filter = CallFilter.all().withAgent(agentId).withRange(from, to).withVisibleTeams(visibleTeams);
        Aggregate a = aggregate("AGENT", agentId, filter);
        List<ListeningScoreView.Component> strengths = new ArrayList<>();
        List<ListeningScoreView.Component> gaps = new ArrayList<>();
        for (ListeningScoreView.Component k : a.listeningScore().components()) {
            if (k.counted()) {
                double fraction = k.points() / k.weight();
                if (fraction >= STRENGTH_MIN_FRACTION) {
                    strengths.add(k);
                } else if (fraction <= GAP_MAX_FRACTION) {
                    gaps.add(k);
                }
            }
        }
        Where where = where(filter);
        String sql = "WITH sel AS (SELECT call_id, media_start FROM calls" + where.sql + "),"
                + " notes AS (SELECT n.kind, n.call_id, n.at_ms, n.message,"
                + " count(*) OVER (PARTITION BY n.kind) AS kind_count,"
                + " row_number() OVER (PARTITION BY n.kind ORDER BY sel.media_start DESC, n.call_id DESC,"
                + " n.at_ms DESC, n.seq) AS recency"
                + " FROM coaching_notes n JOIN sel USING (call_id))"
                + " SELECT kind, kind_count, call_id, at_ms, message FROM notes WHERE recency = 1"
                + " ORDER BY kind_count DESC, kind";
        List<AgentCoaching.NoteKind> notes = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, where.params);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    notes.add(new AgentCoaching.NoteKind(rs.getString("kind"), rs.getLong("kind_count"),
                            new AgentCoaching.Example(rs.getString("call_id"), rs.getLong("at_ms"),
                                    rs.getString("message"))));
                }
            }
        }
        return new AgentCoaching(agentId, from, to, a.calls(), a.listeningScore(), strengths, gaps, notes);
    }

    /** The totals of a row holding the {@link #WINDOW_SUMS} columns. */
    private static ListeningTotals totals(ResultSet rs) throws SQLException {
        ListeningCounts counts = new ListeningCounts(rs.getLong("agent_paraphrases"), rs.getLong("agent_summaries"),
                rs.getLong("agent_empathy"), rs.getLong("agent_apologies"), rs.getLong("agent_open_questions"),
                rs.getLong("agent_clarifying_questions"), rs.getLong("agent_closed_questions"),
                rs.getLong("agent_follow_ups"), rs.getLong("agent_raised_voice"), rs.getLong("agent_monotone"),
                rs.getLong("agent_fast_speech"), rs.getLong("customer_raised_voice"),
                rs.getLong("customer_agitation"));
        return new ListeningTotals(rs.getLong("call_time_ms"), rs.getLong("agent_talk_ms"),
                rs.getLong("customer_talk_ms"), rs.getLong("overlap_ms"), rs.getLong("silence_ms"),
                rs.getLong("agent_interruptions"), rs.getLong("agent_interruption_overlap_ms"),
                rs.getLong("customer_interruptions"), rs.getLong("agent_backchannels"),
                rs.getLong("customer_backchannels"), rs.getLong("transfers"), rs.getLong("respected_transfers"),
                rs.getLong("response_gap_sum_ms"), rs.getLong("pause_intrusions"), rs.getLong("calls_ended"), counts);
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
        if (f.minScore() != null) {
            clauses.add("listening_score >= ?");
            params.add(f.minScore());
        }
        if (f.maxScore() != null) {
            clauses.add("listening_score <= ?");
            params.add(f.maxScore());
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
                rs.getLong("transcription_skipped_speech_ms"), rs.getLong("max_transcription_lag_ms"),
                rs.getObject("listening_score", Double.class), rs.getString("redaction"));
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

    /** A call's score from its {@code listening_score} and {@code listening_score_detail} columns. */
    private static ListeningScoreView storedScore(Double score, JsonNode detail) {
        List<ListeningScoreView.Component> components = new ArrayList<>();
        for (JsonNode k : detail.path("components")) {
            JsonNode value = k.path("value");
            components.add(new ListeningScoreView.Component(k.path("name").asText(),
                    value.isNumber() ? value.asDouble() : null, k.path("weight").asDouble(),
                    k.path("points").asDouble()));
        }
        Map<String, Double> thresholds = new LinkedHashMap<>();
        detail.path("thresholds").fields().forEachRemaining(e -> thresholds.put(e.getKey(), e.getValue().asDouble()));
        return new ListeningScoreView(score, components, thresholds);
    }

    private JsonNode parse(String text) throws SQLException {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("the store holds invalid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
