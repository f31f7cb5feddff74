package io.earshot.ingest.protocol.twilio;

import java.util.Map;

/**
 * What a {@link TwilioSession} reports. All calls come from the thread that feeds the session.
 */
public interface TwilioListener {

    /** The stream started; {@code customParameters} are the TwiML {@code <Parameter>} values. */
    void onStart(String callSid, String streamSid, Map<String, String> customParameters);

    /**
     * As {@link #onStart(String, String, Map)}, told the {@code accountSid} of the start message;
     * listeners that bound calls per account override this one.
     */
    default void onStart(String accountSid, String callSid, String streamSid, Map<String, String> customParameters) {
        onStart(callSid, streamSid, customParameters);
    }

    /**
     * Both channels for the same span of the call, equal length, PCM16 at 8 kHz, in order and
     * without gaps: {@code positionSamples} is the first sample's offset from the stream start and
     * equals the previous call's position plus its length.
     */
    void onAudio(short[] agent, short[] customer, long positionSamples);

    void onMark(String name);

    void onDtmf(String digit);

    /** The stream ended normally; all buffered audio has been delivered before this call. */
    void onStop();

    /** The session closed the socket because of a protocol violation. */
    void onError(String reason);

    /**
     * The server ended the stream normally (close 1000) at a bound such as the call duration;
     * all audio up to it has been delivered. By default the same as {@link #onStop()}.
     */
    default void onEndedByServer(String reason) {
        onStop();
    }
}
