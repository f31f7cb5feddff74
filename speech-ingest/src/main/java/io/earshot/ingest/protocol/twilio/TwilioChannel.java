package io.earshot.ingest.protocol.twilio;

/**
 * What a {@link TwilioSession} may do to its WebSocket. The Endpoint implements it over the real
 * socket; tests record the calls.
 */
public interface TwilioChannel {

    /** Sends one text frame (unused by a receive-only stream, kept for bidirectional streams). */
    void sendText(String text);

    /** Closes the socket with a WebSocket close code (RFC 6455 section 7.4) and a reason. */
    void close(int code, String reason);
}
