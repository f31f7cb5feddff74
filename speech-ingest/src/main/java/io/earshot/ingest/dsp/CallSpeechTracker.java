package io.earshot.ingest.dsp;

import java.util.ArrayDeque;

/**
 * The streaming speech-activity pipeline of one call: both channels' PCM16 samples go in, in
 * lockstep and in blocks of any size, as a live source delivers them; spurt start edges and
 * finished spurts come out through the {@link SpeechHandler}. Recorded calls are pushed
 * through the same object, so live and replayed results agree.
 *
 * <pre>
 * agent samples    -> FrameDispatcher -> FrameFeatureStage (level, pitch) --\
 *                  -> CrosstalkStage (own level after removing the other) --+-> SpeechActivityDetector
 * customer samples -> FrameDispatcher -> FrameFeatureStage (level, pitch) --/
 * </pre>
 */
public final class CallSpeechTracker {

    private final FrameDispatcher agent;
    private final FrameDispatcher customer;
    private final CrosstalkStage crosstalk;
    private final SpeechActivityDetector detector;
    private final ArrayDeque<FrameFeatures> agentFrames = new ArrayDeque<>();
    private final ArrayDeque<FrameFeatures> customerFrames = new ArrayDeque<>();
    private final ArrayDeque<double[]> ownLevels = new ArrayDeque<>();

    public CallSpeechTracker(int sampleRate, VadConfig config, SpeechHandler handler) {
        int hop = sampleRate * config.frameMs() / 1000;
        this.detector = new SpeechActivityDetector(config, handler);
        this.agent = new FrameDispatcher(sampleRate, hop, new FrameFeatureStage(sampleRate, hop, f -> {
            agentFrames.addLast(f);
            drain();
        }));
        this.customer = new FrameDispatcher(sampleRate, hop, new FrameFeatureStage(sampleRate, hop, f -> {
            customerFrames.addLast(f);
            drain();
        }));
        this.crosstalk = new CrosstalkStage(sampleRate, hop, config.echoLagMs(), (index, a, c) -> {
            ownLevels.addLast(new double[] {a, c});
            drain();
        });
    }

    /** Pushes {@code length} samples of each channel, starting at {@code offset}. */
    public void push(short[] agentSamples, short[] customerSamples, int offset, int length) {
        crosstalk.push(agentSamples, customerSamples, offset, length);
        agent.push(agentSamples, offset, length);
        customer.push(customerSamples, offset, length);
    }

    /** Ends the call: flushes frames still waiting for look-ahead and closes open spurts. */
    public void finish() {
        agent.finish();
        customer.finish();
        detector.finish();
    }

    /** Frame {@code n} goes to the detector once both channels' features and levels are in. */
    private void drain() {
        while (!agentFrames.isEmpty() && !customerFrames.isEmpty() && !ownLevels.isEmpty()) {
            double[] own = ownLevels.pollFirst();
            detector.accept(agentFrames.pollFirst().withOwnLevel(own[0]),
                    customerFrames.pollFirst().withOwnLevel(own[1]));
        }
    }
}
