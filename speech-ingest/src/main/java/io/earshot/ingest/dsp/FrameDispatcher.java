package io.earshot.ingest.dsp;

import be.tarsos.dsp.AudioEvent;
import be.tarsos.dsp.AudioProcessor;
import be.tarsos.dsp.io.TarsosDSPAudioFormat;

/**
 * Push-based framing for live and recorded audio alike: PCM16 samples go in as they arrive,
 * and each complete 40 ms window (centred on a 20 ms frame, stepping 20 ms) goes to the
 * TarsosDSP processors. Unlike TarsosDSP's pull-based {@code AudioDispatcher}, a caller that
 * receives audio in network packets can push it without an intermediate stream.
 *
 * <p>Frame {@code i} is centred on samples {@code [i*hop, (i+1)*hop)}: the stream is preceded
 * by half a hop of silence so that the first window is centred on the first frame. A trailing
 * part-frame shorter than one hop is dropped at {@link #finish()}.
 */
public final class FrameDispatcher {

    private final int hop;
    private final float[] window;
    private final AudioEvent event;
    private final AudioProcessor[] processors;
    private int filled;
    private long samplesIn;
    private long framesOut;

    public FrameDispatcher(int sampleRate, int hop, AudioProcessor... processors) {
        this.hop = hop;
        this.window = new float[2 * hop];
        this.processors = processors;
        this.event = new AudioEvent(new TarsosDSPAudioFormat(sampleRate, 16, 1, true, false));
        this.event.setOverlap(hop);
        this.filled = hop / 2; // leading half hop of silence centres window 0 on frame 0
    }

    public void push(short[] samples, int offset, int length) {
        for (int i = 0; i < length; i++) {
            window[filled++] = samples[offset + i] / 32768f;
            samplesIn++;
            if (filled == window.length) {
                emit();
            }
        }
    }

    /** Flushes the frames whose centre is complete, padding the window with silence. */
    public void finish() {
        long frames = samplesIn / hop;
        while (framesOut < frames) {
            while (filled < window.length) {
                window[filled++] = 0f;
            }
            emit();
        }
        for (AudioProcessor p : processors) {
            p.processingFinished();
        }
    }

    private void emit() {
        float[] copy = window.clone();
        event.setFloatBuffer(copy);
        event.setBytesProcessed(framesOut * hop * 2L);
        for (AudioProcessor p : processors) {
            if (!p.process(event)) {
                break;
            }
        }
        framesOut++;
        System.arraycopy(window, hop, window, 0, hop);
        filled = hop;
    }
}
