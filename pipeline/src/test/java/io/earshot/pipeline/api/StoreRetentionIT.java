package io.earshot.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.pipeline.store.StorePurger;
import io.earshot.pipeline.store.StoreRecords;
import io.earshot.pipeline.store.StoreRetention;
import io.earshot.schemas.Role;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.UtteranceTranscribed;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention against a real PostgreSQL with the store's schema: rows older than their period
 * go, younger ones stay, a call's evidence goes before the call when its period is shorter,
 * and the API answers from what is left (a call without evidence has an empty timeline, a
 * deleted call is not found, a deleted window is not in the series).
 */
class StoreRetentionIT {

    private static final Instant DAY_1 = ListeningRecords.DAY_1;
    private static final Instant DAY_2 = ListeningRecords.DAY_2;
    /** L-1 started on day 1 at 09:00, L-2 on day 2 at 09:00; this is the end of day 2. */
    private static final Instant END_OF_DAY_2 = DAY_2.plus(Duration.ofDays(1));
    private static final StoreRetention.Policy POLICY = new StoreRetention.Policy(Duration.ofDays(2), Duration.ofDays(1),
            Duration.ofHours(12));
    private static final List<String> EVIDENCE = List.of("segments", "utterances", "interruptions", "backchannels",
            "response_gaps", "dead_air", "behaviours", "tone_events", "coaching_notes");

    private static TestStore store;

    @BeforeAll
    static void start() throws Exception {
        store = TestStore.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void shouldDeleteEvidenceBeforeItsCallAndWindowsByTheirEndInBatchesAndTheApiShouldAnswerFromWhatIsLeft()
            throws Exception {
        DataSource db = store.newDatabase("retention");
        StoreRecords.write(db, List.of(ListeningRecords.L1.summary(), ListeningRecords.L2.summary()),
                ListeningRecords.windows(), List.of(segment("L-1"), segment("L-2"), segment("live-1")),
                List.of(utterance("L-1"), utterance("L-2"), utterance("live-1")));
        // a call still in progress whose summary never came: aged by when its rows were stored
        execute(db, "UPDATE segments SET stored_at = '" + DAY_1 + "' WHERE call_id = 'live-1';"
                + "UPDATE utterances SET stored_at = '" + DAY_1 + "' WHERE call_id = 'live-1'");
        Map<String, Long> l1Before = evidenceOf(db, "L-1");
        Map<String, Long> l2Before = evidenceOf(db, "L-2");
        assertThat(l1Before.get("behaviours")).isPositive();
        assertThat(l1Before.get("tone_events")).isPositive();
        assertThat(l1Before.get("coaching_notes")).isPositive();
        long windowsBefore = count(db, "SELECT count(*) FROM agent_windows");

        StoreRetention endOfDay2 = new StoreRetention(db, 1, Clock.fixed(END_OF_DAY_2, ZoneOffset.UTC));
        StoreRetention.Report dry = endOfDay2.purge(POLICY, true);
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.of("behaviours")).isEqualTo(l1Before.get("behaviours"));
        assertThat(dry.of("segments")).isEqualTo(2);
        assertThat(evidenceOf(db, "L-1")).isEqualTo(l1Before);
        assertThat(count(db, "SELECT count(*) FROM agent_windows")).isEqualTo(windowsBefore);

        // end of day 2: L-1 (39 h old) loses its evidence and keeps its row, L-2 (15 h) keeps all,
        // day 1's windows (ended 24 h ago) go, day 2's (ending now) stay
        StoreRetention.Report first = endOfDay2.purge(POLICY, false);
        assertThat(first.of("segments")).isEqualTo(2);
        assertThat(first.of("utterances")).isEqualTo(2);
        assertThat(first.of("behaviours")).isEqualTo(l1Before.get("behaviours"));
        assertThat(first.of("calls")).isZero();
        assertThat(evidenceOf(db, "L-1")).allSatisfy((table, n) -> assertThat(n).as(table).isZero());
        assertThat(evidenceOf(db, "L-2")).isEqualTo(l2Before);
        assertThat(count(db, "SELECT count(*) FROM segments WHERE call_id = 'live-1'")).isZero();
        assertThat(count(db, "SELECT count(*) FROM agent_windows WHERE window_end <= '" + DAY_2 + "'")).isZero();
        assertThat(first.of("agent_windows")).isPositive();
        assertThat(count(db, "SELECT count(*) FROM agent_windows")).isEqualTo(windowsBefore - first.of("agent_windows"));

        CallQueries api = new CallQueries(db);
        assertThat(api.call("L-1")).isPresent();
        CallTimeline l1 = api.timeline("L-1").orElseThrow();
        assertThat(l1.segments()).isEmpty();
        assertThat(l1.utterances()).isEmpty();
        assertThat(l1.behaviours()).isEmpty();
        assertThat(l1.toneEvents()).isEmpty();
        assertThat(l1.coaching()).isEmpty();
        CallTimeline l2 = api.timeline("L-2").orElseThrow();
        assertThat(l2.segments()).hasSize(1);
        assertThat(l2.utterances()).hasSize(1);
        assertThat(api.series(WindowPoint.Scope.AGENT, "a-1", WindowPoint.Kind.DAILY, DAY_1, END_OF_DAY_2))
                .extracting(WindowPoint::windowStart).containsExactly(DAY_2);

        // a day later: L-1 (63 h) goes, L-2 (39 h) loses its evidence
        StoreRetention.Report second = new StoreRetention(db, 1000,
                Clock.fixed(END_OF_DAY_2.plus(Duration.ofDays(1)), ZoneOffset.UTC)).purge(POLICY, false);
        assertThat(second.of("calls")).isEqualTo(1);
        assertThat(api.call("L-1")).isEmpty();
        assertThat(api.timeline("L-1")).isEmpty();
        assertThat(api.call("L-2")).isPresent();
        assertThat(evidenceOf(db, "L-2")).allSatisfy((table, n) -> assertThat(n).as(table).isZero());
        assertThat(api.timeline("L-2").orElseThrow().segments()).isEmpty();
    }

    @Test
    void shouldKeepEverythingWithoutPeriodsAndTakeTheCallPeriodForEvidenceWithoutOne() throws Exception {
        DataSource db = store.newDatabase("retention_defaults");
        StoreRecords.write(db, List.of(ListeningRecords.L1.summary()), ListeningRecords.windows(),
                List.of(segment("L-1")), List.of(utterance("L-1")));
        Clock muchLater = Clock.fixed(END_OF_DAY_2.plus(Duration.ofDays(3650)), ZoneOffset.UTC);

        assertThat(new StoreRetention(db, 10, muchLater).purge(StoreRetention.Policy.KEEP_ALL, false).total()).isZero();
        assertThat(count(db, "SELECT count(*) FROM calls")).isEqualTo(1);

        StoreRetention.Report callsOnly = new StoreRetention(db, 10, muchLater)
                .purge(new StoreRetention.Policy(Duration.ofDays(30), null, null), false);
        assertThat(callsOnly.of("segments")).isEqualTo(1);
        assertThat(callsOnly.of("calls")).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM utterances")).isZero();
        assertThat(count(db, "SELECT count(*) FROM agent_windows")).isPositive();
    }

    private static SpeechSegmentDetected segment(String callId) {
        return SpeechSegmentDetected.newBuilder().setCallId(callId).setRole(Role.AGENT).setSegmentIndex(0)
                .setStartMs(1000).setEndMs(2000).setLoudnessDbfs(-20).setVoicedRatio(0.8).build();
    }

    private static UtteranceTranscribed utterance(String callId) {
        return UtteranceTranscribed.newBuilder().setCallId(callId).setRole(Role.CUSTOMER).setUtteranceIndex(0)
                .setStartMs(1000).setEndMs(2000).setText("my card number is on file").setWords(List.of())
                .setIsFinal(true).build();
    }

    private static Map<String, Long> evidenceOf(DataSource db, String callId) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String table : EVIDENCE) {
            out.put(table, count(db, "SELECT count(*) FROM " + table + " WHERE call_id = '" + callId + "'"));
        }
        return out;
    }

    private static long count(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void shouldPurgeFromTheCommandLinePrintingWhatItDeletedAndNothingOnADryRun() throws Exception {
        DataSource db = store.newDatabase("retention_cli");
        // a call of long ago, as every call is once the command runs on the wall clock
        StoreRecords.write(db, List.of(ListeningRecords.L1.summary()), ListeningRecords.windows(),
                List.of(segment("L-1")), List.of(utterance("L-1")));
        String url = store.jdbcUrl("retention_cli");

        java.io.StringWriter dryOut = new java.io.StringWriter();
        int dry = new picocli.CommandLine(new io.earshot.pipeline.cli.EarshotCli()).setOut(new java.io.PrintWriter(dryOut))
                .execute("store", "purge", "--db", url, "--calls", "90d", "--evidence", "30d", "--windows", "400d",
                        "--dry-run");
        assertThat(dry).isZero();
        assertThat(dryOut.toString()).contains("calls").contains("would delete").contains("dry run: nothing deleted");
        assertThat(count(db, "SELECT count(*) FROM calls")).isEqualTo(1);

        java.io.StringWriter out = new java.io.StringWriter();
        int purged = new picocli.CommandLine(new io.earshot.pipeline.cli.EarshotCli()).setOut(new java.io.PrintWriter(out))
                .execute("store", "purge", "--db", url, "--calls", "90d", "--evidence", "30d", "--windows", "30d",
                        "--batch-size", "2");
        assertThat(purged).isZero();
        assertThat(out.toString()).containsPattern("calls +1 row\\(s\\) deleted")
                .containsPattern("segments +1 row\\(s\\) deleted");
        assertThat(count(db, "SELECT count(*) FROM calls")).isZero();
        assertThat(count(db, "SELECT count(*) FROM agent_windows")).isZero();

        java.io.StringWriter err = new java.io.StringWriter();
        int refused = new picocli.CommandLine(new io.earshot.pipeline.cli.EarshotCli()).setErr(new java.io.PrintWriter(err))
                .execute("store", "purge", "--db", url, "--calls", "30d", "--evidence", "90d");
        assertThat(refused).isNotZero();
        assertThat(err.toString()).contains("evidence cannot be kept longer than its call");
    }

    @Test
    void shouldPurgeInTheServingProcessAsSoonAsItStarts() throws Exception {
        DataSource db = store.newDatabase("retention_serve");
        StoreRecords.write(db, List.of(ListeningRecords.L1.summary()), List.of(), List.of(segment("L-1")),
                List.of(utterance("L-1")));
        try (StorePurger purger = StorePurger.start(new StoreRetention(db, 100, Clock.systemUTC()),
                new StoreRetention.Policy(Duration.ofDays(30), null, null), Duration.ofHours(1))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (count(db, "SELECT count(*) FROM calls") > 0) {
                assertThat(System.nanoTime()).as("purged in time").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
        assertThat(count(db, "SELECT count(*) FROM segments")).isZero();
        assertThat(count(db, "SELECT count(*) FROM utterances")).isZero();
    }
}
