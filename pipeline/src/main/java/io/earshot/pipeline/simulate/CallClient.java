package io.earshot.pipeline.simulate;

/** Streams one call to a server the way one telephony platform does. Implementations are thread-safe. */
public interface CallClient {

    /**
     * Streams the whole call and ends the session; never throws for what the server does (a refusal,
     * a disconnect, a dropped socket all end up in the result).
     *
     * @throws InterruptedException when the calling thread is interrupted
     */
    CallResult stream(SimulatedCall call, FrameListener frames) throws InterruptedException;
}
