package io.earshot.ingest.protocol.twilio;

/** A text frame that is not one of the Twilio Media Streams messages this codec knows. */
public final class TwilioDecodeException extends Exception {

    public TwilioDecodeException(String message) {
        super(message);
    }
}
