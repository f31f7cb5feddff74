package io.earshot.ingest.asr;

import io.earshot.schemas.Role;
import java.util.List;

/**
 * Speech to text for one region of one channel. Implementations are thread-safe: a call's
 * regions, and different calls, may be transcribed concurrently.
 */
public interface Transcriber extends AutoCloseable {

    /**
     * Transcribes {@code samples} (PCM16 at {@code sampleRate}) that start at media position
     * {@code startMs}; returns the final utterances found, with media-time word timings.
     */
    default List<Utterance> transcribe(Role role, short[] samples, int sampleRate, long startMs) {
        return transcribe(null, role, samples, sampleRate, startMs);
    }

    /**
     * As above, for one {@code speaker} (a call's channel): a recogniser adapts to the voice it
     * hears, so regions of the same speaker go to the recognizer that last heard that speaker
     * when it is free. {@code null} means no preference.
     */
    List<Utterance> transcribe(Object speaker, Role role, short[] samples, int sampleRate, long startMs);

    @Override
    void close();
}
