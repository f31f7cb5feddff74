package io.earshot.ingest.live;

import io.earshot.schemas.ChannelRole;
import io.earshot.schemas.Role;
import io.earshot.schemas.SourceProtocol;
import java.util.List;
import java.util.Objects;

/**
 * What a protocol session knows about a live call when its audio starts: the ids of its
 * {@code CallStarted} and the audio format pushed into {@link LiveCall}.
 *
 * @param callId            the call's id, unique across sources
 * @param agentId           the agent handling the call
 * @param team              the agent's team, {@code null} when the source does not name it
 * @param queue             the queue the call came through, {@code null} when unnamed
 * @param protocol          how the audio reaches Earshot
 * @param channels          which party speaks on each source channel
 * @param mediaStartEpochMs wall-clock instant of media position 0
 * @param sampleRate        sample rate of the PCM16 pushed into the call, in Hz
 * @param awaitingAssignment the source named no agent and {@code agentId} is a default: the real
 *                          one is expected later ({@code CallStarted.awaitingAssignment})
 */
public record CallInfo(String callId, String agentId, String team, String queue, SourceProtocol protocol,
        List<ChannelRole> channels, long mediaStartEpochMs, int sampleRate, boolean awaitingAssignment) {

    /** A call whose source named its agent. */
    public CallInfo(String callId, String agentId, String team, String queue, SourceProtocol protocol,
            List<ChannelRole> channels, long mediaStartEpochMs, int sampleRate) {
        this(callId, agentId, team, queue, protocol, channels, mediaStartEpochMs, sampleRate, false);
    }

    /**
     * A recorded call analysed offline: source protocol {@code FILE}, channel 0 the agent's and 1
     * the customer's, as the analysed audio holds them ({@code CallAudio}).
     */
    public static CallInfo ofRecording(String callId, String agentId, String team, String queue,
            long mediaStartEpochMs, int sampleRate) {
        return new CallInfo(callId, agentId, team, queue, SourceProtocol.FILE,
                List.of(new ChannelRole(0, "agent", Role.AGENT), new ChannelRole(1, "customer", Role.CUSTOMER)),
                mediaStartEpochMs, sampleRate);
    }

    public CallInfo {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(channels, "channels");
        if (callId.isBlank()) {
            throw new IllegalArgumentException("callId is blank");
        }
        if (agentId.isBlank()) {
            throw new IllegalArgumentException("agentId is blank");
        }
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("call " + callId + ": no channels");
        }
        if (mediaStartEpochMs < 0) {
            throw new IllegalArgumentException("call " + callId + ": negative media start " + mediaStartEpochMs);
        }
        if (sampleRate <= 0 || sampleRate % 50 != 0) {
            throw new IllegalArgumentException("call " + callId + ": sample rate " + sampleRate
                    + " Hz does not divide into 20 ms frames");
        }
        channels = List.copyOf(channels);
    }
}
