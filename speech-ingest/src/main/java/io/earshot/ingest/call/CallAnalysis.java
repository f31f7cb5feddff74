package io.earshot.ingest.call;

import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.dsp.SpeechSegment;
import io.earshot.ingest.dsp.VadConfig;
import java.util.List;

/**
 * The speech of one recorded call: both parties' talk spurts with tone, and their
 * transcript, each sorted by start time.
 *
 * @param redaction how the transcript was redacted ({@code RedactionConfig.describe()}: "off" or
 *                  the rules applied); null when the call was not transcribed
 */
public record CallAnalysis(String source, int sampleRate, long durationMs, VadConfig vad,
        List<SpeechSegment> segments, List<Utterance> transcript, String redaction) {

    public CallAnalysis {
        segments = List.copyOf(segments);
        transcript = List.copyOf(transcript);
    }

    /** An analysis without a transcript, or one whose redaction is not known. */
    public CallAnalysis(String source, int sampleRate, long durationMs, VadConfig vad,
            List<SpeechSegment> segments, List<Utterance> transcript) {
        this(source, sampleRate, durationMs, vad, segments, transcript, null);
    }
}
