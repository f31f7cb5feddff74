package io.earshot.pipeline.simulate;

/**
 * Told about every audio frame a client has handed to the socket, for end-to-end latency
 * measurement: the server's output for media time {@code mediaPositionMs} can be compared with
 * when that audio left the client. Called on the call's streaming thread; keep it cheap.
 */
@FunctionalInterface
public interface FrameListener {

    FrameListener NONE = (callId, mediaPositionMs, wallTimeNanos) -> { };

    /**
     * @param mediaPositionMs start of the frame in the call's audio, in milliseconds
     * @param wallTimeNanos   wall-clock send time as nanoseconds since the Unix epoch (so it can
     *                        be compared with timestamps taken in another process on the same host)
     */
    void onFrameSent(String callId, long mediaPositionMs, long wallTimeNanos);
}
