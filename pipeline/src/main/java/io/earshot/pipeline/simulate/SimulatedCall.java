package io.earshot.pipeline.simulate;

import io.earshot.ingest.audio.AgentChannel;
import io.earshot.ingest.audio.AudioFormatException;
import io.earshot.ingest.audio.CallAudio;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One call to stream: its audio (agent and customer, time-aligned, 8 kHz PCM16) and the metadata a
 * telephony platform would attach (call id, agent, team, queue).
 *
 * @param callId  unique per simulated call (file stem plus index), so concurrent copies of one
 *                recording stay apart on the server
 * @param audio   the shared, read-only recording; several calls may stream the same one
 */
public record SimulatedCall(String callId, String agentId, String team, String queue, Recording audio) {

    /** Telephone audio: both protocols stream 8 kHz mu-law, and this simulator does not resample. */
    public static final int SAMPLE_RATE = 8000;

    public SimulatedCall {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(audio, "audio");
    }

    /**
     * A loaded recording.
     *
     * @param stem     the file name without extension (of the agent file for a pair), for call ids
     * @param agent    agent samples at {@link #SAMPLE_RATE}
     * @param customer customer samples, same length
     */
    public record Recording(String stem, short[] agent, short[] customer) {
        public Recording {
            if (agent.length != customer.length) {
                throw new IllegalArgumentException("channels differ in length");
            }
        }

        public int samples() {
            return agent.length;
        }

        /**
         * Loads {@code spec}: one stereo WAV ({@code agentChannel} carries the agent), or
         * {@code AGENT.wav,CUSTOMER.wav}. Anything but 8 kHz is refused with an
         * {@link AudioFormatException} naming the file.
         */
        public static Recording load(String spec, AgentChannel agentChannel) throws IOException {
            List<Path> files = new ArrayList<>();
            for (String part : spec.split(",", -1)) {
                if (part.isBlank()) {
                    throw new AudioFormatException(spec, "empty file name; give FILE.wav or AGENT.wav,CUSTOMER.wav");
                }
                files.add(Path.of(part.trim()));
            }
            CallAudio call = CallAudio.load(files, agentChannel);
            if (call.sampleRate() != SAMPLE_RATE) {
                throw new AudioFormatException(spec, "sample rate " + call.sampleRate() + " Hz; telephony streams "
                        + "carry " + SAMPLE_RATE + " Hz audio, convert the recording first");
            }
            String name = files.get(0).getFileName().toString();
            int dot = name.lastIndexOf('.');
            return new Recording(dot > 0 ? name.substring(0, dot) : name, call.agent(), call.customer());
        }
    }
}
