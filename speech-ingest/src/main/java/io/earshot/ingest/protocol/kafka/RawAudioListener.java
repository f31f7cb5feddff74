package io.earshot.ingest.protocol.kafka;

import io.earshot.ingest.live.LiveCall;
import io.earshot.ingest.protocol.CallRejectedException;
import io.earshot.schemas.CallStarted;

/**
 * What a {@link RawAudioConsumer} asks of the service around it: start a live call for a
 * {@code CallStarted} it accepted, feed it aligned audio, and finish it.
 */
public interface RawAudioListener {

    /**
     * Starts the call {@code started} announces (its protocol, sample rate and uniqueness already
     * checked).
     *
     * @throws CallRejectedException when the call may not start (no agent, too many calls)
     */
    LiveCall start(CallStarted started);

    /** The next aligned audio of both parties, as {@link LiveCall#push} takes it. */
    void audio(LiveCall call, short[] agent, short[] customer, long positionSamples);

    /** The call ended, for {@code reason}. */
    void finish(String callId, String reason);
}
