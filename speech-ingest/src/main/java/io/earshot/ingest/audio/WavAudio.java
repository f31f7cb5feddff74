package io.earshot.ingest.audio;

/**
 * A decoded WAV file: one PCM16 sample array per channel, all of equal length.
 *
 * @param sampleRate samples per second (8000 or 16000)
 * @param encoding   how the samples were stored in the file
 * @param channels   decoded samples, {@code channels[c][i]}
 */
public record WavAudio(int sampleRate, SampleEncoding encoding, short[][] channels) {

    public int channelCount() {
        return channels.length;
    }

    public int frameCount() {
        return channels[0].length;
    }

    public long durationMs() {
        return frameCount() * 1000L / sampleRate;
    }
}
