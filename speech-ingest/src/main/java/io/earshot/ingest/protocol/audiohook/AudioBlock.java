package io.earshot.ingest.protocol.audiohook;

/**
 * One binary audio frame, decoded to PCM16 and split by channel.
 *
 * @param external    customer samples ("external" channel); empty when the media has no such channel
 * @param internal    agent samples ("internal" channel); empty when the media has no such channel
 * @param startSample stream position of the first sample, in samples at {@code rate} since the
 *                    start of the audio stream, counting audio the client reported as discarded
 * @param rate        sample rate in Hz
 */
public record AudioBlock(short[] external, short[] internal, long startSample, int rate) {

    /** Number of sample frames in this block. */
    public int sampleCount() {
        return Math.max(external.length, internal.length);
    }
}
