package io.earshot.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.ingest.asr.VoskTranscriber;
import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.avro.AvroInputs;
import io.earshot.analysis.avro.AvroOutputs;
import io.earshot.contracts.AvroSerde;
import io.earshot.analysis.events.CallEvent;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.analyze.BoundedCallMetrics;
import io.earshot.pipeline.analyze.CallEvents;
import io.earshot.pipeline.kafka.EmbeddedKafka;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.BackchannelDetected;
import io.earshot.schemas.BehaviourDetected;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.CoachingNote;
import io.earshot.schemas.DeadAirDetected;
import io.earshot.schemas.InterruptionDetected;
import io.earshot.schemas.ListeningScore;
import io.earshot.schemas.ListeningTotals;
import io.earshot.schemas.MetricThresholds;
import io.earshot.schemas.ResponseGapMeasured;
import io.earshot.schemas.Role;
import io.earshot.schemas.ScoreComponent;
import io.earshot.schemas.SpeechActivityChanged;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.ToneEventDetected;
import io.earshot.schemas.TranscriptionStatusReported;
import io.earshot.schemas.UtteranceTranscribed;
import io.earshot.schemas.VoiceBaseline;
import io.earshot.schemas.Word;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store writer between the embedded broker and a real embedded PostgreSQL, fed what the
 * pipeline publishes for the four sample calls: the final summaries and hourly and daily
 * windows of the metric job ({@code analyze}'s bounded run of it), and the calls' talk spurts
 * and transcript as live ingest publishes them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StoreWriterIT {

    private static final long MEDIA_START = 1_764_000_000_000L;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static EmbeddedKafka kafka;
    private static StoreDatabase db;
    private static List<CallSummaryComputed> summaries;
    private static List<AgentMetricsComputed> windows;
    private static List<SpeechSegmentDetected> segments;
    private static List<UtteranceTranscribed> utterances;

    @BeforeAll
    static void start() throws Exception {
        // the broker and the database start while speech ingest and the job analyse the calls;
        // SLF4J is bound first, or loggers made on the two threads during its binding lose their lines
        org.slf4j.LoggerFactory.getLogger(StoreWriterIT.class);
        CompletableFuture<EmbeddedKafka> broker = CompletableFuture.supplyAsync(EmbeddedKafka::start);
        CompletableFuture<StoreDatabase> store = CompletableFuture.supplyAsync(
                () -> StoreDatabase.embedded(dir.resolve("store")));
        try {
            analyzeSampleCalls();
        } finally {
            kafka = broker.join();
            db = store.join();
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (db != null) {
                db.close();
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    @Test
    void shouldStoreEveryRecordAsItsRowsSkipBadOnesAndChangeNothingWhenAllIsPublishedTwice() throws Exception {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        summaries.forEach(s -> records.add(record(Topics.CALL_SUMMARIES, s.getCallId(), s)));
        windows.forEach(w -> records.add(record(Topics.AGENT_METRICS, w.getKey(), w)));
        segments.forEach(s -> records.add(record(Topics.SPEECH, s.getCallId(), s)));
        utterances.forEach(u -> records.add(record(Topics.UTTERANCES, u.getCallId(), u)));
        int good = records.size();
        // kept out of the store, on purpose
        String first = summaries.get(0).getCallId();
        records.add(record(Topics.SPEECH, first, new SpeechActivityChanged(first, Role.AGENT, 200L, true, null, false)));
        records.add(record(Topics.UTTERANCES, first, new TranscriptionStatusReported(first, 20_000L, 0L, 0, 8, 0, 0L, true, null)));
        records.add(record(Topics.UTTERANCES, first, UtteranceTranscribed.newBuilder(utterances.get(0))
                .setUtteranceIndex(99).setIsFinal(false).build()));
        int ignored = 3;
        // bad: garbage, a record of another type, a summary the database must reject (no end reason)
        records.add(new ProducerRecord<>(Topics.CALL_SUMMARIES, "garbage", "not avro".getBytes(StandardCharsets.UTF_8)));
        records.add(record(Topics.SPEECH, first, windows.get(0)));
        records.add(record(Topics.CALL_SUMMARIES, "no-end-reason", CallSummaryComputed.newBuilder(summaries.get(0))
                .setCallId("no-end-reason").setEndReason(null).build()));
        int bad = 3;

        try (StoreWriter writer = StoreWriter.start(kafka.bootstrapServers(), db.dataSource())) {
            publish(records);
            assertThat(writer.awaitProcessed(records.size(), WAIT)).as("all records dealt with").isTrue();
            assertThat(writer.stored()).isEqualTo(good);
            assertThat(writer.ignored()).isEqualTo(ignored);
            assertThat(writer.skipped()).isEqualTo(bad);

            assertCallsEqualSummaries();
            assertWindowsEqualRecords();
            assertSegmentsEqualRecords();
            assertUtterancesEqualRecords();
            assertThat(count("SELECT count(*) FROM calls WHERE call_id = 'no-end-reason'")).isZero();
            assertThat(count("SELECT count(*) FROM utterances WHERE seq = 99")).isZero();
            assertThat(count("SELECT count(*) FROM agent_windows")).isEqualTo(windows.size());
            assertThat(count("SELECT count(*) FROM segments")).isEqualTo(segments.size());
            assertThat(count("SELECT count(*) FROM utterances")).isEqualTo(utterances.size());
            assertOffsetsCommittedUpToTheEnd();

            Map<String, List<List<Object>>> before = snapshot();
            publish(records);
            assertThat(writer.awaitProcessed(2L * records.size(), WAIT)).as("the replay dealt with").isTrue();
            assertThat(writer.stored()).isEqualTo(2L * good);
            assertThat(writer.skipped()).isEqualTo(2L * bad);
            assertThat(snapshot()).isEqualTo(before);
            assertOffsetsCommittedUpToTheEnd();
        }
    }

    @Test
    void shouldReplaceACallsEvidenceRowsWhenANewerSummaryOfItArrives() throws Exception {
        CallSummaryComputed full = summaries.stream().filter(s -> s.getInterruptions().size() >= 2).findFirst()
                .orElseThrow(() -> new AssertionError("a sample call with two interruptions"));
        CallSummaryComputed older = CallSummaryComputed.newBuilder(full).setCallId("replaced")
                .setBehaviours(List.of(
                        new BehaviourDetected(Role.AGENT, "empathy", 4_000L, 5_200L, "i understand how annoying",
                                "phrase 'i understand how'"),
                        new BehaviourDetected(Role.AGENT, "open_question", 9_000L, 10_500L, "what happened then",
                                "open question 'what'")))
                .setToneEvents(List.of(new ToneEventDetected(Role.CUSTOMER, "raised_voice", 6_000L, 9_000L,
                        new LinkedHashMap<>(Map.of("loudnessDb", -13.6, "baselineDb", -21.9, "excessDb", 8.3)))))
                .setVoiceBaselines(List.of(new VoiceBaseline(Role.AGENT, 14.1, -21.0, 152.5, 9_000L, 23),
                        new VoiceBaseline(Role.CUSTOMER, null, -21.9, null, 8_000L, 0)))
                .setListeningScore(new ListeningScore(72.5, List.of(
                        new ScoreComponent("interruptions", 2.5, 20.0, 3.33),
                        new ScoreComponent("backchannels", null, 10.0, 0.0)),
                        new LinkedHashMap<>(Map.of("interruptionsZeroPer10Min", 3.0, "talkShareLow", 0.35))))
                .setCoaching(List.of(new CoachingNote("interruption", 5_260L, "You cut in at 0:05."),
                        new CoachingNote("good_open_question", 9_000L, "Good open question at 0:09.")))
                .build();
        CallSummaryComputed newer = CallSummaryComputed.newBuilder(older)
                .setInterruptions(new ArrayList<>(older.getInterruptions().subList(0, 1)))
                .setBackchannels(new ArrayList<>())
                .setBehaviours(List.of(older.getBehaviours().get(1)))
                .setToneEvents(List.of())
                .setListeningScore(null)
                .setCoaching(List.of(older.getCoaching().get(1)))
                .setAgentInterruptions(older.getInterruptions().get(0).getBy() == Role.AGENT ? 1L : 0L)
                .setTeam("escalations")
                .build();
        try (StoreWriter writer = StoreWriter.start(kafka.bootstrapServers(), db.dataSource())) {
            publish(List.of(record(Topics.CALL_SUMMARIES, "replaced", older)));
            assertThat(writer.awaitProcessed(1, WAIT)).isTrue();
            assertCallEquals(older);
            publish(List.of(record(Topics.CALL_SUMMARIES, "replaced", newer)));
            assertThat(writer.awaitProcessed(2, WAIT)).isTrue();
            assertCallEquals(newer);
            assertThat(count("SELECT count(*) FROM interruptions WHERE call_id = 'replaced'")).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM backchannels WHERE call_id = 'replaced'")).isZero();
            assertThat(rows("SELECT kind FROM behaviours WHERE call_id = 'replaced'"))
                    .containsExactly(List.of("open_question"));
            assertThat(count("SELECT count(*) FROM tone_events WHERE call_id = 'replaced'")).isZero();
            assertThat(rows("SELECT kind FROM coaching_notes WHERE call_id = 'replaced'"))
                    .containsExactly(List.of("good_open_question"));
            assertThat(row("SELECT listening_score, listening_score_detail FROM calls WHERE call_id = 'replaced'"))
                    .containsEntry("listening_score", null).containsEntry("listening_score_detail", null);
        }
    }

    @Test
    void shouldRunEveryExampleQueryOfTheStoreDocs() throws Exception {
        Path docs = SampleCalls.defaultDirectory().toAbsolutePath().getParent().getParent().resolve("docs/store.md");
        String text = Files.readString(docs);
        List<String> queries = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```sql\\n(.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(text);
        while (m.find()) {
            if (m.group(1).startsWith("SELECT")) {
                queries.add(m.group(1));
            }
        }
        assertThat(queries).hasSizeGreaterThanOrEqualTo(8);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String q : queries) {
                try (ResultSet rs = s.executeQuery(q)) {
                    assertThat(rs.getMetaData().getColumnCount()).as(q).isPositive();
                }
            }
        }
    }

    // ---- the rows against the records, field by field

    private static void assertCallsEqualSummaries() throws SQLException {
        assertThat(summaries).hasSize(4);
        for (CallSummaryComputed s : summaries) {
            assertCallEquals(s);
        }
        // anchors from the README's worked example of analyze, so a mapping that is consistently
        // wrong on both sides of the comparison still fails
        Map<String, Object> call01 = row("SELECT * FROM calls WHERE call_id = 'call01-billing'");
        assertThat(call01).containsEntry("duration_ms", 20_580L).containsEntry("agent_talk_ms", 12_760L)
                .containsEntry("customer_talk_ms", 10_060L).containsEntry("transfers", 3L)
                .containsEntry("respected_transfers", 2L).containsEntry("agent_interruptions", 1L)
                .containsEntry("customer_interruptions", 1L).containsEntry("talk_share_low", 0.35)
                .containsEntry("talk_share_high", 0.55).containsEntry("dead_air_count", 0L);
        assertThat(rows("SELECT by_role, start_ms, successful FROM interruptions WHERE call_id = 'call01-billing' "
                + "ORDER BY seq")).containsExactly(
                        List.of("AGENT", 5_260L, true), List.of("CUSTOMER", 12_660L, false));
    }

    private static void assertCallEquals(CallSummaryComputed s) throws SQLException {
        Map<String, Object> row = row("SELECT * FROM calls WHERE call_id = '" + s.getCallId() + "'");
        MetricThresholds t = s.getThresholds();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("call_id", s.getCallId());
        expected.put("agent_id", s.getAgentId());
        expected.put("team", s.getTeam());
        expected.put("queue", s.getQueue());
        expected.put("media_start", s.getMediaStartTime());
        expected.put("emitted_at", s.getEmittedAt());
        expected.put("end_reason", s.getEndReason());
        expected.put("duration_ms", s.getDurationMs());
        expected.put("agent_talk_ms", s.getAgentTalkMs());
        expected.put("customer_talk_ms", s.getCustomerTalkMs());
        expected.put("overlap_ms", s.getOverlapMs());
        expected.put("silence_ms", s.getSilenceMs());
        expected.put("agent_talk_share", s.getAgentTalkShare());
        expected.put("agent_interruptions", s.getAgentInterruptions());
        expected.put("customer_interruptions", s.getInterruptions().stream().filter(i -> i.getBy() == Role.CUSTOMER).count());
        expected.put("agent_interruptions_per_10min", s.getAgentInterruptionsPer10Min());
        expected.put("agent_backchannels", s.getBackchannels().stream().filter(b -> b.getBy() == Role.AGENT).count());
        expected.put("customer_backchannels", s.getBackchannels().stream().filter(b -> b.getBy() == Role.CUSTOMER).count());
        expected.put("transfers", (long) s.getResponseGaps().size());
        expected.put("respected_transfers", s.getResponseGaps().stream().filter(ResponseGapMeasured::getRespected).count());
        expected.put("pause_respect_rate", s.getPauseRespectRate());
        expected.put("mean_response_gap_ms", s.getMeanResponseGapMs());
        expected.put("pause_intrusions", (long) s.getPauseIntrusions().size());
        expected.put("dead_air_count", (long) s.getDeadAir().size());
        expected.put("dead_air_ms", s.getDeadAir().stream().mapToLong(d -> d.getEndMs() - d.getStartMs()).sum());
        expected.put("longest_agent_monologue_ms", s.getLongestAgentMonologueMs());
        expected.put("longest_customer_story_ms", s.getLongestCustomerStoryMs());
        expected.put("talk_share_low", t.getTalkShareLow());
        expected.put("talk_share_high", t.getTalkShareHigh());
        expected.put("transcription_skipped_regions", (long) s.getTranscriptionSkippedRegions());
        expected.put("transcription_skipped_speech_ms", s.getTranscriptionSkippedSpeechMs());
        expected.put("max_transcription_lag_ms", s.getMaxTranscriptionLagMs());
        expected.put("thresholds", avroJson(t));
        ListeningScore score = s.getListeningScore();
        expected.put("listening_score", score == null ? null : score.getScore());
        expected.put("listening_score_detail", score == null ? null : scoreJson(score));
        expected.put("agent_speaking_rate_wpm", speakingRate(s, Role.AGENT));
        expected.put("customer_speaking_rate_wpm", speakingRate(s, Role.CUSTOMER));
        ArrayNode baselines = JSON.createArrayNode();
        s.getVoiceBaselines().forEach(b -> baselines.add(avroJson(b)));
        expected.put("voice_baselines", baselines);
        expected.put("redaction", s.getRedaction());
        assertThat(row).as("calls row of " + s.getCallId()).containsExactlyEntriesOf(expected);

        String id = s.getCallId();
        assertThat(rows("SELECT by_role, of_role, start_ms, overlap_ms, successful, by_words, of_words "
                + "FROM interruptions WHERE call_id = '" + id + "' ORDER BY seq"))
                .as("interruptions of " + id)
                .containsExactlyElementsOf(s.getInterruptions().stream().map(i -> List.<Object>of(i.getBy().name(),
                        i.getOf().name(), i.getStartMs(), i.getOverlapMs(), i.getSuccessful(), i.getByWords(),
                        i.getOfWords())).toList());
        assertThat(rows("SELECT by_role, start_ms, end_ms, text FROM backchannels WHERE call_id = '" + id + "' ORDER BY seq"))
                .as("backchannels of " + id)
                .containsExactlyElementsOf(s.getBackchannels().stream().map(b -> List.<Object>of(b.getBy().name(),
                        b.getStartMs(), b.getEndMs(), b.getText())).toList());
        assertThat(rows("SELECT customer_end_ms, agent_start_ms, gap_ms, respected FROM response_gaps "
                + "WHERE call_id = '" + id + "' ORDER BY seq"))
                .as("response gaps of " + id)
                .containsExactlyElementsOf(s.getResponseGaps().stream().map(g -> List.<Object>of(g.getCustomerEndMs(),
                        g.getAgentStartMs(), g.getGapMs(), g.getRespected())).toList());
        assertThat(rows("SELECT start_ms, end_ms FROM dead_air WHERE call_id = '" + id + "' ORDER BY seq"))
                .as("dead air of " + id)
                .containsExactlyElementsOf(s.getDeadAir().stream()
                        .map(d -> List.<Object>of(d.getStartMs(), d.getEndMs())).toList());
        assertThat(rows("SELECT by_role, kind, start_ms, end_ms, text, reason FROM behaviours WHERE call_id = '" + id
                + "' ORDER BY seq"))
                .as("behaviours of " + id)
                .containsExactlyElementsOf(s.getBehaviours().stream().map(b -> List.<Object>of(b.getBy().name(),
                        b.getKind(), b.getStartMs(), b.getEndMs(), b.getText(), b.getReason())).toList());
        assertThat(rows("SELECT by_role, kind, start_ms, end_ms, \"values\" FROM tone_events WHERE call_id = '" + id
                + "' ORDER BY seq"))
                .as("tone events of " + id)
                .containsExactlyElementsOf(s.getToneEvents().stream().map(e -> List.<Object>of(e.getBy().name(),
                        e.getKind(), e.getStartMs(), e.getEndMs(), json(e.getValues()))).toList());
        assertThat(rows("SELECT kind, at_ms, message FROM coaching_notes WHERE call_id = '" + id + "' ORDER BY seq"))
                .as("coaching notes of " + id)
                .containsExactlyElementsOf(s.getCoaching().stream().map(n -> List.<Object>of(n.getKind(),
                        n.getAtMs(), n.getMessage())).toList());
    }

    /** A listening score as the JSON of {@code listening_score_detail}. */
    private static JsonNode scoreJson(ListeningScore score) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode components = o.putArray("components");
        score.getComponents().forEach(c -> components.add(avroJson(c)));
        o.set("thresholds", JSON.valueToTree(score.getThresholds()));
        return json(o);
    }

    private static Double speakingRate(CallSummaryComputed s, Role role) {
        return s.getVoiceBaselines().stream().filter(b -> b.getRole() == role).map(VoiceBaseline::getSpeakingRateWpm)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** A value as the JSON a jsonb column reads back as. */
    private static JsonNode json(Object value) {
        try {
            return JSON.readTree(JSON.writeValueAsString(value));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertWindowsEqualRecords() throws SQLException {
        assertThat(windows).isNotEmpty();
        for (AgentMetricsComputed w : windows) {
            ListeningTotals t = w.getTotals();
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("scope", w.getScope().name());
            expected.put("key", w.getKey());
            expected.put("window_kind", w.getWindow().name());
            expected.put("window_start", w.getWindowStart());
            expected.put("window_end", w.getWindowEnd());
            // the totals of version 1, the rates, then the listening counts of version 2
            List<Schema.Field> fields = ListeningTotals.getClassSchema().getFields();
            int listening = ListeningTotals.getClassSchema().getField("agentParaphrases").pos();
            for (Schema.Field f : fields.subList(0, listening)) {
                expected.put(snake(f.name()), t.get(f.pos()));
            }
            expected.put("agent_talk_share", w.getAgentTalkShare());
            expected.put("agent_interruptions_per_10min", w.getAgentInterruptionsPer10Min());
            expected.put("pause_respect_rate", w.getPauseRespectRate());
            expected.put("mean_response_gap_ms", w.getMeanResponseGapMs());
            for (Schema.Field f : fields.subList(listening, fields.size())) {
                expected.put(snake(f.name()), t.get(f.pos()));
            }
            ListeningScore score = w.getListeningScore();
            expected.put("listening_score", score == null ? null : score.getScore());
            expected.put("listening_score_detail", score == null ? null : scoreJson(score));
            Map<String, Object> row = row("SELECT * FROM agent_windows WHERE scope = '" + w.getScope() + "' AND key = '"
                    + w.getKey() + "' AND window_kind = '" + w.getWindow() + "' AND window_start = '"
                    + w.getWindowStart() + "'");
            assertThat(row).as("window " + w).containsExactlyEntriesOf(expected);
        }
        assertThat(rows("SELECT DISTINCT scope FROM agent_windows ORDER BY scope"))
                .containsExactly(List.of("AGENT"), List.of("QUEUE"), List.of("TEAM"));
    }

    private static void assertSegmentsEqualRecords() throws SQLException {
        assertThat(segments).hasSizeGreaterThan(20);
        for (SpeechSegmentDetected s : segments) {
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("call_id", s.getCallId());
            expected.put("role", s.getRole().name());
            expected.put("seq", s.getSegmentIndex());
            expected.put("start_ms", s.getStartMs());
            expected.put("end_ms", s.getEndMs());
            expected.put("pitch_median_hz", s.getPitchMedianHz());
            expected.put("pitch_range_semitones", s.getPitchRangeSemitones());
            expected.put("loudness_dbfs", s.getLoudnessDbfs());
            expected.put("voiced_ratio", s.getVoicedRatio());
            Map<String, Object> actual = row("SELECT * FROM segments WHERE call_id = '" + s.getCallId() + "' AND role = '"
                    + s.getRole() + "' AND seq = " + s.getSegmentIndex());
            assertThat(actual.remove("stored_at")).as("when it was stored (retention)").isNotNull();
            assertThat(actual).as("segment " + s).containsExactlyEntriesOf(expected);
        }
    }

    private static void assertUtterancesEqualRecords() throws SQLException {
        assertThat(utterances).hasSizeGreaterThanOrEqualTo(5);
        assertThat(utterances).anySatisfy(u -> assertThat(u.getWords()).isNotEmpty());
        for (UtteranceTranscribed u : utterances) {
            ArrayNode words = JSON.createArrayNode();
            for (Word w : u.getWords()) {
                words.add(avroJson(w));
            }
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("call_id", u.getCallId());
            expected.put("role", u.getRole().name());
            expected.put("seq", u.getUtteranceIndex());
            expected.put("start_ms", u.getStartMs());
            expected.put("end_ms", u.getEndMs());
            expected.put("text", u.getText());
            expected.put("words", words);
            Map<String, Object> actual = row("SELECT * FROM utterances WHERE call_id = '" + u.getCallId() + "' AND role = '"
                    + u.getRole() + "' AND seq = " + u.getUtteranceIndex());
            assertThat(actual.remove("stored_at")).as("when it was stored (retention)").isNotNull();
            assertThat(actual).as("utterance " + u).containsExactlyEntriesOf(expected);
        }
    }

    private static void assertOffsetsCommittedUpToTheEnd() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(StoreWriter.GROUP_ID)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : StoreWriter.TOPICS) {
                for (int p = 0; p < EmbeddedKafka.DEFAULT_PARTITIONS; p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
            }
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((partition, end) -> {
                if (end.offset() > 0) {
                    assertThat(committed.get(partition)).as("committed offset of " + partition).isNotNull();
                    assertThat(committed.get(partition).offset()).as("committed offset of " + partition)
                            .isEqualTo(end.offset());
                }
            });
        }
    }

    // ---- what the rows and records look like as plain values

    /** A record's fields as the JSON object the store writes, keyed by the Avro field names. */
    private static JsonNode avroJson(SpecificRecord r) {
        ObjectNode o = JSON.createObjectNode();
        for (Schema.Field f : r.getSchema().getFields()) {
            o.set(f.name(), JSON.valueToTree(r.get(f.pos())));
        }
        try {
            // as parsed from text, like the column: the same node types for the same numbers
            return JSON.readTree(o.toString());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String snake(String camel) {
        return camel.replaceAll("([A-Z])", "_$1").toLowerCase();
    }

    /** One row by column name: timestamps as Instants, jsonb as parsed JSON, the rest as JDBC gives them. */
    private static Map<String, Object> row(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row for " + sql).isTrue();
            ResultSetMetaData meta = rs.getMetaData();
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                row.put(meta.getColumnName(i), value(rs, i));
            }
            assertThat(rs.next()).as("one row for " + sql).isFalse();
            return row;
        }
    }

    private static List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(value(rs, i));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static Object value(ResultSet rs, int column) throws SQLException {
        String type = rs.getMetaData().getColumnTypeName(column);
        if (type.equals("timestamptz")) {
            OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
            return t == null ? null : t.toInstant();
        }
        if (type.equals("jsonb")) {
            String text = rs.getString(column);
            if (text == null) {
                return null;
            }
            try {
                return JSON.readTree(text);
            } catch (java.io.IOException e) {
                throw new AssertionError("jsonb that does not parse: " + text, e);
            }
        }
        return rs.getObject(column);
    }

    private static long count(String sql) throws SQLException {
        return (Long) rows(sql).get(0).get(0);
    }

    /** Every stored table in primary-key order. */
    private static Map<String, List<List<Object>>> snapshot() throws SQLException {
        Map<String, List<List<Object>>> out = new LinkedHashMap<>();
        out.put("calls", rows("SELECT * FROM calls ORDER BY call_id"));
        for (String child : StoreRows.CALL_CHILD_TABLES) {
            out.put(child, rows("SELECT * FROM " + child + " ORDER BY call_id, seq"));
        }
        out.put("segments", rows("SELECT * FROM segments ORDER BY call_id, role, seq"));
        out.put("utterances", rows("SELECT * FROM utterances ORDER BY call_id, role, seq"));
        out.put("agent_windows", rows("SELECT * FROM agent_windows ORDER BY scope, key, window_kind, window_start"));
        return out;
    }

    // ---- publishing

    private static ProducerRecord<String, byte[]> record(String topic, String key, SpecificRecord value) {
        @SuppressWarnings("unchecked")
        AvroSerde<SpecificRecord> serde = (AvroSerde<SpecificRecord>) (AvroSerde<?>) AvroSerde.of(value.getClass());
        return new ProducerRecord<>(topic, key, serde.serialize(topic, value));
    }

    private static void publish(List<ProducerRecord<String, byte[]>> records) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> r : records) {
                producer.send(r).get(30, TimeUnit.SECONDS);
            }
        }
    }

    // ---- the sample calls through speech ingest and the metric job

    /**
     * Runs speech ingest over the sample calls and the metric job over its events, as
     * {@code analyze} does; two agents, teams and queues, one call with neither. Only the first
     * call is transcribed (the recogniser is most of the time ingest takes): it gives the
     * transcript and the words of interruptions, the others talk spurts and timing metrics.
     */
    private static void analyzeSampleCalls() throws Exception {
        Path fixtures = SampleCalls.defaultDirectory();
        List<Path> folders;
        try (Stream<Path> list = Files.list(fixtures)) {
            folders = list.filter(Files::isDirectory).sorted().toList();
        }
        List<CallEvent> events = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (VoskTranscriber asr = VoskTranscriber.open(Path.of(System.getProperty("earshot.model")), 2)) {
            CallAnalyzer transcribing = new CallAnalyzer(VadConfig.DEFAULTS, asr, pool);
            CallAnalyzer untranscribed = new CallAnalyzer(VadConfig.DEFAULTS, null, pool);
            for (int i = 0; i < folders.size(); i++) {
                Path folder = folders.get(i);
                CallAnalyzer analyzer = i == 0 ? transcribing : untranscribed;
                List<Path> files = Arrays.stream(SampleCalls.spec(folder).split(",")).map(Path::of).toList();
                CallAnalysis analysis = analyzer.analyze(CallAudio.load(files, SampleCalls.agentChannel(folder)));
                String team = i == 3 ? null : (i % 2 == 0 ? "billing" : "support");
                String queue = i == 3 ? null : "inbound";
                events.addAll(CallEvents.of(folder.getFileName().toString(), "agent-" + (i % 2 + 1), team, queue,
                        MEDIA_START + i * 60_000L, analysis));
            }
        } finally {
            pool.shutdown();
        }
        BoundedCallMetrics.Result result = BoundedCallMetrics.run(events, JobConfig.DEFAULTS, 2);
        summaries = result.summaries().stream().map(AvroOutputs::toAvro)
                .sorted(java.util.Comparator.comparing(CallSummaryComputed::getCallId)).toList();
        windows = result.windows().stream().map(AvroOutputs::toAvro).toList();
        segments = ofKind(events, CallEvent.Kind.SEGMENT, SpeechSegmentDetected.class::cast);
        utterances = ofKind(events, CallEvent.Kind.UTTERANCE, UtteranceTranscribed.class::cast);
    }

    private static <T> List<T> ofKind(List<CallEvent> events, CallEvent.Kind kind, Function<SpecificRecord, T> cast) {
        return events.stream().filter(e -> e.kind == kind).map(AvroInputs::toAvro).map(cast).toList();
    }
}
