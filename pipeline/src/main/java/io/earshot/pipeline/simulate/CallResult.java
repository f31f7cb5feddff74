package io.earshot.pipeline.simulate;

import java.util.List;

/**
 * What happened to one simulated call.
 *
 * @param openedLatencyNanos {@code open} sent to {@code opened} received (AudioHook); -1 when not
 *                           measured (no opened, or Twilio, whose server never answers)
 * @param framesSent         audio frames handed to the socket (a Twilio frame is one media message per track)
 * @param samplesSent        sample frames sent per channel
 * @param closedCleanly      the protocol's normal end completed: AudioHook close/closed without a
 *                           disconnect; Twilio stop followed by a normal (1000) close
 * @param closeCode          the WebSocket close code the server sent, or -1 if none was seen
 * @param failure            the first reason the call did not end cleanly, or null
 * @param serverErrors       every error the server reported (disconnects, error closes), in order
 */
public record CallResult(String callId, long openedLatencyNanos, long framesSent, long samplesSent,
                         boolean closedCleanly, int closeCode, String failure, List<String> serverErrors) {

    public CallResult {
        serverErrors = List.copyOf(serverErrors);
    }

    public double audioSeconds() {
        return samplesSent / (double) SimulatedCall.SAMPLE_RATE;
    }
}
