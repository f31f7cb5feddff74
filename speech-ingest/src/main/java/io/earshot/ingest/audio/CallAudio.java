package io.earshot.ingest.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A two-party call as two time-aligned PCM16 channels at one sample rate.
 *
 * @param source     how the call was given (file names), for messages
 * @param sampleRate 8000 or 16000
 * @param agent      the agent's channel
 * @param customer   the customer's channel, same length as {@code agent}
 */
public record CallAudio(String source, int sampleRate, short[] agent, short[] customer) {

    public CallAudio {
        if (agent.length != customer.length) {
            throw new IllegalArgumentException("channels differ in length");
        }
    }

    public long durationMs() {
        return agent.length * 1000L / sampleRate;
    }

    /**
     * Loads a call from one stereo WAV (agent on {@code agentChannel}) or two mono WAVs
     * (agent first, then customer). Two mono files of different length are aligned at their
     * start and the shorter one is padded with silence; their sample rates must match.
     */
    public static CallAudio load(List<Path> files, AgentChannel agentChannel) throws IOException {
        if (files.isEmpty() || files.size() > 2) {
            throw new AudioFormatException(String.valueOf(files),
                    "give one stereo WAV, or two mono WAVs (agent, then customer)");
        }
        if (files.size() == 1) {
            Path file = files.get(0);
            WavAudio wav = WavReader.read(file);
            if (wav.channelCount() != 2) {
                throw new AudioFormatException(file.toString(), "a single recording must be stereo "
                        + "(one channel per party); it has " + wav.channelCount()
                        + " channel; give agent and customer as two mono files instead");
            }
            int a = agentChannel.index();
            return new CallAudio(file.toString(), wav.sampleRate(), wav.channels()[a], wav.channels()[1 - a]);
        }
        WavAudio agent = readMono(files.get(0));
        WavAudio customer = readMono(files.get(1));
        if (agent.sampleRate() != customer.sampleRate()) {
            throw new AudioFormatException(files.get(1).toString(), "sample rate " + customer.sampleRate()
                    + " Hz differs from the agent file's " + agent.sampleRate() + " Hz");
        }
        int n = Math.max(agent.frameCount(), customer.frameCount());
        return new CallAudio(files.get(0) + " + " + files.get(1), agent.sampleRate(),
                Arrays.copyOf(agent.channels()[0], n), Arrays.copyOf(customer.channels()[0], n));
    }

    private static WavAudio readMono(Path file) throws IOException {
        WavAudio wav = WavReader.read(file);
        if (wav.channelCount() != 1) {
            throw new AudioFormatException(file.toString(), "expected a mono file per party, found "
                    + wav.channelCount() + " channels; give a stereo call as a single file");
        }
        return wav;
    }
}
