package io.earshot.ingest.dsp;

import io.earshot.schemas.Role;

/**
 * Voice activity for both channels of a call, frame by frame, as METRICS.md defines it.
 *
 * <p>A frame of one channel is speech when all of these hold:
 * <ol>
 *   <li>its level stands {@link VadConfig#sustainAboveFloorDb()} above that channel's adaptive
 *       noise floor (the quietest frame in the last {@link VadConfig#noiseWindowMs()}, so steady
 *       line noise and mains hum sit below the threshold whatever their level);</li>
 *   <li>it belongs to an unbroken run of such frames that contains a voiced anchor frame (pitch
 *       found by TarsosDSP's FastYin and a level {@link VadConfig#onsetAboveFloorDb()} above the
 *       floor) within {@link VadConfig#voicedReachMs()}: unvoiced consonants next to a vowel count,
 *       while clicks and noise bursts without voicing do not;</li>
 *   <li>it is not echo: a frame that is {@link VadConfig#echoMarginDb()} quieter than the other
 *       channel at the same time or up to {@link VadConfig#echoLagMs()} earlier carries the
 *       other party leaking into this channel, not this party speaking. Real double talk keeps
 *       both channels near their own speech levels, well inside that margin.</li>
 * </ol>
 * Frames then become talk spurts ({@link SpurtBuilder}). Decisions are streaming with a fixed
 * look-ahead: frame {@code i} is decided once frame {@code i + 2 * reach} of both channels has
 * arrived (600 ms with the defaults), so the detector serves live calls and recordings alike.
 * Time is the frame index times the frame length, never the wall clock.
 */
public final class SpeechActivityDetector {

    private static final byte NONE = 0;
    private static final byte SUSTAIN = 1;
    private static final byte ANCHOR = 2;

    private final VadConfig config;
    private final int reach;
    private final Channel agent;
    private final Channel customer;
    private long frames;

    public SpeechActivityDetector(VadConfig config, SpeechHandler handler) {
        this.config = config;
        this.reach = config.voicedReachFrames();
        int capacity = Integer.highestOneBit(config.noiseWindowFrames() + 4 * reach + config.echoLagFrames() + 8) * 2;
        this.agent = new Channel(capacity, new SpurtBuilder(Role.AGENT, config, handler));
        this.customer = new Channel(capacity, new SpurtBuilder(Role.CUSTOMER, config, handler));
    }

    /** Feeds frame {@code n} of both channels; the frames must carry the same index. */
    public void accept(FrameFeatures agentFrame, FrameFeatures customerFrame) {
        if (agentFrame.index() != frames || customerFrame.index() != frames) {
            throw new IllegalArgumentException("frames out of step: expected " + frames + ", got "
                    + agentFrame.index() + " and " + customerFrame.index());
        }
        agent.store(frames, agentFrame);
        customer.store(frames, customerFrame);
        agent.updateFloor(frames);
        customer.updateFloor(frames);
        frames++;
        long classify = frames - 1 - reach;
        if (classify >= 0) {
            agent.classify(classify, customer, frames - 1);
            customer.classify(classify, agent, frames - 1);
        }
        long decide = classify - reach;
        if (decide >= 0) {
            agent.decide(decide, frames - 1 - reach);
            customer.decide(decide, frames - 1 - reach);
        }
    }

    /** Decides the frames still waiting for look-ahead and closes open spurts. */
    public void finish() {
        long last = frames - 1;
        agent.settleFloor(last);
        customer.settleFloor(last);
        for (long i = Math.max(0, frames - reach); i <= last; i++) {
            agent.classify(i, customer, last);
            customer.classify(i, agent, last);
        }
        for (long i = Math.max(0, frames - 2L * reach); i <= last; i++) {
            agent.decide(i, last);
            customer.decide(i, last);
        }
        agent.spurts.finish();
        customer.spurts.finish();
    }

    private final class Channel {
        final int mask;
        final double[] level;
        final double[] pitch;
        final double[] floor;
        final byte[] cls;
        final long[] minIdx;
        int minHead;
        int minTail;
        final SpurtBuilder spurts;
        long runStart = -1;
        long lastAnchor = -1;

        Channel(int capacity, SpurtBuilder spurts) {
            this.mask = capacity - 1;
            this.level = new double[capacity];
            this.pitch = new double[capacity];
            this.floor = new double[capacity];
            this.cls = new byte[capacity];
            this.minIdx = new long[capacity];
            this.spurts = spurts;
        }

        void store(long i, FrameFeatures f) {
            level[(int) (i & mask)] = f.levelDbfs();
            pitch[(int) (i & mask)] = f.pitchHz();
        }

        /**
         * Sliding minimum (monotonic deque) over the trailing noise window; frame
         * {@code newest - reach} gets the minimum of a window that also looks {@code reach}
         * frames ahead, so a word starting right after a quiet stretch cannot lift its own floor.
         */
        void updateFloor(long newest) {
            double v = level[(int) (newest & mask)];
            while (minTail > minHead && level[(int) (minIdx[(minTail - 1) & mask] & mask)] >= v) {
                minTail--;
            }
            minIdx[minTail++ & mask] = newest;
            long oldest = newest - config.noiseWindowFrames() - reach;
            while (minIdx[minHead & mask] < oldest) {
                minHead++;
            }
            long target = newest - reach;
            double min = level[(int) (minIdx[minHead & mask] & mask)];
            floor[(int) (Math.max(0, target) & mask)] = Math.min(min, config.noiseFloorCeilingDbfs());
            if (target < 0) {
                // the first frames share the floor seen so far, ahead of them
                for (long i = 0; i <= newest; i++) {
                    floor[(int) (i & mask)] = Math.min(min, config.noiseFloorCeilingDbfs());
                }
            }
        }

        /** At the end of input, the frames still waiting for look-ahead take the last floor. */
        void settleFloor(long last) {
            if (last < 0) {
                return;
            }
            double min = Math.min(level[(int) (minIdx[minHead & mask] & mask)], config.noiseFloorCeilingDbfs());
            for (long i = Math.max(0, last - reach + 1); i <= last; i++) {
                floor[(int) (i & mask)] = min;
            }
        }

        void classify(long i, Channel other, long newest) {
            int at = (int) (i & mask);
            double l = level[at];
            double f = floor[at];
            byte c = NONE;
            if (l >= f + config.sustainAboveFloorDb() && !isEcho(i, l, other, newest)) {
                boolean voiced = !Double.isNaN(pitch[at]);
                c = voiced && l >= f + config.onsetAboveFloorDb() ? ANCHOR : SUSTAIN;
            }
            cls[at] = c;
        }

        private boolean isEcho(long i, double l, Channel other, long newest) {
            long from = Math.max(0, i - config.echoLagFrames());
            long to = Math.min(newest, i + 1);
            for (long j = from; j <= to; j++) {
                if (other.level[(int) (j & mask)] - l >= config.echoMarginDb()) {
                    return true;
                }
            }
            return false;
        }

        void decide(long i, long newestClassified) {
            int at = (int) (i & mask);
            byte c = cls[at];
            boolean speech = false;
            if (c == NONE) {
                runStart = -1;
            } else {
                if (runStart < 0) {
                    runStart = i;
                }
                if (c == ANCHOR) {
                    lastAnchor = i;
                }
                speech = lastAnchor >= runStart && i - lastAnchor <= reach
                        || anchorAhead(i, newestClassified);
            }
            spurts.accept(i, speech, level[at], speech ? pitch[at] : Double.NaN);
        }

        private boolean anchorAhead(long i, long newestClassified) {
            long to = Math.min(newestClassified, i + reach);
            for (long j = i + 1; j <= to; j++) {
                byte c = cls[(int) (j & mask)];
                if (c == NONE) {
                    return false;
                }
                if (c == ANCHOR) {
                    return true;
                }
            }
            return false;
        }
    }
}
