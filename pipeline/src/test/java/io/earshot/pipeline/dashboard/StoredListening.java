package io.earshot.pipeline.dashboard;

import static io.earshot.pipeline.api.ListeningRecords.behaviour;
import static io.earshot.pipeline.api.ListeningRecords.tone;

import io.earshot.analysis.windows.Scope;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.analysis.listening.ListeningScore;
import io.earshot.analysis.listening.ListeningScorer;
import io.earshot.analysis.metrics.ListeningTotals;
import io.earshot.pipeline.api.ListeningRecords;
import io.earshot.pipeline.store.StoreRecords;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.CoachingNote;
import io.earshot.schemas.Role;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.UtteranceTranscribed;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The store's history behind the analyst view, written as the store writer writes the metric
 * job's outputs: the two days before today (UTC), so they fall in the page's "last 7 days".
 *
 * <p>Agent agent-9 (team-1) had a call at ease on the first day ({@link #AT_EASE}, with its
 * talk spurts and transcript) and a poor one on the second ({@link #POOR}); agent-1 (team-1) two
 * middling days; agent-7 (team-2) one poor day; agent-5 (team-3) a textbook day, in a team the
 * test's supervisor does not see. Agent agent-2 has taken no call the store knows of. The daily
 * windows carry the totals of {@link ListeningRecords}; teams' windows are their agents' sums.
 */
final class StoredListening {

    static final Instant DAY_1 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);
    static final Instant DAY_2 = DAY_1.plus(1, ChronoUnit.DAYS);

    /** agent-9's call at ease, with behaviours whose words are in its transcript. */
    static final ListeningRecords.Call AT_EASE = ListeningRecords.call("S-91", "agent-9", "team-1",
            DAY_1.plusSeconds(9 * 3600), 600_000, 200_000, 300_000, 0, 5, 2, 0,
            List.of(behaviour(Role.AGENT, "empathy", 12_000, "that sounds frustrating", "phrase 'sounds frustrating'"),
                    behaviour(Role.AGENT, "open_question", 20_000, "can you tell me what happened",
                            "open question 'can you tell me'"),
                    behaviour(Role.AGENT, "paraphrase", 45_000, "so you were charged twice", "confirm cue 'so you'"),
                    behaviour(Role.AGENT, "follow_up", 500_000, "i will call you back by friday",
                            "commitment 'i will call you back'")),
            List.of(tone(Role.CUSTOMER, "raised_voice", 14_000, 18_000, Map.of("loudnessDb", -12.0, "baselineDb", -20.5,
                    "excessDb", 8.5))),
            List.of(new CoachingNote("interruption", 5_000L, "You cut in at 0:05; let the customer finish."),
                    new CoachingNote("good_open_question", 20_000L, "Good open question at 0:20.")));

    /** agent-9's poor call: cutting in, no pause respected. */
    static final ListeningRecords.Call POOR = ListeningRecords.call("S-92", "agent-9", "team-1",
            DAY_2.plusSeconds(9 * 3600), 300_000, 200_000, 50_000, 3, 0, 0, 2, List.of(), List.of(),
            List.of(new CoachingNote("interruption", 7_000L, "You cut in three times; the first at 0:07.")));

    private static final List<ListeningRecords.Call> OTHER_CALLS = List.of(
            ListeningRecords.call("S-11", "agent-1", "team-1", DAY_2.plusSeconds(10 * 3600), 400_000, 150_000,
                    150_000, 1, 1, 1, 0, List.of(), List.of(), List.of()),
            ListeningRecords.call("S-71", "agent-7", "team-2", DAY_1.plusSeconds(11 * 3600), 120_000, 100_000,
                    20_000, 2, 0, 0, 2, List.of(), List.of(), List.of()),
            ListeningRecords.call("S-51", "agent-5", "team-3", DAY_2.plusSeconds(11 * 3600), 600_000, 200_000,
                    300_000, 0, 5, 2, 0, List.of(), List.of(), List.of()));

    /** Each agent's daily totals: agent-9 {@code GOOD} then {@code BAD}, agent-1 {@code MEDIUM} twice, ... */
    static final Map<String, List<ListeningTotals>> AGENT_DAYS = Map.of(
            "agent-9", List.of(ListeningRecords.GOOD, ListeningRecords.BAD),
            "agent-1", List.of(ListeningRecords.MEDIUM, ListeningRecords.MEDIUM),
            "agent-7", List.of(ListeningRecords.BAD),
            "agent-5", List.of(ListeningTotals.ZERO, ListeningRecords.GOOD));
    static final Map<String, String> TEAM_OF = Map.of("agent-9", "team-1", "agent-1", "team-1", "agent-7", "team-2",
            "agent-5", "team-3");

    private StoredListening() {
    }

    /** Writes the calls, S-91's spurts and transcript, and the agents' and teams' daily windows. */
    static void write(DataSource store) throws SQLException {
        List<AgentMetricsComputed> windows = new java.util.ArrayList<>();
        Map<String, ListeningTotals[]> teams = new java.util.TreeMap<>();
        AGENT_DAYS.forEach((agent, days) -> {
            for (int d = 0; d < days.size(); d++) {
                Instant day = d == 0 ? DAY_1 : DAY_2;
                windows.add(ListeningRecords.daily(Scope.AGENT, agent, day, days.get(d)));
                ListeningTotals[] team = teams.computeIfAbsent(TEAM_OF.get(agent),
                        t -> new ListeningTotals[] {ListeningTotals.ZERO, ListeningTotals.ZERO});
                team[d] = team[d].plus(days.get(d));
            }
        });
        teams.forEach((team, days) -> {
            windows.add(ListeningRecords.daily(Scope.TEAM, team, DAY_1, days[0]));
            windows.add(ListeningRecords.daily(Scope.TEAM, team, DAY_2, days[1]));
        });
        List<io.earshot.schemas.CallSummaryComputed> calls = new java.util.ArrayList<>(
                List.of(AT_EASE.summary(), POOR.summary()));
        OTHER_CALLS.forEach(c -> calls.add(c.summary()));
        StoreRecords.write(store, calls, windows, List.of(
                        segment(Role.AGENT, 0, 12_000, 14_000), segment(Role.CUSTOMER, 0, 13_500, 19_000),
                        segment(Role.AGENT, 1, 20_000, 22_000), segment(Role.AGENT, 2, 45_000, 47_000),
                        segment(Role.AGENT, 3, 500_000, 503_000)),
                List.of(utterance(Role.AGENT, 0, 12_000, "oh that sounds frustrating"),
                        utterance(Role.CUSTOMER, 0, 14_000, "they charged me twice this month"),
                        utterance(Role.AGENT, 1, 20_000, "can you tell me what happened"),
                        utterance(Role.AGENT, 2, 45_000, "so you were charged twice then"),
                        utterance(Role.AGENT, 3, 500_000, "right i will call you back by friday")));
    }

    /** The summed daily totals of an agent or (with {@code team} true) a team's agents. */
    static ListeningTotals summed(String key, boolean team) {
        ListeningTotals sum = ListeningTotals.ZERO;
        for (Map.Entry<String, List<ListeningTotals>> e : AGENT_DAYS.entrySet()) {
            if (team ? TEAM_OF.get(e.getKey()).equals(key) : e.getKey().equals(key)) {
                for (ListeningTotals t : e.getValue()) {
                    sum = sum.plus(t);
                }
            }
        }
        return sum;
    }

    /** The score the query API gives summed totals: the metric job's default scoring. */
    static ListeningScore score(ListeningTotals totals) {
        WindowMetrics.Scoring s = WindowMetrics.Scoring.DEFAULTS;
        return ListeningScorer.score(totals, s.talkShareLow(), s.talkShareHigh(), s.score());
    }

    private static SpeechSegmentDetected segment(Role role, int index, long startMs, long endMs) {
        return SpeechSegmentDetected.newBuilder().setCallId("S-91").setRole(role)
                .setSegmentIndex(index).setStartMs(startMs).setEndMs(endMs).setLoudnessDbfs(-20).setVoicedRatio(0.8)
                .build();
    }

    private static UtteranceTranscribed utterance(Role role, int index, long startMs, String text) {
        return UtteranceTranscribed.newBuilder().setCallId("S-91").setRole(role)
                .setUtteranceIndex(index).setStartMs(startMs).setEndMs(startMs + 2000).setText(text)
                .setWords(List.of()).setIsFinal(true).build();
    }
}
