package io.earshot.analysis.avro;

import static io.earshot.analysis.summary.KeptEvidence.after;

import io.earshot.analysis.events.DeadLetter;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.summary.KeptEvidence;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.ConversationEvents;
import io.earshot.analysis.metrics.MetricsConfig;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.AggregationScope;
import io.earshot.schemas.AggregationWindow;
import io.earshot.schemas.BackchannelDetected;
import io.earshot.schemas.BehaviourDetected;
import io.earshot.schemas.CoachingNote;
import io.earshot.schemas.ListeningScore;
import io.earshot.schemas.ScoreComponent;
import io.earshot.schemas.ToneEventDetected;
import io.earshot.schemas.VoiceBaseline;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.DeadAirDetected;
import io.earshot.schemas.EventRejected;
import io.earshot.schemas.InterruptionDetected;
import io.earshot.schemas.MetricThresholds;
import io.earshot.schemas.PauseIntrusionDetected;
import io.earshot.schemas.ResponseGapMeasured;
import io.earshot.schemas.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The job's outputs in the Avro contracts of {@code schemas/}, for the Kafka topics
 * (earshot.call-live, earshot.call-summaries, earshot.agent-metrics, earshot.dead-letters).
 * The contracts carry no NaN: an undefined ratio (nothing to divide by) becomes null, and a
 * mean gap in milliseconds is rounded to a whole number.
 */
public final class AvroOutputs {

    private AvroOutputs() {
    }

    /**
     * A call summary in the contract. A running value that keeps evidence of the call's previous
     * one ({@link CallSummary#kept}) carries only the items after the kept ones in each list, and
     * says how many it kept ({@code keptEvidence}); every other one carries whole lists.
     */
    public static CallSummaryComputed toAvro(CallSummary s) {
        CallMetrics m = s.metrics();
        KeptEvidence k = s.kept() == null ? NONE_KEPT : s.kept();
        return CallSummaryComputed.newBuilder()
                .setCallId(s.callId())
                .setAgentId(s.agentId())
                .setTeam(s.team())
                .setQueue(s.queue())
                .setRedaction(s.redaction())
                .setMediaStartTime(Instant.ofEpochMilli(s.mediaStartEpochMs()))
                .setIsFinal(s.isFinal())
                .setEndReason(s.endReason())
                .setEmittedAt(Instant.ofEpochMilli(s.emittedAtMs()))
                .setDurationMs(m.durationMs())
                .setAgentTalkMs(m.agentTalkMs())
                .setCustomerTalkMs(m.customerTalkMs())
                .setOverlapMs(m.overlapMs())
                .setSilenceMs(m.silenceMs())
                .setAgentTalkShare(orNull(m.agentTalkShare()))
                .setInterruptions(new ArrayList<>(after(m.interruptions(), k.interruptions()).stream()
                        .map(AvroOutputs::interruption).toList()))
                .setBackchannels(new ArrayList<>(after(m.backchannels(), k.backchannels()).stream()
                        .map(b -> BackchannelDetected.newBuilder()
                        .setBy(b.by()).setStartMs(b.startMs()).setEndMs(b.endMs()).setText(b.text()).build()).toList()))
                .setResponseGaps(new ArrayList<>(after(m.responseGaps(), k.responseGaps()).stream()
                        .map(g -> ResponseGapMeasured.newBuilder()
                        .setCustomerEndMs(g.customerEndMs()).setAgentStartMs(g.agentStartMs()).setGapMs(g.gapMs())
                        .setRespected(g.respected()).build()).toList()))
                .setPauseIntrusions(new ArrayList<>(after(m.pauseIntrusions(), k.pauseIntrusions()).stream()
                        .map(p -> PauseIntrusionDetected.newBuilder()
                        .setCustomerPauseStartMs(p.customerPauseStartMs()).setAgentStartMs(p.agentStartMs())
                        .setCustomerResumeMs(p.customerResumeMs()).build()).toList()))
                .setDeadAir(new ArrayList<>(after(m.deadAir(), k.deadAir()).stream()
                        .map(d -> DeadAirDetected.newBuilder()
                        .setStartMs(d.startMs()).setEndMs(d.endMs()).build()).toList()))
                .setPauseRespectRate(orNull(m.pauseRespectRate()))
                .setMeanResponseGapMs(roundedOrNull(m.meanResponseGapMs()))
                .setAgentInterruptionsPer10Min(orNull(m.agentInterruptionsPer10Min()))
                .setAgentInterruptions(m.interruptions().stream().filter(i -> i.by() == Role.AGENT).count())
                .setLongestAgentMonologueMs(m.longestAgentMonologueMs())
                .setLongestCustomerStoryMs(m.longestCustomerStoryMs())
                .setThresholds(thresholds(m.config()))
                .setTranscriptionSkippedRegions(s.transcription().skippedRegions())
                .setTranscriptionSkippedSpeechMs(s.transcription().skippedSpeechMs())
                .setMaxTranscriptionLagMs(s.transcription().maxLagMs())
                .setBehaviours(s.listening() == null ? new ArrayList<>() : new ArrayList<>(
                        after(s.listening().behaviours(), k.behaviours()).stream()
                        .map(b -> BehaviourDetected.newBuilder().setBy(b.by()).setKind(b.kind().label())
                                .setStartMs(b.startMs()).setEndMs(b.endMs()).setText(b.text()).setReason(b.reason())
                                .build()).toList()))
                .setToneEvents(s.listening() == null ? new ArrayList<>() : new ArrayList<>(after(s.listening().tone()
                        .events(), k.toneEvents()).stream().map(e -> ToneEventDetected.newBuilder().setBy(e.by())
                                .setKind(e.kind().label()).setStartMs(e.startMs()).setEndMs(e.endMs())
                                .setValues(new LinkedHashMap<>(e.values())).build()).toList()))
                .setVoiceBaselines(s.listening() == null ? new ArrayList<>() : new ArrayList<>(List.of(
                        baseline(s.listening().tone().agent()), baseline(s.listening().tone().customer()))))
                .setListeningScore(s.listening() == null ? null : score(s.listening().score()))
                .setCoaching(s.listening() == null ? new ArrayList<>() : new ArrayList<>(
                        after(s.listening().coaching(), k.coaching()).stream()
                        .map(n -> CoachingNote.newBuilder().setKind(n.kind()).setAtMs(n.atMs())
                                .setMessage(n.message()).build()).toList()))
                .setKeptEvidence(s.kept() == null ? null : io.earshot.schemas.KeptEvidence.newBuilder()
                        .setPreviousEmittedAt(Instant.ofEpochMilli(k.previousEmittedAtMs()))
                        .setInterruptions(k.interruptions()).setBackchannels(k.backchannels())
                        .setResponseGaps(k.responseGaps()).setPauseIntrusions(k.pauseIntrusions())
                        .setDeadAir(k.deadAir()).setBehaviours(k.behaviours()).setToneEvents(k.toneEvents())
                        .setCoaching(k.coaching()).build())
                .build();
    }

    private static final KeptEvidence NONE_KEPT = new KeptEvidence(0, 0, 0, 0, 0, 0, 0, 0, 0);

    private static VoiceBaseline baseline(io.earshot.analysis.listening.VoiceBaseline b) {
        return VoiceBaseline.newBuilder().setRole(b.role()).setPitchSemitones(orNull(b.pitchSemitones()))
                .setLoudnessDbfs(orNull(b.loudnessDbfs())).setSpeakingRateWpm(orNull(b.speakingRateWpm()))
                .setSpeechMs(b.speechMs()).setWords(b.words()).build();
    }

    /** A listening score in the contract; null when there is none. */
    public static ListeningScore score(io.earshot.analysis.listening.ListeningScore s) {
        if (s == null) {
            return null;
        }
        return ListeningScore.newBuilder()
                .setScore(orNull(s.score()))
                .setComponents(new ArrayList<>(s.components().stream().map(c -> ScoreComponent.newBuilder()
                        .setName(c.name()).setValue(orNull(c.value())).setWeight(c.weight()).setPoints(c.points())
                        .build()).toList()))
                .setThresholds(new LinkedHashMap<>(s.thresholds()))
                .build();
    }

    public static AgentMetricsComputed toAvro(WindowMetrics w) {
        io.earshot.analysis.metrics.ListeningTotals t = w.totals();
        io.earshot.analysis.listening.ListeningCounts n = t.listening();
        return AgentMetricsComputed.newBuilder()
                .setScope(AggregationScope.valueOf(w.scope().name()))
                .setKey(w.key())
                .setWindow(AggregationWindow.valueOf(w.window().name()))
                .setWindowStart(Instant.ofEpochMilli(w.windowStartMs()))
                .setWindowEnd(Instant.ofEpochMilli(w.windowEndMs()))
                .setTotals(io.earshot.schemas.ListeningTotals.newBuilder()
                        .setCallTimeMs(t.callTimeMs()).setAgentTalkMs(t.agentTalkMs())
                        .setCustomerTalkMs(t.customerTalkMs()).setOverlapMs(t.overlapMs()).setSilenceMs(t.silenceMs())
                        .setAgentInterruptions(t.agentInterruptions())
                        .setAgentInterruptionOverlapMs(t.agentInterruptionOverlapMs())
                        .setCustomerInterruptions(t.customerInterruptions())
                        .setAgentBackchannels(t.agentBackchannels()).setCustomerBackchannels(t.customerBackchannels())
                        .setTransfers(t.transfers()).setRespectedTransfers(t.respectedTransfers())
                        .setResponseGapSumMs(t.responseGapSumMs()).setPauseIntrusions(t.pauseIntrusions())
                        .setCallsEnded(t.callsEnded())
                        .setAgentParaphrases(n.agentParaphrases()).setAgentSummaries(n.agentSummaries())
                        .setAgentEmpathy(n.agentEmpathy()).setAgentApologies(n.agentApologies())
                        .setAgentOpenQuestions(n.agentOpenQuestions())
                        .setAgentClarifyingQuestions(n.agentClarifyingQuestions())
                        .setAgentClosedQuestions(n.agentClosedQuestions()).setAgentFollowUps(n.agentFollowUps())
                        .setAgentRaisedVoice(n.agentRaisedVoice()).setAgentMonotone(n.agentMonotone())
                        .setAgentFastSpeech(n.agentFastSpeech()).setCustomerRaisedVoice(n.customerRaisedVoice())
                        .setCustomerAgitation(n.customerAgitation()).build())
                .setListeningScore(score(w.listeningScore()))
                .setAgentTalkShare(orNull(w.agentTalkShare()))
                .setAgentInterruptionsPer10Min(orNull(w.agentInterruptionsPer10Min()))
                .setPauseRespectRate(orNull(w.pauseRespectRate()))
                .setMeanResponseGapMs(roundedOrNull(w.meanResponseGapMs()))
                .build();
    }

    public static EventRejected toAvro(DeadLetter d) {
        return EventRejected.newBuilder()
                .setCallId(d.callId())
                .setKind(d.kind())
                .setEventTime(d.eventTimeMs() < 0 ? null : Instant.ofEpochMilli(d.eventTimeMs()))
                .setReason(d.reason())
                .build();
    }

    private static InterruptionDetected interruption(ConversationEvents.Interruption i) {
        return InterruptionDetected.newBuilder().setBy(i.by()).setOf(i.of()).setStartMs(i.startMs())
                .setOverlapMs(i.overlapMs()).setSuccessful(i.successful()).setByWords(i.byWords())
                .setOfWords(i.ofWords()).build();
    }

    private static MetricThresholds thresholds(MetricsConfig c) {
        return MetricThresholds.newBuilder()
                .setInterruptionMinOnsetMs(c.interruptionMinOnsetMs())
                .setInterruptionMinOverlapMs(c.interruptionMinOverlapMs())
                .setInterruptionSuccessWithinMs(c.interruptionSuccessWithinMs())
                .setBackchannelMaxMs(c.backchannelMaxMs())
                .setBackchannelTokenMaxMs(c.backchannelTokenMaxMs())
                .setContinuationMs(c.continuationMs())
                .setBackchannelTokens(new ArrayList<>(c.backchannelTokens()))
                .setPauseRespectMinGapMs(c.pauseRespectMinGapMs())
                .setPauseIntrusionResumeWithinMs(c.pauseIntrusionResumeWithinMs())
                .setDeadAirMinMs(c.deadAirMinMs())
                .setTalkShareLow(c.talkShareLow())
                .setTalkShareHigh(c.talkShareHigh())
                .build();
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    private static Long roundedOrNull(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v);
    }
}
