package io.earshot.pipeline.api;

import io.earshot.analysis.windows.MetricsKey;
import io.earshot.analysis.windows.Scope;
import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.analysis.avro.AvroOutputs;
import io.earshot.analysis.listening.Behaviour;
import io.earshot.analysis.listening.BehaviourKind;
import io.earshot.analysis.listening.ListeningCounts;
import io.earshot.analysis.listening.ListeningScorer;
import io.earshot.analysis.listening.ScoreConfig;
import io.earshot.analysis.listening.ToneEvent;
import io.earshot.analysis.listening.ToneKind;
import io.earshot.analysis.metrics.ListeningTotals;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.BackchannelDetected;
import io.earshot.schemas.BehaviourDetected;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.CoachingNote;
import io.earshot.schemas.InterruptionDetected;
import io.earshot.schemas.MetricThresholds;
import io.earshot.schemas.ResponseGapMeasured;
import io.earshot.schemas.Role;
import io.earshot.schemas.ToneEventDetected;
import io.earshot.schemas.VoiceBaseline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A second data set for the API tests, about listening: four calls of three agents in teams
 * {@code east} and {@code west} with behaviours, tone, baselines, scores and coaching notes, and
 * daily agent and team windows, as the metric job publishes them. Each call's and window's
 * score is computed from its own totals, as the job does.
 *
 * <p>Agent a-1 had a textbook 50 minutes on 2 February and 2 poor minutes on 3 February; a-2
 * two middling days. The mean of a-1's daily scores is below a-2's, the score of its summed
 * days above: the case that shows why scores are never averaged.
 *
 * <p>Its builders are public for the dashboard's tests, which seed their store the same way.
 */
public final class ListeningRecords {

    static final Instant DAY_1 = Instant.parse("2026-02-02T00:00:00Z");
    static final Instant DAY_2 = Instant.parse("2026-02-03T00:00:00Z");
    private static final long DAY_MS = 86_400_000;

    private ListeningRecords() {
    }

    /** One call: what is stored, and its totals as the job sums them. */
    public record Call(CallSummaryComputed summary, ListeningTotals totals) {
    }

    /** A call at ease: no interruptions, respected pauses, confirmations, empathy, questions, one raised voice. */
    static final Call L1 = call("L-1", "a-1", "east", DAY_1.plusSeconds(9 * 3600), 600_000, 200_000, 300_000, 0, 5, 2, 0,
            List.of(behaviour(Role.AGENT, "empathy", 12_000, "that sounds frustrating", "phrase 'sounds frustrating'"),
                    behaviour(Role.AGENT, "open_question", 20_000, "can you tell me what happened",
                            "open question 'can you tell me'"),
                    behaviour(Role.AGENT, "paraphrase", 45_000, "so you were charged twice", "confirm cue 'so you'"),
                    behaviour(Role.CUSTOMER, "open_question", 50_000, "what can you do", "open question 'what'"),
                    behaviour(Role.AGENT, "open_question", 80_000, "how did that affect you", "open question 'how'"),
                    behaviour(Role.AGENT, "paraphrase", 120_000, "if i understand you the second charge",
                            "confirm cue 'if i understand'"),
                    behaviour(Role.AGENT, "follow_up", 500_000, "i will call you back by friday",
                            "commitment 'i will call you back'")),
            List.of(tone(Role.CUSTOMER, "agitation", 30_000, 60_000, Map.of("pitchRiseSemitones", 2.5, "loudnessRiseDb", 4.0)),
                    tone(Role.CUSTOMER, "raised_voice", 40_000, 44_000, Map.of("loudnessDb", -12.0, "baselineDb", -20.5,
                            "excessDb", 8.5)),
                    tone(Role.AGENT, "raised_voice", 300_000, 303_000, Map.of("loudnessDb", -14.0, "baselineDb", -21.0,
                            "excessDb", 7.0))),
            List.of(new CoachingNote("interruption", 5_000L, "You cut in at 0:05; let the customer finish."),
                    new CoachingNote("good_open_question", 20_000L, "Good open question at 0:20.")));

    /** A poor call: over the band, cutting in, no pauses respected, nothing of the listening kind. */
    static final Call L2 = call("L-2", "a-1", "east", DAY_2.plusSeconds(9 * 3600), 300_000, 200_000, 50_000, 3, 0, 0, 2,
            List.of(), List.of(),
            List.of(new CoachingNote("interruption", 7_000L, "You cut in three times; the first at 0:07.")));

    /** A call of the other team, stored without a score. */
    static final Call L3 = call("L-3", "a-3", "west", DAY_2.plusSeconds(10 * 3600), 400_000, 150_000, 150_000, 1, 1, 1, 0,
            List.of(), List.of(), List.of());

    /** A half-minute call: too short for the behaviour components, perfect on the rest. */
    static final Call L4 = call("L-4", "a-2", "east", DAY_1.plusSeconds(12 * 3600), 30_000, 10_000, 10_000, 0, 0, 0, 0,
            List.of(), List.of(), List.of());

    static List<Call> calls() {
        return List.of(L1, L2, withoutScore(L3), L4);
    }

    /** 50 minutes of textbook listening: scores 100. */
    public static final ListeningTotals GOOD = new ListeningTotals(3_000_000, 1_000_000, 1_500_000, 0, 0, 0, 0, 0, 25, 0, 20,
            20, 8000, 0, 5, new ListeningCounts(10, 0, 5, 0, 10, 0, 0, 5, 0, 0, 0, 0, 0));
    /** 2 minutes of talking over the customer: scores 11.1. */
    public static final ListeningTotals BAD = new ListeningTotals(120_000, 100_000, 20_000, 0, 0, 2, 1500, 0, 0, 0, 2, 0, -400,
            0, 1, ListeningCounts.ZERO);
    /** 10 middling minutes. */
    public static final ListeningTotals MEDIUM = new ListeningTotals(600_000, 250_000, 250_000, 0, 0, 1, 800, 0, 2, 1, 4, 3,
            1600, 0, 2, new ListeningCounts(1, 0, 0, 1, 1, 0, 2, 0, 0, 0, 0, 1, 0));
    /** A window in which nothing happened. */
    static final ListeningTotals EMPTY = ListeningTotals.ZERO;

    static List<AgentMetricsComputed> windows() {
        return List.of(
                daily(Scope.AGENT, "a-1", DAY_1, GOOD), daily(Scope.AGENT, "a-1", DAY_2, BAD),
                daily(Scope.AGENT, "a-2", DAY_1, MEDIUM), daily(Scope.AGENT, "a-2", DAY_2, MEDIUM),
                daily(Scope.AGENT, "a-3", DAY_2, EMPTY),
                daily(Scope.TEAM, "east", DAY_1, GOOD.plus(MEDIUM)), daily(Scope.TEAM, "east", DAY_2, BAD.plus(MEDIUM)),
                daily(Scope.TEAM, "west", DAY_2, BAD));
    }

    /** The default score of summed totals. */
    public static io.earshot.analysis.listening.ListeningScore score(ListeningTotals t) {
        return ListeningScorer.score(t, 0.35, 0.55, ScoreConfig.DEFAULTS);
    }

    /** A daily window starting at {@code day}, scored by the job's rule. */
    public static AgentMetricsComputed daily(Scope scope, String key, Instant day, ListeningTotals totals) {
        return AvroOutputs.toAvro(WindowMetrics.of(new MetricsKey(scope, key), WindowKind.DAILY, day.toEpochMilli(),
                day.toEpochMilli() + DAY_MS, totals));
    }

    private static Call withoutScore(Call c) {
        return new Call(CallSummaryComputed.newBuilder(c.summary()).setListeningScore(null).build(), c.totals());
    }

    /**
     * A final call summary with these counts and findings, as the job emits it, and its totals: {@code agentInterruptions}
     * cuts of 800 ms, {@code agentBackchannels}, and {@code respected} then {@code notRespected} response gaps.
     */
    public static Call call(String id, String agent, String team, Instant start, long durationMs, long agentTalkMs,
            long customerTalkMs, int agentInterruptions, int agentBackchannels, int respected, int notRespected,
            List<BehaviourDetected> behaviours, List<ToneEventDetected> tone, List<CoachingNote> coaching) {
        List<InterruptionDetected> interruptions = new ArrayList<>();
        for (int i = 0; i < agentInterruptions; i++) {
            interruptions.add(new InterruptionDetected(Role.AGENT, Role.CUSTOMER, 7_000L + 10_000L * i, 800L, true,
                    "let me stop you", "the bill"));
        }
        List<BackchannelDetected> backchannels = new ArrayList<>();
        for (int i = 0; i < agentBackchannels; i++) {
            backchannels.add(new BackchannelDetected(Role.AGENT, 3_000L + 10_000L * i, 3_400L + 10_000L * i, "mm-hmm"));
        }
        List<ResponseGapMeasured> gaps = new ArrayList<>();
        for (int i = 0; i < respected + notRespected; i++) {
            boolean r = i < respected;
            gaps.add(new ResponseGapMeasured(20_000L * (i + 1), 20_000L * (i + 1) + (r ? 500 : 100), r ? 500L : 100L, r));
        }
        long gapSum = gaps.stream().mapToLong(ResponseGapMeasured::getGapMs).sum();
        ListeningCounts counts = ListeningCounts.of(behaviours.stream().map(ListeningRecords::model).toList(),
                tone.stream().map(ListeningRecords::model).toList());
        ListeningTotals totals = new ListeningTotals(durationMs, agentTalkMs, customerTalkMs, 0,
                durationMs - agentTalkMs - customerTalkMs, agentInterruptions, 800L * agentInterruptions, 0,
                agentBackchannels, 0, gaps.size(), respected, gapSum, 0, 1, counts);
        double share = agentTalkMs + customerTalkMs == 0 ? Double.NaN
                : (double) agentTalkMs / (agentTalkMs + customerTalkMs);
        CallSummaryComputed summary = CallSummaryComputed.newBuilder().setCallId(id).setAgentId(agent).setTeam(team)
                .setQueue("main").setMediaStartTime(start).setIsFinal(true).setEndReason("ended")
                .setEmittedAt(start.plusMillis(durationMs + 1000)).setDurationMs(durationMs).setAgentTalkMs(agentTalkMs)
                .setCustomerTalkMs(customerTalkMs).setOverlapMs(0).setSilenceMs(durationMs - agentTalkMs - customerTalkMs)
                .setAgentTalkShare(Double.isNaN(share) ? null : share).setInterruptions(interruptions)
                .setBackchannels(backchannels).setResponseGaps(gaps).setPauseIntrusions(List.of()).setDeadAir(List.of())
                .setPauseRespectRate(gaps.isEmpty() ? null : (double) respected / gaps.size())
                .setMeanResponseGapMs(gaps.isEmpty() ? null : gapSum / gaps.size())
                .setAgentInterruptionsPer10Min(agentInterruptions * 600_000.0 / durationMs)
                .setAgentInterruptions(agentInterruptions).setLongestAgentMonologueMs(0).setLongestCustomerStoryMs(0)
                .setThresholds(new MetricThresholds(300L, 600L, 2000L, 1000L, 2000L, List.of("mm-hmm"), 1000L, 300L,
                        1500L, 5000L, 0.35, 0.55))
                .setBehaviours(behaviours).setToneEvents(tone)
                .setVoiceBaselines(List.of(new VoiceBaseline(Role.AGENT, 14.2, -21.0, 150.0, agentTalkMs, 480),
                        new VoiceBaseline(Role.CUSTOMER, null, -20.5, 130.0, customerTalkMs, 610)))
                .setListeningScore(AvroOutputs.score(score(totals))).setCoaching(coaching).build();
        return new Call(summary, totals);
    }

    public static BehaviourDetected behaviour(Role by, String kind, long startMs, String text, String reason) {
        return new BehaviourDetected(by, kind, startMs, startMs + 1500, text, reason);
    }

    public static ToneEventDetected tone(Role by, String kind, long startMs, long endMs, Map<String, Double> values) {
        return new ToneEventDetected(by, kind, startMs, endMs, new java.util.TreeMap<>(values));
    }

    private static Behaviour model(BehaviourDetected b) {
        return new Behaviour(b.getBy(), BehaviourKind.of(b.getKind()), b.getStartMs(), b.getEndMs(), b.getText(),
                b.getReason());
    }

    private static ToneEvent model(ToneEventDetected e) {
        return new ToneEvent(e.getBy(), ToneKind.valueOf(e.getKind().toUpperCase(Locale.ROOT)), e.getStartMs(),
                e.getEndMs(), e.getValues());
    }
}
