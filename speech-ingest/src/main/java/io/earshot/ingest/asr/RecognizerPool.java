package io.earshot.ingest.asr;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import org.vosk.Model;
import org.vosk.Recognizer;

/**
 * A bounded pool of Vosk recognizers over one shared {@link Model}.
 *
 * <p>At most {@code maxSize} recognizers exist; a caller borrows one for one speech region,
 * and it is {@link Recognizer#reset() reset} when returned, so their number follows the regions
 * transcribed at the same moment, not the calls. Borrowers beyond the bound wait.
 *
 * <p>On a model with a static decoding graph ({@code graph/HCLG.fst}, which the build composes
 * for the model it unpacks) a recognizer holds little beyond one region's decoding state. On a
 * model with a lookahead graph only ({@code graph/HCLr.fst} and {@code graph/Gr.fst}) each
 * recognizer composes the graph on the fly and caches what it composed for as long as it lives:
 * its native memory grows with the audio it has decoded (to about 200 MB), and a fresh one pays
 * again for the composition. So one that has heard {@code recycleAfterSeconds} is closed on
 * return and a fresh one is made when next needed; the allocator reuses the freed memory for it.
 */
public final class RecognizerPool implements AutoCloseable {

    private final Model model;
    private final float sampleRate;
    private final Semaphore permits;
    private final Deque<PooledRecognizer> idle = new ArrayDeque<>();
    private final int maxSize;
    private final long recycleAfterSamples;
    private int live;
    private int created;
    private boolean closed;

    /**
     * Audio a recognizer decodes before it is replaced by a fresh one, for the model's own
     * search ({@link AsrProfile#ACCURATE}); a profile may set its own
     * ({@link AsrProfile#recycleAfterSeconds()}). It matters on a lookahead graph only, where a
     * fresh recognizer rebuilds its composition cache, so a lower budget trades CPU for memory:
     * on a 4-minute recorded call, replacing every 60 s instead of 600 s cost one recogniser
     * about 18% more CPU and cut its peak by about 40%.
     */
    public static final int DEFAULT_RECYCLE_AFTER_SECONDS = 600;

    public RecognizerPool(Model model, float sampleRate, int maxSize) {
        this(model, sampleRate, maxSize, DEFAULT_RECYCLE_AFTER_SECONDS);
    }

    public RecognizerPool(Model model, float sampleRate, int maxSize, int recycleAfterSeconds) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("pool size must be at least 1");
        }
        this.model = model;
        this.sampleRate = sampleRate;
        this.maxSize = maxSize;
        this.recycleAfterSamples = (long) (recycleAfterSeconds * sampleRate);
        this.permits = new Semaphore(maxSize, true);
    }

    /**
     * A pooled recognizer with the number of samples it has been fed over its life. Vosk keeps
     * counting time across {@code reset()} and final results, so word times of a new stream
     * are offset by everything fed before: {@link #secondsFedBefore()} says by how much.
     */
    public static final class PooledRecognizer {
        private final Recognizer recognizer;
        private final float sampleRate;
        private long samplesFed;
        private long samplesAtBorrow;
        private Object lastSpeaker;

        PooledRecognizer(Recognizer recognizer, float sampleRate) {
            this.recognizer = recognizer;
            this.sampleRate = sampleRate;
        }

        /** Feeds samples; returns true when Vosk has a final result ready. */
        public boolean accept(short[] samples, int length) {
            samplesFed += length;
            return recognizer.acceptWaveForm(samples, length);
        }

        public String result() {
            return recognizer.getResult();
        }

        public String finalResult() {
            return recognizer.getFinalResult();
        }

        /** Seconds of audio this recognizer was fed before the current borrower got it. */
        public double secondsFedBefore() {
            return samplesAtBorrow / (double) sampleRate;
        }
    }

    /** Borrows a recognizer with no speaker preference. */
    public PooledRecognizer borrow() throws InterruptedException {
        return borrow(null);
    }

    /**
     * Borrows a recognizer, waiting while all {@code maxSize} are in use: the recognizer that
     * last heard {@code speaker}, then one that has heard nobody yet (while fewer than
     * {@code maxSize} exist), then the least recently used. The preference does not carry
     * speaker adaptation: Vosk 0.3.45 drops its feature pipeline, i-vector statistics included,
     * at every final result, so each region starts unadapted; what a recognizer keeps across
     * regions is, on a lookahead graph, its cache of the composed graph, which holds for any speaker.
     */
    public PooledRecognizer borrow(Object speaker) throws InterruptedException {
        permits.acquire();
        synchronized (this) {
            if (closed) {
                permits.release();
                throw new IllegalStateException("recognizer pool is closed");
            }
            PooledRecognizer pooled = null;
            if (speaker != null) {
                for (PooledRecognizer candidate : idle) {
                    if (speaker.equals(candidate.lastSpeaker)) {
                        pooled = candidate;
                        break;
                    }
                }
                if (pooled != null) {
                    idle.remove(pooled);
                }
            }
            if (pooled == null && (speaker == null || live >= maxSize)) {
                pooled = idle.pollLast();
            }
            if (pooled == null) {
                Recognizer r;
                try {
                    r = new Recognizer(model, sampleRate);
                } catch (IOException e) {
                    permits.release();
                    throw new TranscriptionException("cannot create a Vosk recognizer", e);
                }
                r.setWords(true);
                live++;
                created++;
                pooled = new PooledRecognizer(r, sampleRate);
            }
            pooled.samplesAtBorrow = pooled.samplesFed;
            pooled.lastSpeaker = speaker;
            return pooled;
        }
    }

    /** Returns a borrowed recognizer after resetting it for the next stream. */
    public void release(PooledRecognizer pooled) {
        pooled.recognizer.reset();
        synchronized (this) {
            if (closed || pooled.samplesFed >= recycleAfterSamples) {
                pooled.recognizer.close();
                live--;
            } else {
                idle.addFirst(pooled);
            }
        }
        permits.release();
    }

    /** Recognizers created so far, replacements of recycled ones included. */
    public synchronized int created() {
        return created;
    }

    /** Recognizers that exist now: never more than the pool size. */
    public synchronized int live() {
        return live;
    }

    @Override
    public synchronized void close() {
        closed = true;
        PooledRecognizer r;
        while ((r = idle.pollFirst()) != null) {
            r.recognizer.close();
        }
    }
}
