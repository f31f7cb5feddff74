package io.earshot.ingest.dsp;

import io.earshot.schemas.Role;

/**
 * Voice activity for both channels of a call, frame by frame, as docs/metrics.md defines it.
 *
 * <p>A frame of one channel is speech when all of these hold:
 * <ol>
 *   <li>its level stands {@link VadConfig#sustainAboveFloorDb()} above that channel's adaptive
 *       noise floor (the quietest frame in the last {@link VadConfig#noiseWindowMs()}, so steady
 *       line noise and mains hum sit below the threshold whatever their level);</li>
 *   <li>it lies within {@link VadConfig#voicedReachMs()} of a voiced anchor frame (pitch found
 *       by TarsosDSP and a level {@link VadConfig#onsetAboveFloorDb()} above the floor), with no
 *       quiet stretch longer than a stop-consonant closure ({@link VadConfig#closureMs()}) in
 *       between: fricatives and plosives next to a vowel count, while clicks and noise bursts
 *       away from voicing do not;</li>
 *   <li>levels are the frame's own-speech level ({@link FrameFeatures#ownLevelDbfs()}): what
 *       is left once {@link CrosstalkStage} has taken out the part of the frame that matches
 *       the other channel up to {@link VadConfig#echoLagMs()} earlier. Echo and crosstalk
 *       fall to the noise floor; this party's own voice, even soft and under the other
 *       party's loud speech, keeps its level.</li>
 * </ol>
 * An anchor must also be within {@link VadConfig#anchorBelowSpeechDb()} of the channel's
 * running speech level (a slow average of its anchor levels), so breaths and lip noise on a
 * very quiet line do not start spurts.
 * Frames then become talk spurts ({@link SpurtBuilder}). Decisions are streaming with a bounded
 * look-ahead, so the detector serves live calls and recordings alike: a frame is classified once
 * frame {@code i + reach} has arrived (its noise floor looks that far ahead), and decided as
 * soon as what has been classified settles it, at the latest once frame {@code i + 2 * reach}
 * has arrived (600 ms with the defaults). A quiet frame is never speech, and a frame within
 * reach of a voiced anchor behind it always is, so both are decided at classification (300 ms);
 * only a frame that waits for an anchor ahead of it takes longer. The decisions are the same as
 * with the full look-ahead, only known sooner, so a spurt's end is known some 300 ms earlier
 * when quiet follows it, and the spurts are the same. Both channels are decided frame by frame
 * together, so the two parties' spurts come out in the order of the frames that settle them,
 * each with the media position of the audio the detector had when it closed it
 * ({@link SpeechSegment#knownAtMs()}): live, when it became known.
 * Time is the frame index times the frame length, never the wall clock.
 *
 * <p>Alongside, each frame is also decided provisionally as it arrives, without look-ahead
 * (its noise floor from the frames up to it; an anchor ahead not yet known), and the edges of
 * those provisional spurts are reported at once ({@link SpeechHandler#onProvisionalEdge}): a
 * start 120 ms into speech, an end once 250 ms of quiet have followed it (up to 300 ms more when
 * the sounds after it may still lead into speech), 0.3 s or more before the decided edges. They serve the live floor's speaking state only; the spurts and everything
 * computed from them come from the decided frames.
 */
public final class SpeechActivityDetector {

    private static final byte NONE = 0;
    private static final byte SUSTAIN = 1;
    private static final byte ANCHOR = 2;
    private static final double SPEECH_LEVEL_RATE = 0.01;

    private final VadConfig config;
    private final int reach;
    private final int closureFrames;
    private final Channel agent;
    private final Channel customer;
    private long frames;
    /** The first frame not decided yet, for both channels. */
    private long undecided;

    public SpeechActivityDetector(VadConfig config, SpeechHandler handler) {
        this.config = config;
        this.reach = config.voicedReachFrames();
        this.closureFrames = config.closureMs() / config.frameMs();
        int capacity = Integer.highestOneBit(config.noiseWindowFrames() + 4 * reach + 8) * 2;
        this.agent = new Channel(capacity, new SpurtBuilder(Role.AGENT, config, handler), Role.AGENT, handler);
        this.customer = new Channel(capacity, new SpurtBuilder(Role.CUSTOMER, config, handler), Role.CUSTOMER,
                handler);
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
        agent.provisional(frames);
        customer.provisional(frames);
        frames++;
        agent.spurts.audioTo(frames * config.frameMs());
        customer.spurts.audioTo(frames * config.frameMs());
        long classify = frames - 1 - reach;
        if (classify >= 0) {
            agent.classify(classify);
            customer.classify(classify);
        }
        // every frame up to classify - reach is settled; later ones as far as both channels are
        while (undecided <= classify) {
            int a = agent.speechAt(undecided, classify, false);
            int c = a < 0 ? -1 : customer.speechAt(undecided, classify, false);
            if (c < 0) {
                break;
            }
            agent.decide(undecided, a == 1);
            customer.decide(undecided, c == 1);
            undecided++;
        }
    }

    /** Decides the frames still waiting for look-ahead and closes open spurts. */
    public void finish() {
        long last = frames - 1;
        agent.spurts.audioTo(frames * config.frameMs());
        customer.spurts.audioTo(frames * config.frameMs());
        agent.settleFloor(last);
        customer.settleFloor(last);
        for (long i = Math.max(0, frames - reach); i <= last; i++) {
            agent.classify(i);
            customer.classify(i);
        }
        for (long i = undecided; i <= last; i++) {
            agent.decide(i, agent.speechAt(i, last, true) == 1);
            customer.decide(i, customer.speechAt(i, last, true) == 1);
        }
        undecided = Math.max(undecided, last + 1);
        agent.finishProvisional();
        customer.finishProvisional();
        agent.spurts.finish();
        customer.spurts.finish();
    }

    private final class Channel {
        final int mask;
        final double[] level;
        final double[] pitch;
        final double[] floor;
        final byte[] cls;
        final byte[] provisionalCls;
        final long[] minIdx;
        int minHead;
        int minTail;
        final SpurtBuilder spurts;
        final Role role;
        final SpeechHandler handler;
        int quietRun;
        long lastAnchor = -1;
        double speechLevel = Double.NaN;
        // the provisional decision of each frame as it arrives (see provisional())
        int provisionalQuietRun;
        long provisionalAnchor = -1;
        long provisionalStart = -1;
        long provisionalLastSpeech = -1;
        /** The first frame after the last provisional spurt closed: a new one starts no earlier. */
        long provisionalFree;
        boolean provisionalStartSent;

        Channel(int capacity, SpurtBuilder spurts, Role role, SpeechHandler handler) {
            this.mask = capacity - 1;
            this.level = new double[capacity];
            this.pitch = new double[capacity];
            this.floor = new double[capacity];
            this.cls = new byte[capacity];
            this.provisionalCls = new byte[capacity];
            this.minIdx = new long[capacity];
            this.spurts = spurts;
            this.role = role;
            this.handler = handler;
        }

        /**
         * Decides the newest frame {@code n} provisionally, as it arrives: classified against the
         * noise floor of the frames up to it (no look-ahead; the floor is the quietest frame of a
         * window of several seconds, which the next 300 ms rarely change) and the running speech
         * level, speech when it anchors or lies within reach after an anchor with no
         * closure-long quiet between. A spurt's first anchor also makes speech of the frames
         * within reach before it that the decided frames would count (a fricative before the
         * vowel), so its start is placed as the decided one is. Provisional spurts bridge gaps
         * and drop short runs as decided ones do, and report only their edges
         * ({@link SpeechHandler#onProvisionalEdge}). A spurt closes once the bridged gap has
         * passed and either the last frames are a closure-long quiet run (no anchor to come can
         * reach back over it) or the gap has outlasted the reach too: an end followed by quiet
         * is known 250 ms after it, one followed by sounds that may still lead to an anchor at
         * most 550 ms after it.
         */
        void provisional(long n) {
            int at = (int) (n & mask);
            byte c = classOf(at,
                    Math.min(level[(int) (minIdx[minHead & mask] & mask)], config.noiseFloorCeilingDbfs()));
            if (c == NONE) {
                if (++provisionalQuietRun > closureFrames) {
                    provisionalAnchor = -1;
                }
            } else {
                provisionalQuietRun = 0;
                if (c == ANCHOR) {
                    provisionalAnchor = n;
                }
            }
            provisionalCls[at] = c;
            boolean speech = c == ANCHOR || c == SUSTAIN && provisionalAnchor >= 0 && n - provisionalAnchor <= reach;
            if (speech) {
                if (provisionalStart < 0) {
                    provisionalStart = c == ANCHOR ? reachBack(n) : n;
                }
                provisionalLastSpeech = n;
                if (!provisionalStartSent && provisionalLastSpeech + 1 - provisionalStart >= config.minSpurtFrames()) {
                    provisionalStartSent = true;
                    handler.onProvisionalEdge(role, provisionalStart * config.frameMs(), true);
                }
            } else if (provisionalStart >= 0 && n - provisionalLastSpeech >= config.bridgeGapFrames()
                    && (provisionalQuietRun > closureFrames || n - provisionalLastSpeech >= config.bridgeGapFrames() + reach)) {
                finishProvisional();
                provisionalFree = n + 1;
            }
        }

        /**
         * The earliest frame before anchor {@code n} that the anchor makes speech: sustained
         * frames within reach, with no closure-long quiet run between (as the decided frames'
         * anchor ahead), and none before the last provisional spurt closed.
         */
        private long reachBack(long n) {
            long start = n;
            int quiet = 0;
            for (long j = n - 1; j >= Math.max(provisionalFree, n - reach); j--) {
                if (provisionalCls[(int) (j & mask)] == NONE) {
                    if (++quiet > closureFrames) {
                        break;
                    }
                } else {
                    quiet = 0;
                    start = j;
                }
            }
            return start;
        }

        /** Ends the open provisional spurt, if any, reporting its end if its start was reported. */
        void finishProvisional() {
            if (provisionalStartSent) {
                handler.onProvisionalEdge(role, (provisionalLastSpeech + 1) * config.frameMs(), false);
            }
            provisionalStart = -1;
            provisionalLastSpeech = -1;
            provisionalStartSent = false;
        }

        void store(long i, FrameFeatures f) {
            level[(int) (i & mask)] = f.ownLevelDbfs();
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

        void classify(long i) {
            int at = (int) (i & mask);
            byte c = classOf(at, floor[at]);
            if (c == ANCHOR) {
                // about two seconds of voiced speech to adapt; starts from the first anchor
                double l = level[at];
                speechLevel = Double.isNaN(speechLevel) ? l : speechLevel + SPEECH_LEVEL_RATE * (l - speechLevel);
            }
            cls[at] = c;
        }

        /** The class of the frame at ring slot {@code at} against noise floor {@code f}. */
        private byte classOf(int at, double f) {
            double l = level[at];
            if (l < f + config.sustainAboveFloorDb()) {
                return NONE;
            }
            boolean voiced = !Double.isNaN(pitch[at]);
            boolean loudEnough = Double.isNaN(speechLevel) || l >= speechLevel - config.anchorBelowSpeechDb();
            return voiced && loudEnough && l >= f + config.onsetAboveFloorDb() ? ANCHOR : SUSTAIN;
        }

        /**
         * Whether the next undecided frame {@code i} is speech: 1 or 0, or -1 when that depends
         * on frames not classified yet (only when {@code complete} is false: at the end of input
         * there are none to come). Changes nothing.
         */
        int speechAt(long i, long newestClassified, boolean complete) {
            byte c = cls[(int) (i & mask)];
            if (c == NONE) {
                return 0;
            }
            long anchor = c == ANCHOR ? i : lastAnchor;
            if (anchor >= 0 && i - anchor <= reach) {
                return 1;
            }
            return anchorAhead(i, newestClassified, complete);
        }

        /** Decides frame {@code i}, the next undecided one, as {@link #speechAt} found it. */
        void decide(long i, boolean speech) {
            int at = (int) (i & mask);
            if (cls[at] == NONE) {
                if (++quietRun > closureFrames) {
                    lastAnchor = -1; // the voiced region is over
                }
            } else {
                quietRun = 0;
                if (cls[at] == ANCHOR) {
                    lastAnchor = i;
                }
            }
            spurts.accept(i, speech, level[at], speech ? pitch[at] : Double.NaN);
        }

        /**
         * An anchor within reach ahead, with no quiet stretch longer than a closure between: 1
         * found, 0 not (a closure-long quiet stretch first, or none within reach), -1 when the
         * frames classified so far end before either is known.
         */
        private int anchorAhead(long i, long newestClassified, boolean complete) {
            long to = Math.min(newestClassified, i + reach);
            int quiet = 0;
            for (long j = i + 1; j <= to; j++) {
                byte c = cls[(int) (j & mask)];
                if (c == NONE) {
                    if (++quiet > closureFrames) {
                        return 0;
                    }
                } else {
                    quiet = 0;
                    if (c == ANCHOR) {
                        return 1;
                    }
                }
            }
            return complete || to >= i + reach ? 0 : -1;
        }
    }
}
