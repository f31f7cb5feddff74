package io.earshot.ingest.protocol;

/**
 * Thrown by a protocol listener to refuse what the caller sent: a call it cannot accept (an
 * unknown agent, missing metadata) or audio it cannot use (a position going backwards). The
 * session turns it into the protocol's own error for that caller, with this message, instead
 * of the generic server error an unexpected failure gets; other calls are not affected.
 */
public final class CallRejectedException extends RuntimeException {

    public CallRejectedException(String message) {
        super(message);
    }
}
