package io.earshot.pipeline.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.BackchannelDetected;
import io.earshot.schemas.BehaviourDetected;
import io.earshot.schemas.CoachingNote;
import io.earshot.schemas.ListeningScore;
import io.earshot.schemas.ScoreComponent;
import io.earshot.schemas.ToneEventDetected;
import io.earshot.schemas.VoiceBaseline;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.DeadAirDetected;
import io.earshot.schemas.InterruptionDetected;
import io.earshot.schemas.ListeningTotals;
import io.earshot.schemas.MetricThresholds;
import io.earshot.schemas.ResponseGapMeasured;
import io.earshot.schemas.Role;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.UtteranceTranscribed;
import io.earshot.schemas.Word;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the Avro outputs into the tables of {@code db/migration} on one connection: every
 * write is a keyed upsert ({@code INSERT ... ON CONFLICT DO UPDATE}), and a call's evidence
 * rows are deleted and inserted anew with its summary, so writing a record twice, or an older
 * and then a newer version of it, leaves exactly the newer version. The caller owns the
 * transaction. Statements are prepared once per instance, so make one per unit of work.
 */
final class StoreRows implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String UPSERT_CALL = upsert("calls", List.of("call_id"), List.of(
            "call_id", "agent_id", "team", "queue", "media_start", "emitted_at", "end_reason",
            "duration_ms", "agent_talk_ms", "customer_talk_ms", "overlap_ms", "silence_ms", "agent_talk_share",
            "agent_interruptions", "customer_interruptions", "agent_interruptions_per_10min",
            "agent_backchannels", "customer_backchannels", "transfers", "respected_transfers",
            "pause_respect_rate", "mean_response_gap_ms", "pause_intrusions", "dead_air_count", "dead_air_ms",
            "longest_agent_monologue_ms", "longest_customer_story_ms", "talk_share_low", "talk_share_high",
            "transcription_skipped_regions", "transcription_skipped_speech_ms", "max_transcription_lag_ms",
            "thresholds", "listening_score", "listening_score_detail", "agent_speaking_rate_wpm",
            "customer_speaking_rate_wpm", "voice_baselines", "redaction"),
            Set.of("thresholds", "listening_score_detail", "voice_baselines"));

    static final String UPSERT_WINDOW = upsert("agent_windows", List.of("scope", "key", "window_kind", "window_start"),
            List.of("scope", "key", "window_kind", "window_start", "window_end", "call_time_ms", "agent_talk_ms",
                    "customer_talk_ms", "overlap_ms", "silence_ms", "agent_interruptions",
                    "agent_interruption_overlap_ms", "customer_interruptions", "agent_backchannels",
                    "customer_backchannels", "transfers", "respected_transfers", "response_gap_sum_ms",
                    "pause_intrusions", "calls_ended", "agent_talk_share", "agent_interruptions_per_10min",
                    "pause_respect_rate", "mean_response_gap_ms", "agent_paraphrases", "agent_summaries",
                    "agent_empathy", "agent_apologies", "agent_open_questions", "agent_clarifying_questions",
                    "agent_closed_questions", "agent_follow_ups", "agent_raised_voice", "agent_monotone",
                    "agent_fast_speech", "customer_raised_voice", "customer_agitation", "listening_score",
                    "listening_score_detail"), Set.of("listening_score_detail"));

    static final String UPSERT_SEGMENT = upsert("segments", List.of("call_id", "role", "seq"),
            List.of("call_id", "role", "seq", "start_ms", "end_ms", "pitch_median_hz", "pitch_range_semitones",
                    "loudness_dbfs", "voiced_ratio"), Set.of());

    static final String UPSERT_UTTERANCE = upsert("utterances", List.of("call_id", "role", "seq"),
            List.of("call_id", "role", "seq", "start_ms", "end_ms", "text", "words"), Set.of("words"));

    /** The evidence tables of a call, replaced as a whole with its summary. */
    static final List<String> CALL_CHILD_TABLES = List.of("interruptions", "backchannels", "response_gaps", "dead_air",
            "behaviours", "tone_events", "coaching_notes");

    private static final String INSERT_INTERRUPTION = "INSERT INTO interruptions "
            + "(call_id, seq, by_role, of_role, start_ms, overlap_ms, successful, by_words, of_words) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_BACKCHANNEL = "INSERT INTO backchannels "
            + "(call_id, seq, by_role, start_ms, end_ms, text) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_RESPONSE_GAP = "INSERT INTO response_gaps "
            + "(call_id, seq, customer_end_ms, agent_start_ms, gap_ms, respected) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_BEHAVIOUR = "INSERT INTO behaviours "
            + "(call_id, seq, by_role, kind, start_ms, end_ms, text, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_TONE_EVENT = "INSERT INTO tone_events "
            + "(call_id, seq, by_role, kind, start_ms, end_ms, \"values\") VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)";
    private static final String INSERT_COACHING_NOTE = "INSERT INTO coaching_notes "
            + "(call_id, seq, kind, at_ms, message) VALUES (?, ?, ?, ?, ?)";
    private static final String INSERT_DEAD_AIR = "INSERT INTO dead_air (call_id, seq, start_ms, end_ms) VALUES (?, ?, ?, ?)";

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    StoreRows(Connection connection) {
        this.connection = connection;
    }

    /** The call's row and its evidence rows, replacing whatever was stored for the call. */
    void writeCall(CallSummaryComputed s) throws SQLException {
        PreparedStatement call = statement(UPSERT_CALL);
        int i = 0;
        MetricThresholds t = s.getThresholds();
        call.setString(++i, s.getCallId());
        call.setString(++i, s.getAgentId());
        call.setString(++i, s.getTeam());
        call.setString(++i, s.getQueue());
        call.setObject(++i, timestamp(s.getMediaStartTime()));
        call.setObject(++i, timestamp(s.getEmittedAt()));
        call.setString(++i, s.getEndReason());
        call.setLong(++i, s.getDurationMs());
        call.setLong(++i, s.getAgentTalkMs());
        call.setLong(++i, s.getCustomerTalkMs());
        call.setLong(++i, s.getOverlapMs());
        call.setLong(++i, s.getSilenceMs());
        setDouble(call, ++i, s.getAgentTalkShare());
        call.setLong(++i, s.getAgentInterruptions());
        call.setLong(++i, s.getInterruptions().stream().filter(x -> x.getBy() == Role.CUSTOMER).count());
        setDouble(call, ++i, s.getAgentInterruptionsPer10Min());
        call.setLong(++i, s.getBackchannels().stream().filter(b -> b.getBy() == Role.AGENT).count());
        call.setLong(++i, s.getBackchannels().stream().filter(b -> b.getBy() == Role.CUSTOMER).count());
        call.setLong(++i, s.getResponseGaps().size());
        call.setLong(++i, s.getResponseGaps().stream().filter(ResponseGapMeasured::getRespected).count());
        setDouble(call, ++i, s.getPauseRespectRate());
        setLong(call, ++i, s.getMeanResponseGapMs());
        call.setLong(++i, s.getPauseIntrusions().size());
        call.setLong(++i, s.getDeadAir().size());
        call.setLong(++i, s.getDeadAir().stream().mapToLong(d -> d.getEndMs() - d.getStartMs()).sum());
        call.setLong(++i, s.getLongestAgentMonologueMs());
        call.setLong(++i, s.getLongestCustomerStoryMs());
        call.setDouble(++i, t.getTalkShareLow());
        call.setDouble(++i, t.getTalkShareHigh());
        call.setLong(++i, s.getTranscriptionSkippedRegions());
        call.setLong(++i, s.getTranscriptionSkippedSpeechMs());
        call.setLong(++i, s.getMaxTranscriptionLagMs());
        call.setString(++i, thresholdsJson(t));
        ListeningScore score = s.getListeningScore();
        setDouble(call, ++i, score == null ? null : score.getScore());
        call.setString(++i, score == null ? null : scoreJson(score));
        setDouble(call, ++i, rate(s.getVoiceBaselines(), Role.AGENT));
        setDouble(call, ++i, rate(s.getVoiceBaselines(), Role.CUSTOMER));
        call.setString(++i, baselinesJson(s.getVoiceBaselines()));
        call.setString(++i, s.getRedaction());
        call.executeUpdate();

        for (String table : CALL_CHILD_TABLES) {
            PreparedStatement delete = statement("DELETE FROM " + table + " WHERE call_id = ?");
            delete.setString(1, s.getCallId());
            delete.executeUpdate();
        }
        insertInterruptions(s.getCallId(), s.getInterruptions());
        insertBackchannels(s.getCallId(), s.getBackchannels());
        insertResponseGaps(s.getCallId(), s.getResponseGaps());
        insertDeadAir(s.getCallId(), s.getDeadAir());
        insertListening(s);
    }

    void writeWindow(AgentMetricsComputed w) throws SQLException {
        PreparedStatement p = statement(UPSERT_WINDOW);
        ListeningTotals t = w.getTotals();
        int i = 0;
        p.setString(++i, w.getScope().name());
        p.setString(++i, w.getKey());
        p.setString(++i, w.getWindow().name());
        p.setObject(++i, timestamp(w.getWindowStart()));
        p.setObject(++i, timestamp(w.getWindowEnd()));
        p.setLong(++i, t.getCallTimeMs());
        p.setLong(++i, t.getAgentTalkMs());
        p.setLong(++i, t.getCustomerTalkMs());
        p.setLong(++i, t.getOverlapMs());
        p.setLong(++i, t.getSilenceMs());
        p.setLong(++i, t.getAgentInterruptions());
        p.setLong(++i, t.getAgentInterruptionOverlapMs());
        p.setLong(++i, t.getCustomerInterruptions());
        p.setLong(++i, t.getAgentBackchannels());
        p.setLong(++i, t.getCustomerBackchannels());
        p.setLong(++i, t.getTransfers());
        p.setLong(++i, t.getRespectedTransfers());
        p.setLong(++i, t.getResponseGapSumMs());
        p.setLong(++i, t.getPauseIntrusions());
        p.setLong(++i, t.getCallsEnded());
        setDouble(p, ++i, w.getAgentTalkShare());
        setDouble(p, ++i, w.getAgentInterruptionsPer10Min());
        setDouble(p, ++i, w.getPauseRespectRate());
        setLong(p, ++i, w.getMeanResponseGapMs());
        p.setLong(++i, t.getAgentParaphrases());
        p.setLong(++i, t.getAgentSummaries());
        p.setLong(++i, t.getAgentEmpathy());
        p.setLong(++i, t.getAgentApologies());
        p.setLong(++i, t.getAgentOpenQuestions());
        p.setLong(++i, t.getAgentClarifyingQuestions());
        p.setLong(++i, t.getAgentClosedQuestions());
        p.setLong(++i, t.getAgentFollowUps());
        p.setLong(++i, t.getAgentRaisedVoice());
        p.setLong(++i, t.getAgentMonotone());
        p.setLong(++i, t.getAgentFastSpeech());
        p.setLong(++i, t.getCustomerRaisedVoice());
        p.setLong(++i, t.getCustomerAgitation());
        ListeningScore score = w.getListeningScore();
        setDouble(p, ++i, score == null ? null : score.getScore());
        p.setString(++i, score == null ? null : scoreJson(score));
        p.executeUpdate();
    }

    void writeSegment(SpeechSegmentDetected s) throws SQLException {
        PreparedStatement p = statement(UPSERT_SEGMENT);
        int i = 0;
        p.setString(++i, s.getCallId());
        p.setString(++i, s.getRole().name());
        p.setInt(++i, s.getSegmentIndex());
        p.setLong(++i, s.getStartMs());
        p.setLong(++i, s.getEndMs());
        setDouble(p, ++i, s.getPitchMedianHz());
        setDouble(p, ++i, s.getPitchRangeSemitones());
        p.setDouble(++i, s.getLoudnessDbfs());
        p.setDouble(++i, s.getVoicedRatio());
        p.executeUpdate();
    }

    void writeUtterance(UtteranceTranscribed u) throws SQLException {
        PreparedStatement p = statement(UPSERT_UTTERANCE);
        int i = 0;
        p.setString(++i, u.getCallId());
        p.setString(++i, u.getRole().name());
        p.setInt(++i, u.getUtteranceIndex());
        p.setLong(++i, u.getStartMs());
        p.setLong(++i, u.getEndMs());
        p.setString(++i, u.getText());
        p.setString(++i, wordsJson(u.getWords()));
        p.executeUpdate();
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement p : statements.values()) {
            try {
                p.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        statements.clear();
        if (first != null) {
            throw first;
        }
    }

    /** {@code MetricThresholds} as the JSON object of the {@code thresholds} column, keyed by the Avro field names. */
    static String thresholdsJson(MetricThresholds t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("interruptionMinOnsetMs", t.getInterruptionMinOnsetMs());
        o.put("interruptionMinOverlapMs", t.getInterruptionMinOverlapMs());
        o.put("interruptionSuccessWithinMs", t.getInterruptionSuccessWithinMs());
        o.put("backchannelMaxMs", t.getBackchannelMaxMs());
        o.put("backchannelTokenMaxMs", t.getBackchannelTokenMaxMs());
        o.put("continuationMs", t.getContinuationMs());
        ArrayNode tokens = o.putArray("backchannelTokens");
        t.getBackchannelTokens().forEach(tokens::add);
        o.put("pauseRespectMinGapMs", t.getPauseRespectMinGapMs());
        o.put("pauseIntrusionResumeWithinMs", t.getPauseIntrusionResumeWithinMs());
        o.put("deadAirMinMs", t.getDeadAirMinMs());
        o.put("talkShareLow", t.getTalkShareLow());
        o.put("talkShareHigh", t.getTalkShareHigh());
        return o.toString();
    }

    /** An utterance's words as the JSON array of the {@code words} column. */
    /** A listening score's components and thresholds, as the store's {@code listening_score_detail}. */
    static String scoreJson(ListeningScore score) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode components = o.putArray("components");
        for (ScoreComponent c : score.getComponents()) {
            ObjectNode n = components.addObject();
            n.put("name", c.getName());
            if (c.getValue() == null) {
                n.putNull("value");
            } else {
                n.put("value", c.getValue());
            }
            n.put("weight", c.getWeight());
            n.put("points", c.getPoints());
        }
        ObjectNode thresholds = o.putObject("thresholds");
        score.getThresholds().forEach(thresholds::put);
        return o.toString();
    }

    static String baselinesJson(List<VoiceBaseline> baselines) {
        ArrayNode a = JSON.createArrayNode();
        for (VoiceBaseline b : baselines) {
            ObjectNode n = a.addObject();
            n.put("role", b.getRole().name());
            n.put("pitchSemitones", b.getPitchSemitones());
            n.put("loudnessDbfs", b.getLoudnessDbfs());
            n.put("speakingRateWpm", b.getSpeakingRateWpm());
            n.put("speechMs", b.getSpeechMs());
            n.put("words", b.getWords());
        }
        return a.toString();
    }

    private static Double rate(List<VoiceBaseline> baselines, Role role) {
        return baselines.stream().filter(b -> b.getRole() == role).map(VoiceBaseline::getSpeakingRateWpm)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    private void insertListening(CallSummaryComputed s) throws SQLException {
        String callId = s.getCallId();
        if (!s.getBehaviours().isEmpty()) {
            PreparedStatement p = statement(INSERT_BEHAVIOUR);
            int seq = 0;
            for (BehaviourDetected b : s.getBehaviours()) {
                int i = 0;
                p.setString(++i, callId);
                p.setInt(++i, seq++);
                p.setString(++i, b.getBy().name());
                p.setString(++i, b.getKind());
                p.setLong(++i, b.getStartMs());
                p.setLong(++i, b.getEndMs());
                p.setString(++i, b.getText());
                p.setString(++i, b.getReason());
                p.addBatch();
            }
            p.executeBatch();
        }
        if (!s.getToneEvents().isEmpty()) {
            PreparedStatement p = statement(INSERT_TONE_EVENT);
            int seq = 0;
            for (ToneEventDetected e : s.getToneEvents()) {
                int i = 0;
                p.setString(++i, callId);
                p.setInt(++i, seq++);
                p.setString(++i, e.getBy().name());
                p.setString(++i, e.getKind());
                p.setLong(++i, e.getStartMs());
                p.setLong(++i, e.getEndMs());
                ObjectNode values = JSON.createObjectNode();
                e.getValues().forEach(values::put);
                p.setString(++i, values.toString());
                p.addBatch();
            }
            p.executeBatch();
        }
        if (!s.getCoaching().isEmpty()) {
            PreparedStatement p = statement(INSERT_COACHING_NOTE);
            int seq = 0;
            for (CoachingNote n : s.getCoaching()) {
                int i = 0;
                p.setString(++i, callId);
                p.setInt(++i, seq++);
                p.setString(++i, n.getKind());
                p.setLong(++i, n.getAtMs());
                p.setString(++i, n.getMessage());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    static String wordsJson(List<Word> words) {
        ArrayNode a = JSON.createArrayNode();
        for (Word w : words) {
            a.addObject().put("word", w.getWord()).put("startMs", w.getStartMs()).put("endMs", w.getEndMs())
                    .put("conf", w.getConf());
        }
        return a.toString();
    }

    private void insertInterruptions(String callId, List<InterruptionDetected> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        PreparedStatement p = statement(INSERT_INTERRUPTION);
        int seq = 0;
        for (InterruptionDetected x : rows) {
            int i = 0;
            p.setString(++i, callId);
            p.setInt(++i, seq++);
            p.setString(++i, x.getBy().name());
            p.setString(++i, x.getOf().name());
            p.setLong(++i, x.getStartMs());
            p.setLong(++i, x.getOverlapMs());
            p.setBoolean(++i, x.getSuccessful());
            p.setString(++i, x.getByWords());
            p.setString(++i, x.getOfWords());
            p.addBatch();
        }
        p.executeBatch();
    }

    private void insertBackchannels(String callId, List<BackchannelDetected> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        PreparedStatement p = statement(INSERT_BACKCHANNEL);
        int seq = 0;
        for (BackchannelDetected b : rows) {
            int i = 0;
            p.setString(++i, callId);
            p.setInt(++i, seq++);
            p.setString(++i, b.getBy().name());
            p.setLong(++i, b.getStartMs());
            p.setLong(++i, b.getEndMs());
            p.setString(++i, b.getText());
            p.addBatch();
        }
        p.executeBatch();
    }

    private void insertResponseGaps(String callId, List<ResponseGapMeasured> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        PreparedStatement p = statement(INSERT_RESPONSE_GAP);
        int seq = 0;
        for (ResponseGapMeasured g : rows) {
            int i = 0;
            p.setString(++i, callId);
            p.setInt(++i, seq++);
            p.setLong(++i, g.getCustomerEndMs());
            p.setLong(++i, g.getAgentStartMs());
            p.setLong(++i, g.getGapMs());
            p.setBoolean(++i, g.getRespected());
            p.addBatch();
        }
        p.executeBatch();
    }

    private void insertDeadAir(String callId, List<DeadAirDetected> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        PreparedStatement p = statement(INSERT_DEAD_AIR);
        int seq = 0;
        for (DeadAirDetected d : rows) {
            int i = 0;
            p.setString(++i, callId);
            p.setInt(++i, seq++);
            p.setLong(++i, d.getStartMs());
            p.setLong(++i, d.getEndMs());
            p.addBatch();
        }
        p.executeBatch();
    }

    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement p = statements.get(sql);
        if (p == null) {
            p = connection.prepareStatement(sql);
            statements.put(sql, p);
        }
        return p;
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static void setDouble(PreparedStatement p, int index, Double value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.DOUBLE);
        } else {
            p.setDouble(index, value);
        }
    }

    private static void setLong(PreparedStatement p, int index, Long value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.BIGINT);
        } else {
            p.setLong(index, value);
        }
    }

    /** {@code INSERT ... ON CONFLICT (key) DO UPDATE SET} every other column; JSON columns are cast from text. */
    private static String upsert(String table, List<String> key, List<String> columns, Set<String> jsonColumns) {
        List<String> values = new ArrayList<>();
        List<String> updates = new ArrayList<>();
        for (String c : columns) {
            values.add(jsonColumns.contains(c) ? "?::jsonb" : "?");
            if (!key.contains(c)) {
                updates.add(c + " = EXCLUDED." + c);
            }
        }
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + String.join(", ", values)
                + ") ON CONFLICT (" + String.join(", ", key) + ") DO UPDATE SET " + String.join(", ", updates);
    }
}
