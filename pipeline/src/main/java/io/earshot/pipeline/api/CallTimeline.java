package io.earshot.pipeline.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Everything the store holds about one call, in media time (ms from the call's start): the
 * summary, the thresholds it was computed with, both parties' talk spurts with tone, the
 * word-timed transcript and the evidence behind each metric.
 */
public record CallTimeline(CallRow call, JsonNode thresholds, List<Segment> segments, List<Utterance> utterances,
        List<Interruption> interruptions, List<Backchannel> backchannels, List<ResponseGap> responseGaps,
        List<DeadAir> deadAir) {

    public CallTimeline {
        segments = List.copyOf(segments);
        utterances = List.copyOf(utterances);
        interruptions = List.copyOf(interruptions);
        backchannels = List.copyOf(backchannels);
        responseGaps = List.copyOf(responseGaps);
        deadAir = List.copyOf(deadAir);
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
}
