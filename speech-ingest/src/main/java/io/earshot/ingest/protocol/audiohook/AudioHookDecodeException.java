package io.earshot.ingest.protocol.audiohook;

/** A text frame that is not a well-formed AudioHook client message; the message says why. */
public final class AudioHookDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    public AudioHookDecodeException(String message) {
        super(message);
    }
}
