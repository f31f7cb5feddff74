package io.earshot.ingest.asr;

/** The recogniser could not be set up or failed on native code: not the caller's input. */
public final class TranscriptionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TranscriptionException(String message, Throwable cause) {
        super(message, cause);
    }

    public TranscriptionException(String message) {
        super(message);
    }
}
