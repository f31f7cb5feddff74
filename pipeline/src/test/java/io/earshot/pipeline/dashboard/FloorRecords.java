package io.earshot.pipeline.dashboard;

import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.AggregationScope;
import io.earshot.schemas.AggregationWindow;
import io.earshot.schemas.BackchannelDetected;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.BehaviourDetected;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.CoachingNote;
import io.earshot.schemas.ToneEventDetected;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.ChannelRole;
import io.earshot.schemas.DeadAirDetected;
import io.earshot.schemas.InterruptionDetected;
import io.earshot.schemas.ListeningScore;
import io.earshot.schemas.ListeningTotals;
import io.earshot.schemas.ScoreComponent;
import io.earshot.schemas.MetricThresholds;
import io.earshot.schemas.Role;
import io.earshot.schemas.SourceProtocol;
import io.earshot.schemas.SpeechActivityChanged;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.UtteranceTranscribed;
import java.time.Instant;
import java.util.List;

/** Builders of the records the floor reads, with the fields a test does not care about filled in. */
final class FloorRecords {

    static final long T0 = 1_763_906_712_340L;

    private FloorRecords() {
    }

    static CallStarted started(String callId, String agent, String team) {
        return CallStarted.newBuilder().setCallId(callId).setAgentId(agent).setTeam(team).setQueue("support")
                .setSourceProtocol(SourceProtocol.AUDIOHOOK)
                .setChannels(List.of(new ChannelRole(0, "external", Role.CUSTOMER), new ChannelRole(1, "internal", Role.AGENT)))
                .setMediaStartTime(Instant.ofEpochMilli(T0)).setSampleRate(8000).build();
    }

    static CallEnded ended(String callId, long endMs) {
        return CallEnded.newBuilder().setCallId(callId).setEndMs(endMs).setReason("closed")
                .setEndedAt(Instant.ofEpochMilli(T0 + endMs)).build();
    }

    static SpeechActivityChanged edge(String callId, Role role, long atMs, boolean speaking) {
        return SpeechActivityChanged.newBuilder().setCallId(callId).setRole(role).setAtMs(atMs).setSpeaking(speaking)
                .build();
    }

    /** An edge of the detector's provisional decision. */
    static SpeechActivityChanged provisionalEdge(String callId, Role role, long atMs, boolean speaking) {
        SpeechActivityChanged e = edge(callId, role, atMs, speaking);
        e.setProvisional(true);
        return e;
    }

    static SpeechSegmentDetected segment(String callId, Role role, int index, long startMs, long endMs) {
        return SpeechSegmentDetected.newBuilder().setCallId(callId).setRole(role).setSegmentIndex(index)
                .setStartMs(startMs).setEndMs(endMs).setLoudnessDbfs(-20).setVoicedRatio(0.8).build();
    }

    static UtteranceTranscribed utterance(String callId, Role role, int index, long startMs, String text,
            boolean isFinal) {
        return UtteranceTranscribed.newBuilder().setCallId(callId).setRole(role).setUtteranceIndex(index)
                .setStartMs(startMs).setEndMs(startMs + 1000).setText(text).setWords(List.of()).setIsFinal(isFinal)
                .build();
    }

    static MetricThresholds thresholds() {
        return new MetricThresholds(300L, 600L, 2000L, 1000L, 2000L, List.of("mm-hmm"), 1000L, 300L, 1500L, 5000L, 0.35, 0.55);
    }

    /** A call's values at {@code durationMs} with the given talk share, interruptions by the agent and dead air. */
    static CallSummaryComputed summary(String callId, String agent, String team, long durationMs, Double talkShare,
            int agentInterruptions, List<DeadAirDetected> deadAir, boolean isFinal) {
        List<InterruptionDetected> interruptions = new java.util.ArrayList<>();
        for (int i = 0; i < agentInterruptions; i++) {
            interruptions.add(new InterruptionDetected(Role.AGENT, Role.CUSTOMER, 1000L * (i + 1), 700L, true,
                    "sorry", "month"));
        }
        return CallSummaryComputed.newBuilder().setCallId(callId).setAgentId(agent).setTeam(team).setQueue("support")
                .setMediaStartTime(Instant.ofEpochMilli(T0)).setIsFinal(isFinal).setEndReason(isFinal ? "ended" : null)
                .setEmittedAt(Instant.ofEpochMilli(T0 + durationMs)).setDurationMs(durationMs)
                .setAgentTalkMs(0).setCustomerTalkMs(0).setOverlapMs(0).setSilenceMs(0).setAgentTalkShare(talkShare)
                .setInterruptions(interruptions)
                .setBackchannels(List.of(new BackchannelDetected(Role.AGENT, 500L, 800L, "mm-hmm")))
                .setResponseGaps(List.of()).setPauseIntrusions(List.of()).setDeadAir(deadAir)
                .setPauseRespectRate(0.5).setMeanResponseGapMs(250L).setAgentInterruptionsPer10Min(null)
                .setAgentInterruptions(agentInterruptions).setLongestAgentMonologueMs(0).setLongestCustomerStoryMs(0)
                .setThresholds(thresholds()).build();
    }

    /** {@code s} with listening findings: behaviours, tone events, a score (null: none) and coaching notes. */
    static CallSummaryComputed withListening(CallSummaryComputed s, List<BehaviourDetected> behaviours,
            List<ToneEventDetected> tones, Double score, List<CoachingNote> coaching) {
        return CallSummaryComputed.newBuilder(s).setBehaviours(behaviours).setToneEvents(tones)
                .setListeningScore(score == null ? null : listeningScore(score)).setCoaching(coaching).build();
    }

    /** {@code s} with the longest agent monologue so far. */
    static CallSummaryComputed withMonologue(CallSummaryComputed s, long longestAgentMonologueMs) {
        return CallSummaryComputed.newBuilder(s).setLongestAgentMonologueMs(longestAgentMonologueMs).build();
    }

    static BehaviourDetected behaviour(Role by, String kind, long startMs, String text) {
        return new BehaviourDetected(by, kind, startMs, startMs + 800, text, "test rule");
    }

    static ToneEventDetected tone(Role by, String kind, long startMs) {
        return new ToneEventDetected(by, kind, startMs, startMs + 3000, java.util.Map.of("excessDb", 7.5));
    }

    static AgentMetricsComputed agentWindow(String agent, long windowEndOffsetMs, long agentInterruptions) {
        return agentWindow(agent, windowEndOffsetMs, agentInterruptions, 60_000L, null);
    }

    /**
     * An agent's live window with {@code callTimeMs} of call time and a listening score (null: none yet);
     * its behaviour counts are 2 paraphrases, 1 summary, 1 empathy, 3 open questions, 1 follow-up and 1
     * raised voice of the customer.
     */
    static AgentMetricsComputed agentWindow(String agent, long windowEndOffsetMs, long agentInterruptions,
            long callTimeMs, Double score) {
        long end = T0 + windowEndOffsetMs;
        return AgentMetricsComputed.newBuilder().setScope(AggregationScope.AGENT).setKey(agent)
                .setWindow(AggregationWindow.LIVE).setWindowStart(Instant.ofEpochMilli(end - 900_000))
                .setWindowEnd(Instant.ofEpochMilli(end))
                .setTotals(new ListeningTotals(callTimeMs, 30_000L, 30_000L, 1000L, 1000L, agentInterruptions,
                        700L * agentInterruptions, 0L, 2L, 1L, 4L, 3L, 1200L, 0L, 1L,
                        2L, 1L, 1L, 0L, 3L, 0L, 0L, 1L, 0L, 0L, 0L, 1L, 0L))
                .setAgentTalkShare(0.5).setAgentInterruptionsPer10Min(null).setPauseRespectRate(0.75)
                .setMeanResponseGapMs(300L)
                .setListeningScore(score == null ? null : listeningScore(score)).build();
    }

    static ListeningScore listeningScore(double score) {
        return new ListeningScore(score, List.of(new ScoreComponent("interruptions", 1.2, 20.0, 12.0),
                new ScoreComponent("confirmation", 1.0, 15.0, 15.0), new ScoreComponent("empathy", null, 10.0, 0.0)),
                java.util.Map.of("interruptionsPer10MinMax", 3.0));
    }
}
