package io.earshot.ingest.dsp;

/** Receives the features of each analysed frame, in order. */
@FunctionalInterface
public interface FrameHandler {
    void handleFrame(FrameFeatures frame);
}
