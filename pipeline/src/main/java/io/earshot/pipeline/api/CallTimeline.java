package io.earshot.pipeline.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Everything the store holds about one call, in media time (ms from the call's start): the
 * summary, the thresholds it was computed with, both parties' talk spurts with tone, the
 * word-timed transcript and the evidence behind each metric; then how the agent listened, with
 * the field names of {@code analyze --format json}: behaviours, tone events, speaking rates and
 * voice baselines, the listening score with its components, and the coaching notes.
 *
 * @param speakingRateWpm words per minute by role ({@code AGENT}, {@code CUSTOMER}), null when unknown
 * @param voiceBaselines  {@code [{"role","pitchSemitones","loudnessDbfs","speakingRateWpm","speechMs","words"}]},
 *                        empty for calls stored before baselines existed
 * @param listeningScore  null when the call has no score (nothing could be judged, or stored before scores existed)
 */
public record CallTimeline(CallRow call, JsonNode thresholds, List<Segment> segments, List<Utterance> utterances,
        List<Interruption> interruptions, List<Backchannel> backchannels, List<ResponseGap> responseGaps,
        List<DeadAir> deadAir, List<Behaviour> behaviours, List<ToneEvent> toneEvents,
        Map<String, Double> speakingRateWpm, JsonNode voiceBaselines, ListeningScoreView listeningScore,
        List<Coaching> coaching) {

    public CallTimeline {
        segments = List.copyOf(segments);
        utterances = List.copyOf(utterances);
        interruptions = List.copyOf(interruptions);
        backchannels = List.copyOf(backchannels);
        responseGaps = List.copyOf(responseGaps);
        deadAir = List.copyOf(deadAir);
        behaviours = List.copyOf(behaviours);
        toneEvents = List.copyOf(toneEvents);
        coaching = List.copyOf(coaching);
    }

    public record Segment(String role, int seq, long startMs, long endMs, Double pitchMedianHz,
            Double pitchRangeSemitones, double loudnessDbfs, double voicedRatio) {
    }

    /** @param words the recogniser's words: {@code [{"word","startMs","endMs","conf"}]} */
    public record Utterance(String role, int seq, long startMs, long endMs, String text, JsonNode words) {
    }

    public record Interruption(int seq, String by, String of, long startMs, long overlapMs, boolean successful,
            String byWords, String ofWords) {
    }

    public record Backchannel(int seq, String by, long startMs, long endMs, String text) {
    }

    public record ResponseGap(int seq, long customerEndMs, long agentStartMs, long gapMs, boolean respected) {
    }

    public record DeadAir(int seq, long startMs, long endMs) {
    }

    /**
     * A listening behaviour with its evidence.
     *
     * @param kind   {@code paraphrase}, {@code open_question}, ... (docs/metrics.md, "Listening behaviours")
     * @param text   the words that matched
     * @param reason why they matched
     */
    public record Behaviour(String by, String kind, long startMs, long endMs, String text, String reason) {
    }

    /**
     * A tone event with the values it was measured from.
     *
     * @param kind   {@code raised_voice}, {@code agitation}, {@code monotone} or {@code fast_speech}
     * @param values the measurements by name, e.g. {@code {"loudnessDb","baselineDb","excessDb"}}
     */
    public record ToneEvent(String by, String kind, long startMs, long endMs, JsonNode values) {
    }

    /** A coaching note pointing at a moment of the call. */
    public record Coaching(String kind, long atMs, String message) {
    }
}
