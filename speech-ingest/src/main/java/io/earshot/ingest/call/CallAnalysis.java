package io.earshot.ingest.call;

import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.dsp.SpeechSegment;
import io.earshot.ingest.dsp.VadConfig;
import java.util.List;

/**
 * The speech of one recorded call: both parties' talk spurts with tone, and their
 * transcript, each sorted by start time.
 */
public record CallAnalysis(String source, int sampleRate, long durationMs, VadConfig vad,
        List<SpeechSegment> segments, List<Utterance> transcript) {

    public CallAnalysis {
        segments = List.copyOf(segments);
        transcript = List.copyOf(transcript);
    }
}
