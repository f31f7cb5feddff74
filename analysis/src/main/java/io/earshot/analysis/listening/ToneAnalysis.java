package io.earshot.analysis.listening;

import io.earshot.analysis.events.ContourBlock;
import io.earshot.analysis.events.SegmentItem;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.events.WordItem;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tone of a call from its spurts' tone contours and its words' timings (docs/metrics.md,
 * "Tone").
 *
 * <p><b>What is measured.</b> Each party's speech is the blocks of its spurts' contours
 * ({@link ContourBlock}: 200 ms of one spurt with the level of the speaker's own speech in it
 * and its median pitch); a spurt sent without a contour counts as one block with the spurt's
 * loudness and median pitch. Levels are own speech: speech ingest takes the other party's
 * echo out of every frame before measuring it, and echo alone never makes a spurt, so a loud
 * customer leaking into the agent's channel neither adds agent speech nor lifts its level.
 *
 * <p><b>Baselines</b> ({@link VoiceBaseline}) are the speaker's own typical values: the median
 * of its block levels and of its voiced block pitches, weighted by duration, and the median of
 * its spurts' speaking rates. Events compare a speaker with its own median only, so a channel
 * recorded 12 dB quieter (or a quiet talker) moves its levels and its baseline together and
 * changes nothing; and a median is not pulled up by the few loud seconds it is meant to expose.
 *
 * <p><b>Live and replayed.</b> {@link #analyze} is a pure function of the spurts and final
 * utterances it is given: the same call gives the same result whether it is read live or
 * replayed. While a call is live, its baselines move as speech arrives, so an event of the call
 * so far may shift, appear or (rarely) disappear in a later running value; the final summary,
 * computed over the whole call, is the one that counts.
 */
public final class ToneAnalysis {

    private ToneAnalysis() {
    }

    /** Baselines and tone events of the call so far, from its spurts and final utterances (sorted by start). */
    public static ToneResult analyze(List<SegmentItem> segments, List<UtteranceItem> utterances, ToneConfig config) {
        return analyze(segments, utterances, config, null);
    }

    /**
     * The same, reusing from {@code memo} a party's voice and tone events when its spurts and
     * utterances are the ones of the call's previous summary: each party's tone depends on its
     * own speech only, so a running value after one party spoke recomputes that party alone.
     *
     * @param memo one call's memo, or null
     */
    public static ToneResult analyze(List<SegmentItem> segments, List<UtteranceItem> utterances, ToneConfig config,
            Memo memo) {
        return analyze(segments, utterances, config, memo, Seen.UNTOLD, Seen.UNTOLD);
    }

    /**
     * The same, told how many leading spurts and utterances are the ones of the memo's last
     * summary.
     *
     * @param sameSegments   how many spurts are, or {@link Seen#UNTOLD} to have the memo compare them
     * @param sameUtterances the same for the utterances
     */
    public static ToneResult analyze(List<SegmentItem> segments, List<UtteranceItem> utterances, ToneConfig config,
            Memo memo, int sameSegments, int sameUtterances) {
        if (memo != null) {
            try {
                return memo.analyze(segments, utterances, config, sameSegments, sameUtterances);
            } catch (RuntimeException e) {
                memo.forget(); // nothing half-updated is built on
                throw e;
            }
        }
        Map<Role, Voice> voices = new LinkedHashMap<>();
        List<ToneEvent> events = new ArrayList<>();
        for (Role role : Role.values()) {
            List<SegmentItem> ownSegments = new ArrayList<>();
            for (SegmentItem s : segments) {
                if (s.role() == role) {
                    ownSegments.add(s);
                }
            }
            List<UtteranceItem> ownUtterances = new ArrayList<>();
            for (UtteranceItem u : utterances) {
                if (u.role() == role) {
                    ownUtterances.add(u);
                }
            }
            Voice v = Voice.of(role, ownSegments, ownUtterances);
            voices.put(role, v);
            events.addAll(eventsOf(v, config, kind -> kind == ToneKind.AGITATION
                    ? merge(role, kind, agitationWindows(v, config, 0), Window::values)
                    : merge(role, kind, monotoneWindows(v, config, 0), w -> monotoneValues(w, v)),
                    () -> raisedVoice(v, config), () -> fastSpeech(v, config)));
        }
        return result(voices.get(Role.AGENT), voices.get(Role.CUSTOMER), events);
    }

    /** The order of a call's tone events: by start, then end, then party, then kind. */
    private static final Comparator<ToneEvent> EVENT_ORDER = (a, b) -> {
        int c = Long.compare(a.startMs(), b.startMs());
        if (c == 0) {
            c = Long.compare(a.endMs(), b.endMs());
        }
        if (c == 0) {
            c = a.by().compareTo(b.by());
        }
        return c != 0 ? c : a.kind().compareTo(b.kind());
    };

    private static ToneResult result(Voice agent, Voice customer, List<ToneEvent> events) {
        events.sort(EVENT_ORDER);
        return new ToneResult(agent.baseline(), customer.baseline(), events);
    }

    /**
     * The tone events of one party's voice, with the qualifying agitation and monotone windows
     * from {@code windows} (asked only once the baseline rests on enough speech).
     */
    private static List<ToneEvent> eventsOf(Voice v, ToneConfig config,
            java.util.function.Function<ToneKind, List<ToneEvent>> windows,
            java.util.function.Supplier<List<ToneEvent>> raised, java.util.function.Supplier<List<ToneEvent>> fast) {
        List<ToneEvent> events = new ArrayList<>();
        if (v.speechMs >= config.baselineMinSpeechMs()) {
            events.addAll(raised.get());
            if (v.role == Role.CUSTOMER) {
                events.addAll(windows.apply(ToneKind.AGITATION));
            }
            if (v.role == Role.AGENT) {
                events.addAll(windows.apply(ToneKind.MONOTONE));
            }
        }
        if (v.role == Role.AGENT) {
            events.addAll(fast.get());
        }
        return List.copyOf(events);
    }

    /**
     * One call's parties' voices and tone events from its last summary, each with what it was
     * computed from and what the next summary can build on. Not thread-safe: one per call.
     */
    public static final class Memo {
        /**
         * One party's voice kept up to date as its speech grows. While its new spurts come after
         * the ones it has (the usual case, live or replayed), their blocks are appended, the
         * level and pitch medians take them in ({@link WeightedMedian}), and the agitation and
         * monotone windows already judged are kept: a window depends only on its own blocks, and
         * one ending before the last block cannot change. New words are counted into the spurts
         * as they arrive ({@link Hearing}); an utterance changed or out of order counts them all
         * again. Raised voice and fast speech, judged against the baselines of the whole call so
         * far, are judged again each time, from the loud blocks ({@link Loud}) and from the runs
         * near the rate threshold. A spurt arriving out of order, or any other change, starts the
         * party over.
         */
        static final class Party {
            final ToneConfig config;
            final Role role;
            /** How many spurts and utterances of the party it was given last. */
            int segmentCount;
            int utteranceCount;
            /** The party's spurts sorted by start, as {@link Voice#of} orders them. */
            final List<SegmentItem> own = new ArrayList<>();
            final Voice voice;
            final WeightedMedian levels = new WeightedMedian();
            final WeightedMedian pitches = new WeightedMedian();
            /** The party's words counted into its spurts so far. */
            Hearing hearing = new Hearing();
            /** Its loud blocks for the last threshold. */
            final Loud loud = new Loud();
            /** Qualifying windows ending before block {@link #judgedUpTo}, merged; later ones are judged again. */
            final Merged agitation = new Merged(ToneKind.AGITATION);
            final Merged monotone = new Merged(ToneKind.MONOTONE);
            /** The monotone windows' slide, where the last judging left it. */
            final Slide slide = new Slide();
            int judgedUpTo;
            List<ToneEvent> events = List.of();

            private Party(Role role, ToneConfig config) {
                this.role = role;
                this.config = config;
                this.voice = new Voice(role);
            }

            /**
             * {@code kept} brought up to these spurts and utterances, or a new party if it cannot be.
             *
             * @param sameSegments   how many leading spurts are the ones it was given last
             * @param sameUtterances the same for the utterances
             */
            static Party update(Party kept, Role role, List<SegmentItem> segments, List<UtteranceItem> utterances,
                    int sameSegments, int sameUtterances, ToneConfig config) {
                if (kept != null && kept.config == config && sameSegments == kept.segmentCount
                        && segments.size() == sameSegments && sameUtterances == kept.utteranceCount
                        && utterances.size() == sameUtterances) {
                    return kept;
                }
                if (kept == null || kept.config != config || !kept.extend(segments, utterances, sameSegments,
                        sameUtterances)) {
                    kept = new Party(role, config);
                    if (!kept.extend(segments, utterances, 0, 0)) {
                        throw new IllegalStateException("a new party takes any spurts");
                    }
                }
                return kept;
            }

            /** Appends the spurts after the ones it has; false (and unchanged) if they do not follow them. */
            private boolean extend(List<SegmentItem> newSegments, List<UtteranceItem> newUtterances, int sameSegments,
                    int sameUtterances) {
                int had = segmentCount;
                if (sameSegments < had) {
                    return false;
                }
                List<SegmentItem> added = new ArrayList<>(newSegments.subList(had, newSegments.size()));
                added.sort(Comparator.comparingLong(SegmentItem::startMs));
                long lastStart = own.isEmpty() ? Long.MIN_VALUE : own.get(own.size() - 1).startMs();
                if (!added.isEmpty() && added.get(0).startMs() < lastStart) {
                    return false;
                }
                List<ContourBlock> addedBlocks = Voice.blocksOf(added);
                long lastBlock = voice.blocks.isEmpty() ? Long.MIN_VALUE
                        : voice.blocks.get(voice.blocks.size() - 1).startMs();
                if (!addedBlocks.isEmpty() && addedBlocks.get(0).startMs() < lastBlock) {
                    return false;
                }
                int hadUtterances = utteranceCount;
                boolean wordsFollow = sameUtterances >= hadUtterances;
                segmentCount = newSegments.size();
                utteranceCount = newUtterances.size();
                own.addAll(added);
                for (SegmentItem s : added) {
                    voice.speechMs += s.endMs() - s.startMs();
                }
                for (ContourBlock b : addedBlocks) {
                    voice.blocks.add(b);
                    if (!Double.isNaN(b.loudnessDbfs())) {
                        levels.add(b.loudnessDbfs(), b.durationMs());
                    }
                    if (!Double.isNaN(b.pitchSemitones())) {
                        pitches.add(b.pitchSemitones(), b.durationMs());
                    }
                }
                voice.loudnessDbfs = levels.median();
                voice.pitchSemitones = pitches.median();
                if (wordsFollow) {
                    hearing.hear(voice, added, newUtterances.subList(hadUtterances, newUtterances.size()));
                } else {
                    // an utterance changed or came out of order: count every word again
                    hearing = new Hearing();
                    voice.heard.clear();
                    voice.words = 0;
                    hearing.hear(voice, own, newUtterances);
                }
                events = judge();
                return true;
            }

            /**
             * The party's tone events ({@link #eventsOf}), judging only the windows not judged
             * yet; the list it had when they are the same events, so that the call's sorted
             * events can be kept too ({@link Memo#analyze}).
             */
            private List<ToneEvent> judge() {
                List<ToneEvent> out = eventsOf(voice, config, kind -> kind == ToneKind.AGITATION
                        ? judged(agitation, agitationWindows(voice, config, judgedUpTo), Window::values, Double.NaN)
                        : judged(monotone, monotoneWindows(voice, config, judgedUpTo, slide),
                                w -> monotoneValues(w, voice), round2(voice.pitchSemitones)),
                        () -> loud.raisedVoice(voice, config), () -> hearing.fastSpeech(voice, config));
                if (voice.speechMs >= config.baselineMinSpeechMs()) {
                    judgedUpTo = Math.max(0, voice.blocks.size() - 1);
                }
                return sameEvents(out, events) ? events : out;
            }

            /** Whether two lists hold equal events, the same objects mostly (read without their values then). */
            private static boolean sameEvents(List<ToneEvent> a, List<ToneEvent> b) {
                if (a.size() != b.size()) {
                    return false;
                }
                for (int i = 0; i < a.size(); i++) {
                    if (a.get(i) != b.get(i) && !a.get(i).equals(b.get(i))) {
                        return false;
                    }
                }
                return true;
            }

            /**
             * The events of the windows judged before and the new ones; keeps the new ones that
             * end before the last block (a block appended after the last one may still extend its
             * spurt). {@code values} gives an event's values, which depend on its window and on
             * {@code key} alone.
             */
            private List<ToneEvent> judged(Merged kept, List<Window> fresh,
                    java.util.function.Function<Window, Map<String, Double>> values, double key) {
                List<Window> keep = new ArrayList<>();
                List<Window> open = new ArrayList<>();
                for (Window w : fresh) {
                    (w.last() < voice.blocks.size() - 1 ? keep : open).add(w);
                }
                return kept.events(role, keep, open, values, key);
            }
        }

        private final Map<Role, Party> parties = new java.util.EnumMap<>(Role.class);
        /** The call's spurts and utterances of the last summary, and each party's share of them. */
        private final Seen segmentsSeen = new Seen();
        private final Seen utterancesSeen = new Seen();
        private final Map<Role, Own<SegmentItem>> ownSegments = new java.util.EnumMap<>(Role.class);
        private final Map<Role, Own<UtteranceItem>> ownUtterances = new java.util.EnumMap<>(Role.class);
        /**
         * The call's events sorted ({@link #EVENT_ORDER}) at the last summary, and each party's
         * list they came from: while both parties keep their lists, the sorted one is kept.
         */
        private List<ToneEvent> sorted;
        private final Map<Role, List<ToneEvent>> sortedFrom = new java.util.EnumMap<>(Role.class);

        private ToneResult analyze(List<SegmentItem> segments, List<UtteranceItem> utterances, ToneConfig config,
                int toldSegments, int toldUtterances) {
            // each party's spurts and utterances: those before the first change in the call's
            // lists stay, the ones from there on are shared out again
            int sameSegments = segmentsSeen.same(segments, toldSegments);
            int sameUtterances = utterancesSeen.same(utterances, toldUtterances);
            for (Role role : Role.values()) {
                ownSegments.computeIfAbsent(role, r -> new Own<>()).from(sameSegments);
                ownUtterances.computeIfAbsent(role, r -> new Own<>()).from(sameUtterances);
            }
            for (int i = sameSegments; i < segments.size(); i++) {
                ownSegments.get(segments.get(i).role()).add(segments.get(i), i);
            }
            for (int i = sameUtterances; i < utterances.size(); i++) {
                ownUtterances.get(utterances.get(i).role()).add(utterances.get(i), i);
            }
            Map<Role, Integer> ownSameSegments = new java.util.EnumMap<>(Role.class);
            Map<Role, Integer> ownSameUtterances = new java.util.EnumMap<>(Role.class);
            for (Role role : Role.values()) {
                ownSameSegments.put(role, ownSegments.get(role).end());
                ownSameUtterances.put(role, ownUtterances.get(role).end());
            }
            segmentsSeen.take(segments, toldSegments);
            utterancesSeen.take(utterances, toldUtterances);
            boolean same = sorted != null;
            for (Role role : Role.values()) {
                // taken out while it is updated: a failure leaves no half-updated party behind
                Party party = Party.update(parties.remove(role), role, ownSegments.get(role).items,
                        ownUtterances.get(role).items, ownSameSegments.get(role), ownSameUtterances.get(role), config);
                parties.put(role, party);
                same &= party.events == sortedFrom.get(role);
            }
            if (!same) {
                List<ToneEvent> events = new ArrayList<>();
                sortedFrom.clear();
                for (Role role : Role.values()) {
                    events.addAll(parties.get(role).events);
                    sortedFrom.put(role, parties.get(role).events);
                }
                events.sort(EVENT_ORDER);
                sorted = io.earshot.analysis.metrics.SharedList.of(events);
            }
            return new ToneResult(parties.get(Role.AGENT).voice.baseline(), parties.get(Role.CUSTOMER).voice.baseline(),
                    sorted);
        }

        void forget() {
            parties.clear();
            sorted = null;
            sortedFrom.clear();
            segmentsSeen.forget();
            utterancesSeen.forget();
            ownSegments.clear();
            ownUtterances.clear();
        }

        /**
         * One party's items of the call in order, each with its place in the call's list. The
         * items from a place on are given again after a change there; those that are the ones it
         * had (an item of the other party came in before them) still count as unchanged.
         */
        private static final class Own<T> {
            final List<T> items = new ArrayList<>();
            private int[] at = new int[16];
            /** Where the next item given goes, and whether all given so far were the ones it had. */
            private int next;
            private boolean matching;
            private int unchangedUntil;

            /** Begins taking the items from place {@code place} of the call's list on. */
            void from(int place) {
                next = items.size();
                while (next > 0 && at[next - 1] >= place) {
                    next--;
                }
                matching = true;
            }

            void add(T item, int place) {
                if (matching && next < items.size() && Unchanged.item(items.get(next), item)) {
                    at[next++] = place;
                    return;
                }
                if (matching) {
                    unchangedUntil = next;
                    items.subList(next, items.size()).clear();
                    matching = false;
                }
                if (next == at.length) {
                    at = java.util.Arrays.copyOf(at, 2 * at.length);
                }
                at[next++] = place;
                items.add(item);
            }

            /** Ends taking them; returns how many leading items are the ones it had. */
            int end() {
                int same = matching ? next : unchangedUntil;
                if (matching) {
                    items.subList(next, items.size()).clear();
                }
                return same;
            }
        }
    }

    /**
     * The weighted median of values only ever added, as {@link RunningMedian#median()} gives it
     * (the smallest value, in {@link Double#compare} order, whose cumulative weight reaches half
     * the total; values of weight 0 count as values): the distinct values up to the median in a
     * max-heap, the others in a min-heap, each of plain arrays, every value of the lower strictly
     * under every value of the upper, each carrying the place of its summed weight. A value
     * already there adds its weight to its own; a new one goes to its side; asking for the median
     * moves whole values across until the lower side holds half the weight and would not without
     * its top. So the cost of a median does not grow with how often its value recurs (levels and
     * pitches come in hundredths, and a long call repeats them). A party's level and pitch take
     * every block of the call, so these stay compact and are read near their tops, where the
     * median moves. Not thread-safe.
     */
    static final class WeightedMedian {
        private final LevelHeap lower = new LevelHeap(false);
        private final LevelHeap upper = new LevelHeap(true);
        /**
         * Each distinct value's place in {@link #weights}, found by its {@link Double#doubleToLongBits}
         * bits in an open-addressing table of plain arrays ({@code slots[i]} the place plus one, 0
         * for none): every block of a party looks its level and pitch up here, and in a long call
         * a table of boxed keys and values is spread over the heap.
         */
        private long[] keys = new long[64];
        private int[] slots = new int[64];
        private int distinct;
        /** The summed weight of each distinct value, which its heap carries with it as its place. */
        private long[] weights = new long[16];
        private long lowerWeight;
        private long total;

        void add(double value, long weight) {
            total += weight;
            boolean low = lower.size() > 0 && Double.compare(value, lower.topLevel()) <= 0;
            if (low) {
                lowerWeight += weight;
            }
            long bits = Double.doubleToLongBits(value);
            int slot = slotOf(bits);
            if (slots[slot] != 0) {
                weights[slots[slot] - 1] += weight; // on its side already: a value is never on both
                return;
            }
            int place = distinct++;
            if (place == weights.length) {
                weights = java.util.Arrays.copyOf(weights, 2 * place);
            }
            weights[place] = weight;
            keys[slot] = bits;
            slots[slot] = place + 1;
            if (2 * distinct > slots.length) {
                grow();
            }
            (low ? lower : upper).push(value, place);
        }

        /** The slot holding these bits, or the empty one where they would go. */
        private int slotOf(long bits) {
            int mask = slots.length - 1;
            int i = Long.hashCode(bits * 0x9E3779B97F4A7C15L) & mask;
            while (slots[i] != 0 && keys[i] != bits) {
                i = (i + 1) & mask;
            }
            return i;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldSlots = slots;
            keys = new long[2 * oldKeys.length];
            slots = new int[2 * oldSlots.length];
            for (int i = 0; i < oldSlots.length; i++) {
                if (oldSlots[i] != 0) {
                    int slot = slotOf(oldKeys[i]);
                    keys[slot] = oldKeys[i];
                    slots[slot] = oldSlots[i];
                }
            }
        }

        double median() {
            if (lower.size() + upper.size() == 0) {
                return Double.NaN;
            }
            while (upper.size() > 0 && (lower.size() == 0 || 2 * lowerWeight < total)) {
                int place = upper.topBlock();
                lower.push(upper.pop(), place);
                lowerWeight += weights[place];
            }
            while (true) {
                long w = weights[lower.topBlock()];
                if (lower.size() == 1 || 2 * (lowerWeight - w) < total) {
                    return lower.topLevel();
                }
                int place = lower.topBlock();
                upper.push(lower.pop(), place);
                lowerWeight -= w;
            }
        }
    }

    /**
     * The duration-weighted median of a changing set of values, as {@link #weightedPercentile}
     * gives it for q = 0.5: the smallest value whose cumulative weight reaches half the total.
     * Weights are whole milliseconds, so the sums are exact; the answer moves a step or two per
     * added or removed value, from where it was.
     *
     * <p>The distinct values are kept in order in chunks of plain arrays (at most {@link #CHUNK}
     * a chunk, split in two when full), each value as the bits of {@link #key} with its summed
     * weight and how many times it was added (a value of weight 0 still counts). A party's spurt
     * rates come one or two per running value for the whole call, and a tree of boxed values
     * spreads them over the heap: each step down it is a read from memory once other calls have
     * run in between. Here a value is found by two searches over short arrays (the chunks' first
     * values, then one chunk's), and the median walks along neighbouring array slots. Not
     * thread-safe.
     */
    static final class RunningMedian {
        static final int CHUNK = 64;
        /** Per chunk, in order: its values' keys (ascending), their weights and counts, and how many. */
        private long[][] keys = new long[2][];
        private long[][] weights = new long[2][];
        private int[][] counts = new int[2][];
        private int[] sizes = new int[2];
        /** Each chunk's first key, for finding a value's chunk. */
        private long[] firsts = new long[2];
        private int chunks;
        private long total;
        /** Whether there is a last answer; its key, and the weight of the values below it. */
        private boolean placed;
        private long at;
        private long below;
        /** Where the last {@link #find} put a key: its chunk and its slot there (or the slot it would take). */
        private int chunk;
        private int slot;

        /** A value's bits, ordered as {@link Double#compare} orders the values (NaN last, -0.0 before 0.0). */
        static long key(double value) {
            long bits = Double.doubleToLongBits(value);
            return bits ^ ((bits >> 63) & Long.MAX_VALUE);
        }

        static double value(long key) {
            return Double.longBitsToDouble(key ^ ((key >> 63) & Long.MAX_VALUE));
        }

        void add(double value, long weight) {
            long k = key(value);
            total += weight;
            if (placed && k < at) {
                below += weight;
            }
            if (find(k)) {
                weights[chunk][slot] += weight;
                counts[chunk][slot]++;
                return;
            }
            if (chunks == 0) {
                openChunk(0);
            } else if (sizes[chunk] == CHUNK) {
                split(chunk);
                if (slot > CHUNK / 2) {
                    chunk++;
                    slot -= CHUNK / 2;
                }
            }
            int n = sizes[chunk];
            System.arraycopy(keys[chunk], slot, keys[chunk], slot + 1, n - slot);
            System.arraycopy(weights[chunk], slot, weights[chunk], slot + 1, n - slot);
            System.arraycopy(counts[chunk], slot, counts[chunk], slot + 1, n - slot);
            keys[chunk][slot] = k;
            weights[chunk][slot] = weight;
            counts[chunk][slot] = 1;
            sizes[chunk] = n + 1;
            if (slot == 0) {
                firsts[chunk] = k;
            }
        }

        /** Takes out a value added before with that weight. */
        void remove(double value, long weight) {
            long k = key(value);
            if (!find(k)) {
                throw new IllegalArgumentException("not in the set: " + value);
            }
            weights[chunk][slot] -= weight;
            counts[chunk][slot]--;
            total -= weight;
            if (placed && k < at) {
                below -= weight;
            }
            if (counts[chunk][slot] > 0) {
                return;
            }
            int n = sizes[chunk] - 1;
            System.arraycopy(keys[chunk], slot + 1, keys[chunk], slot, n - slot);
            System.arraycopy(weights[chunk], slot + 1, weights[chunk], slot, n - slot);
            System.arraycopy(counts[chunk], slot + 1, counts[chunk], slot, n - slot);
            sizes[chunk] = n;
            if (n == 0) {
                closeChunk(chunk);
            } else if (slot == 0) {
                firsts[chunk] = keys[chunk][0];
            }
            if (placed && k == at) {
                // the next value up takes its place, with the same weight below it
                find(k);
                if (chunks == 0) {
                    placed = false;
                } else if (slot < sizes[chunk]) {
                    at = keys[chunk][slot];
                } else if (chunk + 1 < chunks) {
                    at = firsts[chunk + 1];
                } else {
                    // none above it: the largest, with the weight below it
                    at = keys[chunk][sizes[chunk] - 1];
                    below -= weights[chunk][sizes[chunk] - 1];
                }
            }
        }

        /**
         * The smallest value whose cumulative weight, doubled, reaches {@code twice} (the median
         * for the total weight), walking from the median; the largest value when none does.
         */
        double lowest(long twice) {
            if (chunks == 0) {
                return Double.NaN;
            }
            median(); // places the walk's start
            long median = at;
            long belowMedian = below;
            walkTo(twice);
            double v = value(at);
            at = median;
            below = belowMedian;
            return v;
        }

        double median() {
            if (chunks == 0) {
                return Double.NaN;
            }
            if (!placed) {
                placed = true;
                at = firsts[0];
                below = 0;
            }
            walkTo(total);
            return value(at);
        }

        /**
         * Moves {@link #at} (and {@link #below}) to the smallest value whose cumulative weight,
         * doubled, reaches {@code twice}, or the largest when none does, slot by slot from where it is.
         */
        private void walkTo(long twice) {
            find(at);
            int c = chunk;
            int i = slot;
            while (2 * below >= twice && (i > 0 || c > 0)) {
                if (i == 0) {
                    c--;
                    i = sizes[c];
                }
                i--;
                below -= weights[c][i];
            }
            while (2 * (below + weights[c][i]) < twice && (i + 1 < sizes[c] || c + 1 < chunks)) {
                below += weights[c][i];
                if (++i == sizes[c]) {
                    c++;
                    i = 0;
                }
            }
            at = keys[c][i];
        }

        /**
         * Finds key {@code k}: sets {@link #chunk} to the last chunk whose first key is not above
         * it (the first chunk when all are) and {@link #slot} to its place there, or to where it
         * would go in that chunk (which may be the chunk's end); whether it is there.
         */
        private boolean find(long k) {
            int lo = 0;
            int hi = chunks - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (firsts[mid] <= k) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            chunk = lo;
            if (chunks == 0) {
                slot = 0;
                return false;
            }
            int i = java.util.Arrays.binarySearch(keys[lo], 0, sizes[lo], k);
            slot = i >= 0 ? i : -i - 1;
            return i >= 0;
        }

        /** Opens an empty chunk at place {@code c}. */
        private void openChunk(int c) {
            if (chunks == sizes.length) {
                int more = 2 * chunks;
                keys = java.util.Arrays.copyOf(keys, more);
                weights = java.util.Arrays.copyOf(weights, more);
                counts = java.util.Arrays.copyOf(counts, more);
                sizes = java.util.Arrays.copyOf(sizes, more);
                firsts = java.util.Arrays.copyOf(firsts, more);
            }
            System.arraycopy(keys, c, keys, c + 1, chunks - c);
            System.arraycopy(weights, c, weights, c + 1, chunks - c);
            System.arraycopy(counts, c, counts, c + 1, chunks - c);
            System.arraycopy(sizes, c, sizes, c + 1, chunks - c);
            System.arraycopy(firsts, c, firsts, c + 1, chunks - c);
            keys[c] = new long[CHUNK];
            weights[c] = new long[CHUNK];
            counts[c] = new int[CHUNK];
            sizes[c] = 0;
            chunks++;
        }

        /** Closes the empty chunk at place {@code c}. */
        private void closeChunk(int c) {
            chunks--;
            System.arraycopy(keys, c + 1, keys, c, chunks - c);
            System.arraycopy(weights, c + 1, weights, c, chunks - c);
            System.arraycopy(counts, c + 1, counts, c, chunks - c);
            System.arraycopy(sizes, c + 1, sizes, c, chunks - c);
            System.arraycopy(firsts, c + 1, firsts, c, chunks - c);
            keys[chunks] = null;
            weights[chunks] = null;
            counts[chunks] = null;
        }

        /** Moves the upper half of the full chunk {@code c} into a new chunk after it. */
        private void split(int c) {
            openChunk(c + 1);
            int half = CHUNK / 2;
            System.arraycopy(keys[c], half, keys[c + 1], 0, CHUNK - half);
            System.arraycopy(weights[c], half, weights[c + 1], 0, CHUNK - half);
            System.arraycopy(counts[c], half, counts[c + 1], 0, CHUNK - half);
            sizes[c] = half;
            sizes[c + 1] = CHUNK - half;
            firsts[c + 1] = keys[c + 1][0];
        }
    }

    // ---------------------------------------------------------------- raised voice

    /**
     * Loud blocks are those at least {@code raisedVoiceDb} over the baseline. Loud blocks at most
     * {@code raisedVoiceMaxDipMs} apart form a candidate stretch from the first loud block's
     * start to the last one's end; its loudness is the power mean of all its blocks, the quieter
     * ones included. A candidate whose loudness is under the threshold is split at its longest
     * dip, and the parts judged again. A stretch at or over the threshold that lasts at least
     * {@code raisedVoiceMinMs} is a raised voice. So a stretch starts and ends on loud speech, a
     * loud syllable or two in calm speech is nothing, and the reported excess is always the
     * stretch's own.
     */
    static List<ToneEvent> raisedVoice(Voice v, ToneConfig config) {
        double threshold = v.loudnessDbfs + config.raisedVoiceDb();
        List<ContourBlock> loud = new ArrayList<>();
        for (ContourBlock b : v.blocks) {
            if (b.loudnessDbfs() >= threshold) {
                loud.add(b);
            }
        }
        return stretches(v, loud, threshold, config);
    }

    /** The raised-voice events of a voice's loud blocks (in time order) for this threshold. */
    private static List<ToneEvent> stretches(Voice v, List<ContourBlock> loud, double threshold, ToneConfig config) {
        List<ToneEvent> out = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= loud.size(); i++) {
            if (i == loud.size() || loud.get(i).startMs() - loud.get(i - 1).endMs() > config.raisedVoiceMaxDipMs()) {
                judgeRaised(v, loud.subList(from, i), threshold, config, out);
                from = i;
            }
        }
        return out;
    }

    private static void judgeRaised(Voice v, List<ContourBlock> loud, double threshold, ToneConfig config,
            List<ToneEvent> out) {
        if (loud.isEmpty()) {
            return;
        }
        long start = loud.get(0).startMs();
        long end = loud.get(loud.size() - 1).endMs();
        if (end - start < config.raisedVoiceMinMs()) {
            return;
        }
        double level = v.powerMean(start, end);
        if (level >= threshold) {
            out.add(raised(v, start, end, level));
            return;
        }
        if (loud.size() == 1) {
            return; // a block whose span holds quieter ones: nothing to split
        }
        int split = longestDip(loud);
        judgeRaised(v, loud.subList(0, split), threshold, config, out);
        judgeRaised(v, loud.subList(split, loud.size()), threshold, config, out);
    }

    /** A raised voice over {@code [start, end)} at {@code level}, against the voice's baseline now. */
    private static ToneEvent raised(Voice v, long start, long end, double level) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loudnessDb", round2(level));
        values.put("baselineDb", round2(v.loudnessDbfs));
        values.put("excessDb", round2(level - v.loudnessDbfs));
        return new ToneEvent(v.role, ToneKind.RAISED_VOICE, start, end, values);
    }

    /** Where loud blocks (two or more) split: after the first of their longest dips. */
    private static int longestDip(List<ContourBlock> loud) {
        int split = 1;
        long longest = -1;
        for (int i = 1; i < loud.size(); i++) {
            long dip = loud.get(i).startMs() - loud.get(i - 1).endMs();
            if (dip > longest) {
                longest = dip;
                split = i;
            }
        }
        return split;
    }

    /**
     * A voice's loud blocks as its threshold moves: raised voice as {@link #raisedVoice} finds it,
     * kept from one summary to the next. The levels of the blocks at or over the threshold sit in
     * a min-heap, the others in a max-heap, so when the baseline moves only the blocks between the
     * old and the new threshold change sides (from the top of a heap), and a new block goes to
     * its side by its own level. The loud blocks are a set of bits, and their stretches (loud
     * blocks at most the dip apart) are kept in order in one list, each with its span and its
     * highest level, so a look walks one array and one small object per stretch, not the call's
     * blocks nor a tree's nodes: a block that turns loud or quiet cuts again only its own stretch
     * and its neighbours' (found by halving the list). Each stretch long enough to judge keeps
     * its parts as {@link #judgeRaised} splits them, with their levels ({@link Part}): a stretch
     * all under the threshold costs one comparison, and an event is made again only when its
     * rounded baseline or excess moves. The cost of a summary is the blocks that changed side, the
     * stretches around them and one look at each stretch long enough to be judged, never every
     * block of the call; and none of that when the baseline is the one of the last look, no block
     * changed side and the new blocks start after every stretch (in a long call, most summaries:
     * its median level rests on many blocks), which gives the last look's events again. Not
     * thread-safe.
     */
    static final class Loud {
        /** The levels at or over the threshold, lowest on top, and the others, highest on top. */
        private final LevelHeap over = new LevelHeap(true);
        private final LevelHeap under = new LevelHeap(false);
        private final java.util.BitSet loud = new java.util.BitSet();
        /** The start and end of each block taken. */
        private long[] starts = new long[0];
        private long[] ends = new long[0];
        /** The blocks taken so far. */
        private int taken;
        /** The blocks that turned loud or quiet since the stretches were last cut. */
        private int[] changed = new int[16];
        private int changedCount;
        /** The stretches in order of their first block (no two share a block). */
        private final List<Stretch> stretches = new ArrayList<>();
        /**
         * What the last walk over the stretches found, with the baseline it judged against and
         * the latest end of any stretch then; null before the first. A summary whose baseline is
         * that one, whose blocks all stayed on their side, and whose new blocks all start after
         * every stretch (so no stretch's level moves) finds these same events.
         */
        private List<ToneEvent> walked;
        private double walkedBaseline;
        private long walkedEnd;

        /**
         * Loud blocks {@code [first, last]} at most the dip apart, from the start of the first to
         * the end of the last, and its parts once it is long enough to judge.
         */
        private static final class Stretch {
            final int first;
            final int last;
            final long startMs;
            final long endMs;
            Part whole;
            /**
             * The highest level of {@link #whole} (NaN while there is none): a stretch all under the
             * threshold is passed over without reading its parts.
             */
            double highest = Double.NaN;
            /** How many blocks the voice had when its parts' levels were found. */
            int levelBlocks;

            Stretch(int first, int last, long startMs, long endMs) {
                this.first = first;
                this.last = last;
                this.startMs = startMs;
                this.endMs = endMs;
            }
        }

        /**
         * A part of a stretch as {@link #judgeRaised} cuts it: its span and power mean, and, when
         * it has more than one block, the halves either side of its longest dip; with the highest
         * level of it and its parts long enough to judge, so a part whose highest level is under
         * the threshold is passed over whole. Parts too short to judge are left out. Its event
         * is kept with the rounded baseline and excess it was made with.
         */
        private static final class Part {
            final long startMs;
            final long endMs;
            final double level;
            final Part left;
            final Part right;
            final double highest;
            ToneEvent event;
            double eventBaseline;
            double eventExcess;

            private Part(long startMs, long endMs, double level, Part left, Part right) {
                this.startMs = startMs;
                this.endMs = endMs;
                this.level = level;
                this.left = left;
                this.right = right;
                double h = level;
                for (Part p : new Part[] {left, right}) {
                    if (p != null && (Double.isNaN(h) || p.highest > h)) {
                        h = p.highest;
                    }
                }
                this.highest = h;
            }

            /** The parts of these loud blocks (in time order), or null when they are too short to judge. */
            /**
             * The parts of these loud blocks (in time order), or null when they are too short to
             * judge; {@code at[i]} is the place of {@code loud.get(i)} among the voice's blocks,
             * where each part's level is read from ({@link Voice#powerMeanFrom}).
             */
            static Part of(Voice v, List<ContourBlock> loud, int[] at, int offset, ToneConfig config) {
                if (loud.isEmpty()) {
                    return null;
                }
                long start = loud.get(0).startMs();
                long end = loud.get(loud.size() - 1).endMs();
                if (end - start < config.raisedVoiceMinMs()) {
                    return null;
                }
                double level = v.powerMeanFrom(at[offset], start, end);
                if (loud.size() == 1) {
                    return new Part(start, end, level, null, null);
                }
                int split = longestDip(loud);
                return new Part(start, end, level, of(v, loud.subList(0, split), at, offset, config),
                        of(v, loud.subList(split, loud.size()), at, offset + split, config));
            }

            /** The raised voice in it at threshold {@code t}, as {@link #judgeRaised} finds it. */
            void judge(Voice v, double t, List<ToneEvent> out) {
                if (!(highest >= t)) {
                    return;
                }
                if (level >= t) {
                    double baseline = round2(v.loudnessDbfs);
                    double excess = round2(level - v.loudnessDbfs);
                    if (event == null || eventBaseline != baseline || eventExcess != excess) {
                        event = raised(v, startMs, endMs, level);
                        eventBaseline = baseline;
                        eventExcess = excess;
                    }
                    out.add(event);
                    return;
                }
                if (left != null) {
                    left.judge(v, t, out);
                }
                if (right != null) {
                    right.judge(v, t, out);
                }
            }
        }

        List<ToneEvent> raisedVoice(Voice v, ToneConfig config) {
            // + 0.0 makes -0.0 a 0.0, so comparing levels agrees with >= on them
            double t = v.loudnessDbfs + config.raisedVoiceDb() + 0.0;
            if (Double.isNaN(t)) {
                while (over.size() > 0) {
                    quiet(over.topBlock(), over.pop());
                }
            } else {
                while (over.size() > 0 && over.topLevel() < t) {
                    quiet(over.topBlock(), over.pop());
                }
                while (under.size() > 0 && under.topLevel() >= t) {
                    int block = under.topBlock();
                    over.push(under.pop(), block);
                    loud.set(block);
                    changed(block);
                }
            }
            if (starts.length < v.blocks.size()) {
                int size = Math.max(v.blocks.size(), 2 * starts.length);
                starts = java.util.Arrays.copyOf(starts, size);
                ends = java.util.Arrays.copyOf(ends, size);
            }
            int firstNew = taken;
            for (; taken < v.blocks.size(); taken++) {
                ContourBlock b = v.blocks.get(taken);
                starts[taken] = b.startMs();
                ends[taken] = b.endMs();
                double level = b.loudnessDbfs() + 0.0;
                if (Double.isNaN(level)) {
                    continue; // never loud
                }
                if (!Double.isNaN(t) && level >= t) {
                    over.push(level, taken);
                    loud.set(taken);
                    changed(taken);
                } else {
                    under.push(level, taken);
                }
            }
            if (walked != null && changedCount == 0 && Double.compare(v.loudnessDbfs, walkedBaseline) == 0
                    && (firstNew == taken || starts[firstNew] >= walkedEnd)) {
                // the same stretches, each with the same levels, judged against the same baseline:
                // every part's verdict and event is the one the last walk found
                return walked;
            }
            cut(config.raisedVoiceMaxDipMs());
            List<ToneEvent> out = new ArrayList<>();
            long latestEnd = Long.MIN_VALUE;
            for (int k = 0; k < stretches.size(); k++) {
                Stretch s = stretches.get(k);
                // one too short is no raised voice (judgeRaised gives nothing for it)
                long end = s.endMs;
                latestEnd = Math.max(latestEnd, end);
                if (end - s.startMs < config.raisedVoiceMinMs()) {
                    continue;
                }
                if (s.whole == null || s.levelBlocks < v.blocks.size() && starts[s.levelBlocks] < end) {
                    // the first time, or a block taken since may lie inside it: its levels are found again
                    List<ContourBlock> blocks = new ArrayList<>();
                    int[] at = new int[s.last - s.first + 1];
                    for (int i = s.first; i >= 0 && i <= s.last; i = loud.nextSetBit(i + 1)) {
                        at[blocks.size()] = i;
                        blocks.add(v.blocks.get(i));
                    }
                    s.whole = Part.of(v, blocks, at, 0, config);
                    s.highest = s.whole == null ? Double.NaN : s.whole.highest;
                }
                s.levelBlocks = v.blocks.size();
                if (s.highest >= t) { // Part.judge finds nothing in a stretch all under the threshold
                    s.whole.judge(v, t, out);
                }
            }
            walked = java.util.Collections.unmodifiableList(out);
            walkedBaseline = v.loudnessDbfs;
            walkedEnd = latestEnd;
            return walked;
        }

        private void quiet(int block, double level) {
            under.push(level, block);
            loud.clear(block);
            changed(block);
        }

        private void changed(int block) {
            if (changedCount == changed.length) {
                changed = java.util.Arrays.copyOf(changed, 2 * changed.length);
            }
            changed[changedCount++] = block;
        }

        /**
         * Cuts again the stretches around the blocks that changed: from the stretch at or before
         * each to the end of the one after it, and on to the end of any old stretch the new ones
         * reach into, reading the bits (all changes are in by now), so each cut starts where a
         * stretch starts and runs to where one ends.
         */
        private void cut(long maxDipMs) {
            java.util.Arrays.sort(changed, 0, changedCount);
            int cutUpTo = -1;
            for (int c = 0; c < changedCount; c++) {
                int p = changed[c];
                if (p <= cutUpTo) {
                    continue;
                }
                int lo = p;
                int hi = p;
                int before = floor(p);
                if (before >= 0) {
                    lo = stretches.get(before).first;
                    hi = Math.max(hi, stretches.get(before).last);
                }
                if (before + 1 < stretches.size()) { // the first one starting after p
                    hi = Math.max(hi, stretches.get(before + 1).last);
                }
                List<Stretch> fresh = new ArrayList<>();
                int end = hi;
                int first = loud.nextSetBit(lo);
                while (first >= 0) {
                    // an old stretch reaching past the cut is cut again whole: a block turned loud
                    // inside another can end a stretch sooner (the dip counts from its end)
                    int old = floor(end);
                    if (old >= 0 && stretches.get(old).last > hi) {
                        hi = stretches.get(old).last;
                    }
                    if (first > hi) {
                        break;
                    }
                    int last = first;
                    int next = loud.nextSetBit(last + 1);
                    while (next >= 0 && starts[next] - ends[last] <= maxDipMs) {
                        last = next;
                        next = loud.nextSetBit(last + 1);
                    }
                    fresh.add(new Stretch(first, last, starts[first], ends[last]));
                    end = Math.max(end, last);
                    first = next;
                }
                end = Math.max(end, hi);
                // the old ones starting in [lo, end] make way for the fresh ones, which start there too
                int from = floor(lo - 1) + 1;
                int to = floor(end) + 1;
                stretches.subList(from, to).clear();
                stretches.addAll(from, fresh);
                cutUpTo = end;
            }
            changedCount = 0;
        }

        /**
         * The place of the last stretch starting at or before block {@code block}, or -1: halving,
         * begun from the end, where the blocks that change mostly are.
         */
        private int floor(int block) {
            int hi = stretches.size();
            int probe = hi - 1;
            for (int step = 1; probe >= 0 && stretches.get(probe).first > block; step <<= 1) {
                hi = probe;
                probe = hi - step;
            }
            int lo = Math.max(0, probe);
            while (lo < hi) { // the first from lo starting after block
                int mid = (lo + hi) >>> 1;
                if (stretches.get(mid).first <= block) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo - 1;
        }
    }

    /**
     * Levels with their blocks (or any other int carried with each) in a binary heap of plain
     * arrays: the lowest on top ({@code min}) or the highest, in {@link Double#compare} order.
     */
    static final class LevelHeap {
        private final boolean min;
        private double[] levels = new double[16];
        private int[] blocks = new int[16];
        private int size;

        LevelHeap(boolean min) {
            this.min = min;
        }

        int size() {
            return size;
        }

        double topLevel() {
            return levels[0];
        }

        int topBlock() {
            return blocks[0];
        }

        void push(double level, int block) {
            if (size == levels.length) {
                levels = java.util.Arrays.copyOf(levels, 2 * size);
                blocks = java.util.Arrays.copyOf(blocks, 2 * size);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!above(level, levels[parent])) {
                    break;
                }
                levels[i] = levels[parent];
                blocks[i] = blocks[parent];
                i = parent;
            }
            levels[i] = level;
            blocks[i] = block;
        }

        /** Takes the top off; returns its level. */
        double pop() {
            double top = levels[0];
            size--;
            double level = levels[size];
            int block = blocks[size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && above(levels[child + 1], levels[child])) {
                    child++;
                }
                if (!above(levels[child], level)) {
                    break;
                }
                levels[i] = levels[child];
                blocks[i] = blocks[child];
                i = child;
            }
            levels[i] = level;
            blocks[i] = block;
            return top;
        }

        /** Whether {@code a} belongs nearer the top than {@code b}. */
        private boolean above(double a, double b) {
            return min ? Double.compare(a, b) < 0 : Double.compare(a, b) > 0;
        }
    }

    // ---------------------------------------------------------------- agitation

    /**
     * Over every stretch of the customer's speech holding at least {@code agitationMinSpeechMs}
     * (the speech up to the end of each spurt), the least-squares slopes of block pitch (voiced
     * blocks) and block loudness against media time, weighted by block duration. A stretch whose
     * pitch and loudness both rise at least as fast as the minima qualifies; overlapping
     * qualifying stretches make one event, whose values are those of its steepest stretch
     * (by loudness). These are the qualifying stretches ending at block {@code fromLast} or later.
     */
    static List<Window> agitationWindows(Voice v, ToneConfig config, int fromLast) {
        List<Window> qualifying = new ArrayList<>();
        for (int[] w : v.windows(config.agitationMinSpeechMs(), fromLast)) {
            double pitchSlope = v.slope(w[0], w[1], true);
            double loudnessSlope = v.slope(w[0], w[1], false);
            if (pitchSlope >= config.agitationPitchSlope() && loudnessSlope >= config.agitationLoudnessSlope()) {
                Map<String, Double> values = new LinkedHashMap<>();
                values.put("pitchSlopeSemitonesPerMin", round2(pitchSlope));
                values.put("loudnessSlopeDbPerMin", round2(loudnessSlope));
                values.put("speechMs", (double) v.speechBetween(w[0], w[1]));
                qualifying.add(new Window(v.blocks.get(w[0]).startMs(), v.blocks.get(w[1]).endMs(), -loudnessSlope,
                        values, w[1]));
            }
        }
        return qualifying;
    }

    // ---------------------------------------------------------------- monotone

    /**
     * Over every stretch of the agent's speech holding at least {@code monotoneMinSpeechMs}, the
     * pitch range: 90th minus 10th percentile of its voiced blocks' pitch, weighted by duration.
     * A stretch at least half voiced whose range is under {@code monotoneMaxSemitones}
     * qualifies; overlapping ones make one event, whose range is that of its widest stretch (so
     * every minute inside it stayed within that range). These are the qualifying stretches
     * ending at block {@code fromLast} or later, their values without the agent's baseline pitch,
     * which moves as the call goes on ({@link #monotoneValues} adds it).
     */
    static List<Window> monotoneWindows(Voice v, ToneConfig config, int fromLast) {
        return monotoneWindows(v, config, fromLast, new Slide());
    }

    /**
     * The voiced pitches inside a window of blocks {@code [from, to]}, ordered (pitch -> summed
     * duration), and their duration. The windows advance, both ends only moving forward, so a
     * window's range is read from the two ends of the order instead of sorting the window again;
     * a party's memo keeps its slide from one summary to the next, whose windows come after.
     * The order is two plain arrays, distinct pitches ascending ({@link Double#compare}) and
     * their summed durations: a minute of speech holds a few hundred distinct pitches, so a block
     * coming in or going out moves a few kilobytes in place, and the percentiles are read along
     * the arrays, where an ordered tree of them spread its entries over the heap of a long call.
     */
    static final class Slide {
        private double[] pitches = new double[64];
        private long[] weights = new long[64];
        private int size;
        int from = -1;
        int to = -1;
        long voiced;
        /** The window's speech: the duration of all its blocks. */
        long speech;

        /** Moved to window {@code [first, last]}; starts over when that lies behind it. */
        void moveTo(Voice v, int first, int last) {
            if (from < 0 || first < from || last < to) {
                size = 0;
                voiced = 0;
                speech = 0;
                from = first;
                to = first - 1;
            }
            while (to < last) {
                to++;
                voiced += add(v.blocks.get(to), 1);
                speech += v.blocks.get(to).durationMs();
            }
            while (from < first) {
                voiced -= add(v.blocks.get(from), -1);
                speech -= v.blocks.get(from).durationMs();
                from++;
            }
        }

        /**
         * Adds ({@code sign} 1) or removes (-1) a block's pitch, as a map's merge would: a new
         * pitch comes in with its duration (even none), a known one sums it and leaves when its
         * sum comes to zero. Returns the block's voiced duration.
         */
        private long add(ContourBlock b, int sign) {
            double pitch = b.pitchSemitones();
            if (Double.isNaN(pitch)) {
                return 0;
            }
            long weight = sign * b.durationMs();
            // pitches are never NaN here, and the search orders -0.0 before 0.0 as Double.compare does
            int at = java.util.Arrays.binarySearch(pitches, 0, size, pitch);
            if (at >= 0) {
                long sum = weights[at] + weight;
                if (sum == 0) {
                    System.arraycopy(pitches, at + 1, pitches, at, size - at - 1);
                    System.arraycopy(weights, at + 1, weights, at, size - at - 1);
                    size--;
                } else {
                    weights[at] = sum;
                }
            } else {
                at = -at - 1;
                if (size == pitches.length) {
                    pitches = java.util.Arrays.copyOf(pitches, 2 * size);
                    weights = java.util.Arrays.copyOf(weights, 2 * size);
                }
                System.arraycopy(pitches, at, pitches, at + 1, size - at);
                System.arraycopy(weights, at, weights, at + 1, size - at);
                pitches[at] = pitch;
                weights[at] = weight;
                size++;
            }
            return b.durationMs();
        }

        /**
         * The nearest-rank weighted percentile of the pitches inside, as {@link #weightedPercentile}
         * gives it, walking from the nearer end.
         */
        double percentile(double q) {
            double target = q * voiced;
            if (q <= 0.5) {
                return reaching(pitches, weights, size, target);
            }
            // the smallest value whose cumulative weight reaches the target: walk down from the
            // top while the weight strictly above the next value still reaches it
            double above = voiced;
            for (int i = size - 1; i >= 0; i--) {
                double below = above - weights[i]; // cumulative weight up to the next lower value
                if (below >= target - 1e-9) {
                    above = below;
                    continue;
                }
                return pitches[i];
            }
            return pitches[size - 1];
        }
    }

    /** The same, moving {@code slide} on from where an earlier call of the same voice left it. */
    static List<Window> monotoneWindows(Voice v, ToneConfig config, int fromLast, Slide slide) {
        List<Window> qualifying = new ArrayList<>();
        for (int[] w : v.windows(config.monotoneMinSpeechMs(), fromLast)) {
            slide.moveTo(v, w[0], w[1]);
            long voiced = slide.voiced;
            long speech = slide.speech;
            if (2 * voiced < speech) {
                continue;
            }
            double range = slide.percentile(0.9) - slide.percentile(0.1);
            if (range < config.monotoneMaxSemitones()) {
                Map<String, Double> values = new LinkedHashMap<>();
                values.put("rangeSemitones", round2(range));
                values.put("speechMs", (double) speech);
                qualifying.add(new Window(v.blocks.get(w[0]).startMs(), v.blocks.get(w[1]).endMs(), -range, values,
                        w[1]));
            }
        }
        return qualifying;
    }

    /** A monotone window's values, with the agent's baseline pitch now. */
    private static Map<String, Double> monotoneValues(Window w, Voice v) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("rangeSemitones", w.values().get("rangeSemitones"));
        values.put("pitchSemitones", round2(v.pitchSemitones));
        values.put("speechMs", w.values().get("speechMs"));
        return values;
    }

    // ---------------------------------------------------------------- fast speech

    /**
     * The rate of a stretch is its words over its talk time: the words of the agent's spurts (a
     * word belongs to the spurt it lies at least half inside, as in docs/metrics.md) over the
     * spurts' length, so pauses of 250 ms or more between spurts neither slow it down nor speed
     * it up. Over every run of the agent's spurts with words that holds at least
     * {@code fastSpeechMinMs} of them, the rate qualifies when it reaches
     * {@code fastSpeechCeilingWpm}, or {@code fastSpeechRatio} times the agent's own rate
     * elsewhere in the call: the median rate of its other spurts with words, once those hold
     * {@code baselineMinSpeechMs}. Comparing with the rest of the call keeps a long fast stretch
     * from raising the very baseline it is measured against. Overlapping qualifying runs make
     * one event, with the values of its fastest run.
     */
    static List<ToneEvent> fastSpeech(Voice v, ToneConfig config) {
        return fastSpeech(v, config, true);
    }

    /**
     * Fast speech, with each run's baseline from the ranked tree ({@code ranked}) or, as the
     * definition reads, by sorting the rest of the call's spurts for each run (for the tests
     * that hold the two equal).
     */
    static List<ToneEvent> fastSpeech(Voice v, ToneConfig config, boolean ranked) {
        List<Window> qualifying = new ArrayList<>();
        List<Spurt> heard = v.heard;
        // "elsewhere" is every heard spurt but the run's: the spurts' rates stay in one order
        // (a Fenwick tree of their durations by rank), each run takes its own spurts out and
        // the median is read from the tree, instead of sorting the rest of the call per run
        RankedWeights weights = new RankedWeights(heard);
        long totalMs = 0;
        for (Spurt s : heard) {
            totalMs += s.durationMs();
        }
        int outFrom = 0;
        int outTo = -1; // the spurts taken out of the tree: [outFrom, outTo]
        for (int end = 0; end < heard.size(); end++) {
            Run run = Run.endingAt(heard, end, config.fastSpeechMinMs());
            if (run == null) {
                continue;
            }
            int start = run.start();
            long ms = run.ms();
            int words = run.words();
            // runs only move forward (start and end never decrease), so each spurt leaves and
            // comes back at most once
            for (int i = Math.max(outTo + 1, start); i <= end; i++) {
                weights.add(i, -heard.get(i).durationMs());
            }
            for (int i = outFrom; i <= Math.min(outTo, start - 1); i++) {
                weights.add(i, heard.get(i).durationMs());
            }
            outFrom = start;
            outTo = end;
            long elsewhereMs = totalMs - ms;
            double baseline = Double.NaN;
            if (elsewhereMs >= config.baselineMinSpeechMs() && end - start + 1 < heard.size()) {
                baseline = ranked && elsewhereMs > 0 ? weights.median(elsewhereMs) : medianElsewhere(heard, start, end);
            }
            double wpm = run.wpm();
            if (wpm >= config.fastSpeechCeilingWpm()
                    || !Double.isNaN(baseline) && wpm >= config.fastSpeechRatio() * baseline) {
                Map<String, Double> values = new LinkedHashMap<>();
                values.put("wordsPerMinute", round2(wpm));
                values.put("baselineWpm", round2(baseline));
                values.put("ratio", round2(wpm / baseline));
                values.put("words", (double) words);
                values.put("speechMs", (double) ms);
                qualifying.add(new Window(heard.get(start).startMs, heard.get(end).endMs, -wpm, values, end));
            }
        }
        return merge(v.role, ToneKind.FAST_SPEECH, qualifying, Window::values);
    }

    /**
     * A run of heard spurts {@code [start, end]}: the shortest ending at {@code end} that holds at
     * least the fast-speech minimum, its length, words and rate.
     */
    record Run(int start, int end, long ms, int words, double wpm) {
        /** The run ending at heard spurt {@code end}, or null when the spurts up to it hold less than {@code minMs}. */
        static Run endingAt(List<Spurt> heard, int end, long minMs) {
            long ms = 0;
            int words = 0;
            int start = end;
            for (; start >= 0 && ms < minMs; start--) {
                ms += heard.get(start).durationMs();
                words += heard.get(start).words;
            }
            return ms < minMs ? null : new Run(start + 1, end, ms, words, words * 60_000.0 / ms);
        }
    }

    /**
     * A party's fast-speech runs as a max-heap on their rate, in plain arrays, each run known by
     * the heard spurt it ends at (one run per end). The runs at or over a rate are found by
     * walking down from the top through those runs alone (and their children), so asking for the
     * few fast ones reads a few slots near the top, which every running value reads, however many
     * runs a long call holds. A tree ordered by rate spread its runs over the heap instead, and
     * each added run walked down it. Not thread-safe.
     */
    static final class RunHeap {
        private double[] wpm = new double[16];
        private int[] ends = new int[16];
        /** By end: the run's slot plus one, 0 when no run of that end is in the heap. */
        private int[] slotOf = new int[16];
        private int size;

        boolean isEmpty() {
            return size == 0;
        }

        int size() {
            return size;
        }

        void add(Run r) {
            int end = r.end();
            if (end >= slotOf.length) {
                slotOf = java.util.Arrays.copyOf(slotOf, Math.max(2 * slotOf.length, end + 1));
            }
            if (slotOf[end] != 0) {
                throw new IllegalArgumentException("a run ending at " + end + " is in the heap already");
            }
            if (size == wpm.length) {
                wpm = java.util.Arrays.copyOf(wpm, 2 * size);
                ends = java.util.Arrays.copyOf(ends, 2 * size);
            }
            put(size++, r.wpm(), end);
            up(size - 1);
        }

        void remove(Run r) {
            int end = r.end();
            int i = end < slotOf.length ? slotOf[end] - 1 : -1;
            if (i < 0) {
                throw new IllegalArgumentException("no run ending at " + end + " in the heap");
            }
            slotOf[end] = 0;
            size--;
            if (i < size) {
                put(i, wpm[size], ends[size]);
                if (!up(i)) {
                    down(i);
                }
            }
        }

        /** The ends of the runs whose rate is at least {@code from} ({@link Double#compare}), in no set order. */
        int[] endsFrom(double from) {
            int[] found = new int[8];
            int n = 0;
            int[] stack = new int[16];
            int top = 0;
            if (size > 0) {
                stack[top++] = 0;
            }
            while (top > 0) {
                int i = stack[--top];
                if (Double.compare(wpm[i], from) < 0) {
                    continue; // nor any run under it
                }
                if (n == found.length) {
                    found = java.util.Arrays.copyOf(found, 2 * n);
                }
                found[n++] = ends[i];
                for (int child = 2 * i + 1; child <= 2 * i + 2 && child < size; child++) {
                    if (top == stack.length) {
                        stack = java.util.Arrays.copyOf(stack, 2 * top);
                    }
                    stack[top++] = child;
                }
            }
            return java.util.Arrays.copyOf(found, n);
        }

        private void put(int i, double rate, int end) {
            wpm[i] = rate;
            ends[i] = end;
            slotOf[end] = i + 1;
        }

        /** Moves the run at {@code i} up while it is faster than its parent; whether it moved. */
        private boolean up(int i) {
            double rate = wpm[i];
            int end = ends[i];
            int at = i;
            while (at > 0 && Double.compare(rate, wpm[(at - 1) / 2]) > 0) {
                int parent = (at - 1) / 2;
                put(at, wpm[parent], ends[parent]);
                at = parent;
            }
            put(at, rate, end);
            return at != i;
        }

        private void down(int i) {
            double rate = wpm[i];
            int end = ends[i];
            int at = i;
            while (true) {
                int child = 2 * at + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && Double.compare(wpm[child + 1], wpm[child]) > 0) {
                    child++;
                }
                if (Double.compare(wpm[child], rate) <= 0) {
                    break;
                }
                put(at, wpm[child], ends[child]);
                at = child;
            }
            put(at, rate, end);
        }
    }

    /** The duration-weighted median rate of the heard spurts outside {@code [start, end]}, sorting them. */
    static double medianElsewhere(List<Spurt> heard, int start, int end) {
        List<double[]> elsewhere = new ArrayList<>();
        for (int i = 0; i < heard.size(); i++) {
            if (i < start || i > end) {
                Spurt s = heard.get(i);
                elsewhere.add(new double[] {s.wordsPerMinute(), s.durationMs()});
            }
        }
        return weightedPercentile(elsewhere, 0.5);
    }

    /**
     * Spurts' durations indexed by the rank of their rate (a Fenwick tree), so the weighted
     * median of the spurts still in it is found in logarithmic time. It is the value
     * {@link #weightedPercentile} gives for the same spurts: durations are whole milliseconds,
     * so every sum is exact, and the first rank whose running sum reaches half the total is the
     * one that walk stops at.
     */
    static final class RankedWeights {
        private final long[] tree;
        private final int[] rankOf;
        private final double[] rateAt;

        RankedWeights(List<Spurt> spurts) {
            int n = spurts.size();
            double[] rates = new double[n];
            for (int i = 0; i < n; i++) {
                rates[i] = spurts.get(i).wordsPerMinute();
            }
            tree = new long[n + 1];
            rankOf = ranks(rates);
            rateAt = new double[n];
            for (int i = 0; i < n; i++) {
                rateAt[rankOf[i]] = rates[i];
            }
            for (int i = 0; i < n; i++) {
                add(i, spurts.get(i).durationMs());
            }
        }

        /** Adds {@code ms} to the weight of spurt {@code i} (negative: takes it out). */
        void add(int i, long ms) {
            for (int k = rankOf[i] + 1; k < tree.length; k += k & -k) {
                tree[k] += ms;
            }
        }

        /** The rate at the first rank where the weight so far reaches half of {@code totalMs} (positive). */
        double median(long totalMs) {
            long need = (totalMs + 1) / 2; // the walk stops once 2 * sum >= total
            int pos = 0;
            long sum = 0;
            for (int step = Integer.highestOneBit(tree.length); step > 0; step >>= 1) {
                int next = pos + step;
                if (next < tree.length && sum + tree[next] < need) {
                    pos = next;
                    sum += tree[next];
                }
            }
            return rateAt[pos]; // pos is the count of ranks before the answer
        }
    }

    // ---------------------------------------------------------------- shared

    /**
     * A qualifying stretch; of overlapping ones the event keeps the values of the one with the
     * lowest rank. {@code last}: the index of its last block (or spurt, for fast speech).
     */
    record Window(long startMs, long endMs, double rank, Map<String, Double> values, int last) {
    }

    /** The order {@link #merge} takes windows in: by start, then end. */
    private static final Comparator<Window> WINDOW_ORDER = (a, b) -> {
        int c = Long.compare(a.startMs(), b.startMs());
        return c != 0 ? c : Long.compare(a.endMs(), b.endMs());
    };

    /**
     * A party's kept windows of one kind merged as {@link #merge} merges them, kept from one
     * summary to the next: windows come in order (by start, then end) as the voice grows, so each
     * new one joins the last group or opens one, and the groups before the last never change. A
     * group keeps its event while its best window and the values' key are the same. A window out
     * of order merges them all again. Not thread-safe.
     */
    static final class Merged {
        private final ToneKind kind;
        private final List<Window> windows = new ArrayList<>();
        private final List<Group> groups = new ArrayList<>();
        /**
         * The events of the kept windows alone, for {@link #lastKey}, as {@link #events} last gave
         * them with no open window; null when it had some.
         */
        private List<ToneEvent> last;
        private double lastKey;

        /** Overlapping windows from {@code startMs} to {@code endMs}, the best of them, and its event for {@code key}. */
        private static final class Group {
            final long startMs;
            long endMs;
            Window best;
            ToneEvent event;
            double key;

            Group(Window w) {
                startMs = w.startMs();
                endMs = w.endMs();
                best = w;
            }

            Group(Group g) {
                startMs = g.startMs;
                endMs = g.endMs;
                best = g.best;
                event = g.event;
                key = g.key;
            }

            /** Takes {@code w} in if it overlaps or touches; false if it starts after the end. */
            boolean take(Window w) {
                if (w.startMs() > endMs) {
                    return false;
                }
                endMs = Math.max(endMs, w.endMs());
                if (w.rank() < best.rank()) {
                    best = w;
                }
                event = null;
                return true;
            }

            ToneEvent event(Role role, ToneKind kind, java.util.function.Function<Window, Map<String, Double>> values,
                    double key) {
                if (event == null || Double.compare(this.key, key) != 0) {
                    event = new ToneEvent(role, kind, startMs, endMs, values.apply(best));
                    this.key = key;
                }
                return event;
            }
        }

        Merged(ToneKind kind) {
            this.kind = kind;
        }

        /** Keeps {@code added} (in the order they were found). */
        void keep(List<Window> added) {
            boolean inOrder = true;
            Window last = windows.isEmpty() ? null : windows.get(windows.size() - 1);
            for (Window w : added) {
                inOrder &= last == null || WINDOW_ORDER.compare(last, w) <= 0;
                last = w;
            }
            windows.addAll(added);
            if (!inOrder) {
                windows.sort(WINDOW_ORDER);
                groups.clear();
                added = windows;
            }
            for (Window w : added) {
                if (groups.isEmpty() || !groups.get(groups.size() - 1).take(w)) {
                    groups.add(new Group(w));
                }
            }
        }

        /**
         * Keeps {@code added} and gives the events of the kept windows and of {@code open}: with
         * neither and the same key as last time, the events of the last time.
         */
        List<ToneEvent> events(Role role, List<Window> added, List<Window> open,
                java.util.function.Function<Window, Map<String, Double>> values, double key) {
            if (added.isEmpty() && open.isEmpty() && last != null && Double.compare(lastKey, key) == 0) {
                return last;
            }
            keep(added);
            List<ToneEvent> events = events(role, open, values, key);
            last = open.isEmpty() ? events : null;
            lastKey = key;
            return events;
        }

        /** The events of the kept windows and of {@code open}, windows judged for this summary only. */
        List<ToneEvent> events(Role role, List<Window> open,
                java.util.function.Function<Window, Map<String, Double>> values, double key) {
            List<Window> sortedOpen = new ArrayList<>(open);
            sortedOpen.sort(WINDOW_ORDER);
            if (!sortedOpen.isEmpty() && !windows.isEmpty()
                    && WINDOW_ORDER.compare(windows.get(windows.size() - 1), sortedOpen.get(0)) > 0) {
                List<Window> all = new ArrayList<>(windows);
                all.addAll(open);
                return merge(role, kind, all, values);
            }
            List<ToneEvent> out = new ArrayList<>(groups.size() + sortedOpen.size());
            int settled = sortedOpen.isEmpty() || groups.isEmpty() ? groups.size() : groups.size() - 1;
            for (int i = 0; i < settled; i++) {
                out.add(groups.get(i).event(role, kind, values, key));
            }
            // the last kept group is copied before an open window joins it: the next summary's
            // open windows are judged again
            Group kept = settled < groups.size() ? groups.get(settled) : null;
            Group tail = kept;
            for (Window w : sortedOpen) {
                if (tail == kept && tail != null && w.startMs() <= tail.endMs) {
                    tail = new Group(kept);
                }
                if (tail == null || !tail.take(w)) {
                    if (tail != null) {
                        out.add(tail.event(role, kind, values, key));
                    }
                    tail = new Group(w);
                }
            }
            if (tail != null) {
                out.add(tail.event(role, kind, values, key));
            }
            return out;
        }
    }

    /**
     * Overlapping (or touching) windows as one event each, with the values of its best-ranked
     * window ({@code values} gives them).
     */
    static List<ToneEvent> merge(Role role, ToneKind kind, List<Window> windows,
            java.util.function.Function<Window, Map<String, Double>> values) {
        List<Window> sorted = new ArrayList<>(windows);
        sorted.sort(WINDOW_ORDER);
        List<ToneEvent> out = new ArrayList<>();
        Window best = null;
        long start = 0;
        long end = 0;
        for (Window w : sorted) {
            if (best != null && w.startMs() <= end) {
                end = Math.max(end, w.endMs());
                best = w.rank() < best.rank() ? w : best;
                continue;
            }
            if (best != null) {
                out.add(new ToneEvent(role, kind, start, end, values.apply(best)));
            }
            best = w;
            start = w.startMs();
            end = w.endMs();
        }
        if (best != null) {
            out.add(new ToneEvent(role, kind, start, end, values.apply(best)));
        }
        return out;
    }

    /**
     * Each value's place in the values sorted by {@link Double#compare}, equal values in the order
     * given (the order a stable sort leaves them in), from one primitive sort.
     */
    static int[] ranks(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int[] taken = new int[values.length];
        int[] rank = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (Double.compare(sorted[mid], values[i]) < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            rank[i] = lo + taken[lo]++;
        }
        return rank;
    }

    /** {@link #weightedPercentile(List, double)} over parallel arrays of values and whole-millisecond weights. */
    static double weightedPercentile(double[] values, long[] weights, double q) {
        int n = values.length;
        if (n == 0) {
            return Double.NaN;
        }
        int[] rank = ranks(values);
        double[] sortedValues = new double[n];
        long[] sortedWeights = new long[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            sortedValues[rank[i]] = values[i];
            sortedWeights[rank[i]] = weights[i];
        }
        for (int i = 0; i < n; i++) {
            total += sortedWeights[i];
        }
        return reaching(sortedValues, sortedWeights, n, q * total);
    }

    /**
     * The first of {@code n} ascending values whose cumulative weight reaches {@code target} (the
     * nearest rank), walking up from the lowest; the highest when none does.
     */
    private static double reaching(double[] sortedValues, long[] sortedWeights, int n, double target) {
        double seen = 0;
        for (int i = 0; i < n; i++) {
            seen += sortedWeights[i];
            if (seen >= target - 1e-9) {
                return sortedValues[i];
            }
        }
        return sortedValues[n - 1];
    }

    /** The value under which a share {@code q} of the weight lies (nearest rank); NaN when empty. */
    static double weightedPercentile(List<double[]> valueWeight, double q) {
        if (valueWeight.isEmpty()) {
            return Double.NaN;
        }
        List<double[]> sorted = new ArrayList<>(valueWeight);
        sorted.sort(Comparator.comparingDouble(x -> x[0]));
        double total = 0;
        for (double[] x : sorted) {
            total += x[1];
        }
        double target = q * total;
        double seen = 0;
        for (double[] x : sorted) {
            seen += x[1];
            if (seen >= target - 1e-9) {
                return x[0];
            }
        }
        return sorted.get(sorted.size() - 1)[0];
    }

    private static double round2(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 100) / 100.0;
    }

    /** A spurt with the number of its words, for the speaking rate. */
    record Spurt(long startMs, long endMs, int words) {
        long durationMs() {
            return endMs - startMs;
        }

        double wordsPerMinute() {
            return words * 60_000.0 / durationMs();
        }
    }

    /**
     * A party's words counted into its spurts as both arrive, giving what {@link Voice#hear}
     * gives from all of them at once: the heard spurts, the word count and the median rate.
     * A word counts for the first spurt (by start) it lies at least half inside; that depends on
     * the word and the spurts only, so while new spurts start at or after the last one and new
     * utterances follow the ones counted, each new word is placed once, a word placed earlier
     * stays where it is (a later spurt comes after its own), and only the words no spurt holds
     * yet are looked at again when spurts arrive. The rates' median follows the changed spurts
     * ({@link RunningMedian}). Not thread-safe.
     */
    static final class Hearing {
        private final List<SegmentItem> own = new ArrayList<>();
        /** Per spurt of {@link #own}: the latest end up to it, for finding a word's first possible spurt. */
        private long[] maxEnd = new long[16];
        private int[] counts = new int[16];
        /** Words in no spurt yet, that a later spurt may still hold. */
        private final List<WordItem> waiting = new ArrayList<>();
        /** The index in {@link #own} of each heard spurt of the voice, in order. */
        private int[] heardOwn = new int[16];
        private final RunningMedian rates = new RunningMedian();
        /** The heard spurts' summed length. */
        private long heardMs;
        /** Per heard spurt, the fast-speech run ending there (null: too little speech before it). */
        private final List<Run> runs = new ArrayList<>();
        /** The runs, the fastest on top. */
        private final RunHeap byRate = new RunHeap();
        /**
         * The longest of the runs up to each heard spurt ({@code longestUpTo[e]} for runs
         * {@code [0, e]}, 0 for none): the longest bounds how far a run's baseline can move. Runs
         * are only taken off the end and put back there, so this is kept as a stack too.
         */
        private long[] longestUpTo = new long[16];
        /** The first heard spurt whose run must be found again. */
        private int runsFrom;

        /**
         * Fast speech as {@link ToneAnalysis#fastSpeech(Voice, ToneConfig)} finds it in these
         * heard spurts, judging few runs against their exact baseline. A run's baseline, the
         * median rate of the heard spurts outside it, lies between two quantiles of all heard
         * spurts: taking out at most the longest run's length {@code W} of the total {@code T}
         * cannot move the median below the value where the weight reaches {@code (T - W) / 2},
         * nor above the one where it reaches {@code (T + W) / 2}. A run slower than the ratio
         * times the lower one cannot qualify (unless over the ceiling), one faster than the ratio
         * times the upper one does; only the runs between are judged against their exact
         * baseline, and only each event's fastest run gets its values. Runs are found again only
         * from the first heard spurt that changed.
         */
        List<ToneEvent> fastSpeech(Voice voice, ToneConfig config) {
            List<Spurt> heard = voice.heard;
            for (int e = runs.size() - 1; e >= Math.min(runsFrom, runs.size()); e--) {
                Run gone = runs.remove(e);
                if (gone != null) {
                    byRate.remove(gone);
                }
            }
            for (int end = runs.size(); end < heard.size(); end++) {
                Run run = Run.endingAt(heard, end, config.fastSpeechMinMs());
                if (run != null) {
                    byRate.add(run);
                }
                if (end == longestUpTo.length) {
                    longestUpTo = java.util.Arrays.copyOf(longestUpTo, 2 * end);
                }
                longestUpTo[end] = Math.max(end == 0 ? 0 : longestUpTo[end - 1], run == null ? 0 : run.ms());
                runs.add(run);
            }
            runsFrom = Integer.MAX_VALUE;
            if (byRate.isEmpty()) {
                return List.of();
            }
            long longest = longestUpTo[runs.size() - 1];
            double lower = rates.lowest(heardMs - longest);
            double upper = rates.lowest(heardMs + longest);
            double from = Math.min(config.fastSpeechCeilingWpm(), config.fastSpeechRatio() * lower);
            List<Run> qualifying = new ArrayList<>();
            for (int end : byRate.endsFrom(from)) {
                Run r = runs.get(end);
                boolean qualifies;
                if (r.wpm() >= config.fastSpeechCeilingWpm()) {
                    qualifies = true;
                } else if (!hasBaseline(r, heard.size(), config)) {
                    qualifies = false;
                } else if (r.wpm() >= config.fastSpeechRatio() * upper) {
                    qualifies = true;
                } else {
                    qualifies = r.wpm() >= config.fastSpeechRatio() * baseline(r, heard);
                }
                if (qualifies) {
                    qualifying.add(r);
                }
            }
            if (qualifying.isEmpty()) {
                return List.of();
            }
            // in the order the whole pass finds them, so that ties merge alike
            qualifying.sort(Comparator.comparingInt(Run::end));
            List<Window> windows = new ArrayList<>(qualifying.size());
            for (Run r : qualifying) {
                windows.add(new Window(heard.get(r.start()).startMs, heard.get(r.end()).endMs, -r.wpm(), null, r.end()));
            }
            return merge(voice.role, ToneKind.FAST_SPEECH, windows, w -> {
                Run r = runs.get(w.last());
                double baseline = hasBaseline(r, heard.size(), config) ? baseline(r, heard) : Double.NaN;
                Map<String, Double> values = new LinkedHashMap<>();
                values.put("wordsPerMinute", round2(r.wpm()));
                values.put("baselineWpm", round2(baseline));
                values.put("ratio", round2(r.wpm() / baseline));
                values.put("words", (double) r.words());
                values.put("speechMs", (double) r.ms());
                return values;
            });
        }

        private boolean hasBaseline(Run r, int heardCount, ToneConfig config) {
            return heardMs - r.ms() >= config.baselineMinSpeechMs() && r.end() - r.start() + 1 < heardCount;
        }

        /** The median rate of the heard spurts outside the run: taken out, read, put back. */
        private double baseline(Run r, List<Spurt> heard) {
            for (int i = r.start(); i <= r.end(); i++) {
                rates.remove(heard.get(i).wordsPerMinute(), heard.get(i).durationMs());
            }
            double median = rates.median();
            for (int i = r.start(); i <= r.end(); i++) {
                rates.add(heard.get(i).wordsPerMinute(), heard.get(i).durationMs());
            }
            return median;
        }

        /**
         * Counts the words of {@code newUtterances} and the spurts of {@code newOwn} (the party's
         * own, sorted by start, after the ones counted) into {@code voice}.
         */
        void hear(Voice voice, List<SegmentItem> newOwn, List<UtteranceItem> newUtterances) {
            int had = own.size();
            for (SegmentItem s : newOwn) {
                if (own.size() == maxEnd.length) {
                    maxEnd = java.util.Arrays.copyOf(maxEnd, 2 * maxEnd.length);
                    counts = java.util.Arrays.copyOf(counts, 2 * counts.length);
                }
                int i = own.size();
                own.add(s);
                maxEnd[i] = i == 0 ? s.endMs() : Math.max(maxEnd[i - 1], s.endMs());
                counts[i] = 0;
            }
            // the spurts whose count changed, with their count before
            Map<Integer, Integer> before = new java.util.HashMap<>();
            if (own.size() > had) {
                // the words no spurt held may lie in the new ones
                List<WordItem> still = new ArrayList<>();
                for (WordItem w : waiting) {
                    int j = firstHolding(w, had);
                    if (j < 0) {
                        still.add(w);
                    } else {
                        before.putIfAbsent(j, counts[j]);
                        counts[j]++;
                    }
                }
                waiting.clear();
                waiting.addAll(still);
            }
            for (UtteranceItem u : newUtterances) {
                for (WordItem w : u.words()) {
                    int j = firstHolding(w, 0);
                    if (j < 0) {
                        waiting.add(w);
                    } else {
                        before.putIfAbsent(j, counts[j]);
                        counts[j]++;
                    }
                }
            }
            if (!own.isEmpty()) {
                // a spurt to come starts at or after the last one: a word ending before that never lands
                long lastStart = own.get(own.size() - 1).startMs();
                waiting.removeIf(w -> w.endMs() < lastStart);
            }
            int firstChanged = Integer.MAX_VALUE;
            for (Map.Entry<Integer, Integer> change : before.entrySet()) {
                int j = change.getKey();
                int was = change.getValue();
                SegmentItem s = own.get(j);
                Spurt now = new Spurt(s.startMs(), s.endMs(), counts[j]);
                int at = searchFromEnd(heardOwn, voice.heard.size(), j);
                if (was == 0) {
                    at = -at - 1;
                    if (voice.heard.size() == heardOwn.length) {
                        heardOwn = java.util.Arrays.copyOf(heardOwn, 2 * heardOwn.length);
                    }
                    System.arraycopy(heardOwn, at, heardOwn, at + 1, voice.heard.size() - at);
                    heardOwn[at] = j;
                    voice.heard.add(at, now);
                } else {
                    Spurt old = voice.heard.set(at, now);
                    rates.remove(old.wordsPerMinute(), old.durationMs());
                    heardMs -= old.durationMs();
                }
                rates.add(now.wordsPerMinute(), now.durationMs());
                heardMs += now.durationMs();
                firstChanged = Math.min(firstChanged, at);
                voice.words += counts[j] - was;
            }
            voice.rateWpm = rates.median();
            runsFrom = Math.min(runsFrom, firstChanged);
        }

        /**
         * {@link java.util.Arrays#binarySearch(int[], int, int, int)} over the first {@code n} of
         * {@code sorted}, begun from its end, where the spurts that change mostly are: the steps
         * back double until one lands at or below the key, so a search near the end reads only
         * the end of an array that grows with the call.
         */
        static int searchFromEnd(int[] sorted, int n, int key) {
            int hi = n;
            int probe = n - 1;
            for (int step = 1; probe >= 0 && sorted[probe] > key; step <<= 1) {
                hi = probe;
                probe = hi - step;
            }
            return java.util.Arrays.binarySearch(sorted, Math.max(0, probe), hi, key);
        }

        /** The first spurt from {@code from} on that holds the word, or -1. */
        private int firstHolding(WordItem w, int from) {
            // spurts whose latest end so far is at or before the word's start cannot hold it; the
            // words come mostly after the spurts known, so the search steps back from the end
            // (doubling its steps) before it halves
            int hi = own.size();
            int probe = hi - 1;
            for (int step = 1; probe >= from && maxEnd[probe] > w.startMs(); step <<= 1) {
                hi = probe;
                probe = hi - step;
            }
            int lo = Math.max(from, probe + 1);
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (maxEnd[mid] <= w.startMs()) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            for (int j = lo; j < own.size() && own.get(j).startMs() <= w.endMs(); j++) {
                if (Voice.halfInside(w, own.get(j))) {
                    return j;
                }
            }
            return -1;
        }
    }

    /** One party's speech: its blocks in time order, its heard spurts, and its baseline. */
    static final class Voice {
        final Role role;
        final List<ContourBlock> blocks = new ArrayList<>();
        final List<Spurt> heard = new ArrayList<>();
        long speechMs;
        int words;
        double loudnessDbfs = Double.NaN;
        double pitchSemitones = Double.NaN;
        double rateWpm = Double.NaN;
        /** The blocks' energies ({@link #energy}), where {@link #energyKnown} says one is computed. */
        private double[] energies = new double[0];
        private boolean[] energyKnown = new boolean[0];
        /**
         * What is read of the first {@link #known} blocks, from {@link #blocks} (only ever
         * appended to) as it is needed: their starts, the speech before each
         * ({@code speechBefore[i]}, the durations of blocks {@code [0, i)}, so block {@code i}
         * ends at its start plus the difference of the next two), their pitch and loudness. A
         * search, or a window of a minute of speech (hundreds of blocks), reads these arrays, not
         * a block object each: in a long call those are mostly out of the processor's cache.
         */
        private long[] starts = new long[0];
        private long[] speechBefore = new long[1];
        private double[] pitchOf = new double[0];
        private double[] loudnessOf = new double[0];
        private int known;

        private Voice(Role role) {
            this.role = role;
        }

        static Voice of(Role role, List<SegmentItem> segments, List<UtteranceItem> utterances) {
            Voice v = new Voice(role);
            List<SegmentItem> own = segments.stream().filter(s -> s.role() == role)
                    .sorted(Comparator.comparingLong(SegmentItem::startMs)).toList();
            for (SegmentItem s : own) {
                v.speechMs += s.endMs() - s.startMs();
            }
            v.blocks.addAll(blocksOf(own));
            List<double[]> levels = new ArrayList<>();
            List<double[]> pitches = new ArrayList<>();
            for (ContourBlock b : v.blocks) {
                if (!Double.isNaN(b.loudnessDbfs())) {
                    levels.add(new double[] {b.loudnessDbfs(), b.durationMs()});
                }
                if (!Double.isNaN(b.pitchSemitones())) {
                    pitches.add(new double[] {b.pitchSemitones(), b.durationMs()});
                }
            }
            v.loudnessDbfs = weightedPercentile(levels, 0.5);
            v.pitchSemitones = weightedPercentile(pitches, 0.5);
            v.hear(own, utterances);
            return v;
        }

        /**
         * The blocks of spurts (sorted by start) in time order: each spurt's contour, or one block
         * with its loudness and median pitch when it has none.
         */
        static List<ContourBlock> blocksOf(List<SegmentItem> own) {
            List<ContourBlock> blocks = new ArrayList<>();
            for (SegmentItem s : own) {
                if (s.contour().isEmpty()) {
                    double pitch = Double.isNaN(s.pitchMedianHz()) ? Double.NaN
                            : 12 * Math.log(s.pitchMedianHz() / 55.0) / Math.log(2);
                    blocks.add(new ContourBlock(s.startMs(), s.endMs(), s.loudnessDbfs(), pitch));
                } else {
                    blocks.addAll(s.contour());
                }
            }
            blocks.sort(Comparator.comparingLong(ContourBlock::startMs));
            return blocks;
        }

        /**
         * The heard spurts (those with words), the word count and the median rate, from the
         * party's spurts (sorted by start) and the call's utterances.
         */
        void hear(List<SegmentItem> own, List<UtteranceItem> utterances) {
            Voice v = this;
            v.heard.clear();
            v.words = 0;
            List<WordItem> words = new ArrayList<>();
            for (UtteranceItem u : utterances) {
                if (u.role() == role) {
                    words.addAll(u.words());
                }
            }
            words.sort(Comparator.comparingLong(WordItem::startMs));
            int[] counts = new int[own.size()];
            int si = 0;
            for (WordItem word : words) {
                while (si < own.size() && own.get(si).endMs() <= word.startMs()) {
                    si++;
                }
                for (int j = si; j < own.size() && own.get(j).startMs() <= word.endMs(); j++) {
                    if (halfInside(word, own.get(j))) {
                        counts[j]++;
                        break;
                    }
                }
            }
            for (int j = 0; j < own.size(); j++) {
                SegmentItem s = own.get(j);
                if (counts[j] > 0) {
                    v.heard.add(new Spurt(s.startMs(), s.endMs(), counts[j]));
                    v.words += counts[j];
                }
            }
            double[] rates = new double[v.heard.size()];
            long[] weights = new long[v.heard.size()];
            for (int j = 0; j < rates.length; j++) {
                rates[j] = v.heard.get(j).wordsPerMinute();
                weights[j] = v.heard.get(j).durationMs();
            }
            v.rateWpm = weightedPercentile(rates, weights, 0.5);
        }

        /** At least half of the word lies inside the spurt (a word without length: its instant does). */
        static boolean halfInside(WordItem word, SegmentItem s) {
            long length = word.endMs() - word.startMs();
            if (length <= 0) {
                return word.startMs() >= s.startMs() && word.startMs() < s.endMs();
            }
            long inside = Math.min(word.endMs(), s.endMs()) - Math.max(word.startMs(), s.startMs());
            return 2 * inside >= length;
        }

        VoiceBaseline baseline() {
            return new VoiceBaseline(role, pitchSemitones, loudnessDbfs, rateWpm, speechMs, words);
        }

        /** Reads the starts, durations, pitch and loudness of the blocks appended since last time. */
        private void read() {
            int n = blocks.size();
            if (known == n) {
                return;
            }
            if (starts.length < n) {
                int size = Math.max(n, 2 * starts.length);
                starts = java.util.Arrays.copyOf(starts, size);
                speechBefore = java.util.Arrays.copyOf(speechBefore, size + 1);
                pitchOf = java.util.Arrays.copyOf(pitchOf, size);
                loudnessOf = java.util.Arrays.copyOf(loudnessOf, size);
            }
            for (; known < n; known++) {
                ContourBlock b = blocks.get(known);
                starts[known] = b.startMs();
                speechBefore[known + 1] = speechBefore[known] + b.durationMs();
                pitchOf[known] = b.pitchSemitones();
                loudnessOf[known] = b.loudnessDbfs();
            }
        }

        private long durationOf(int i) {
            return speechBefore[i + 1] - speechBefore[i];
        }

        /** Block {@code i}'s centre in minutes, as {@code (start + end) / 120,000} gives it. */
        private double centreOf(int i) {
            return (starts[i] + (starts[i] + durationOf(i))) / 120_000.0;
        }

        /** Duration-weighted power mean of the levels of the blocks inside {@code [from, to)}. */
        double powerMean(long from, long to) {
            // blocks are sorted by start: only those starting in [from, to) can lie inside
            int lo = 0;
            int hi = blocks.size();
            read();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (starts[mid] < from) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return sumFrom(lo, to);
        }

        /**
         * {@link #powerMean} without the search, for a span known to start at the start of block
         * {@code hint}: the first block starting at or after {@code from} is found by stepping
         * back from there, and the mean summed alike, so it is the same to the bit. Raised
         * voice's parts come from the stretches' own blocks, whose places they know, so a search
         * over a long call's blocks, slow to read, is left out.
         */
        double powerMeanFrom(int hint, long from, long to) {
            read();
            int lo = hint;
            while (lo > 0 && starts[lo - 1] >= from) {
                lo--;
            }
            return sumFrom(lo, to);
        }

        /** The power mean of the blocks from {@code lo} (the first starting in the span) on, inside it. */
        private double sumFrom(int lo, long to) {
            double energy = 0;
            long ms = 0;
            for (int i = lo; i < blocks.size(); i++) {
                if (starts[i] >= to) {
                    break;
                }
                ContourBlock b = blocks.get(i);
                if (b.endMs() <= to && !Double.isNaN(b.loudnessDbfs())) {
                    energy += energy(i);
                    ms += b.durationMs();
                }
            }
            return ms == 0 ? Double.NaN : 10 * Math.log10(energy / ms);
        }

        /**
         * Block {@code i}'s energy over its duration, its power times its length. Kept once
         * computed: blocks are only ever appended, and raised voice asks for the loud ones'
         * energies at every running value. Only the blocks asked for are computed.
         */
        private double energy(int i) {
            if (i >= energies.length) {
                int size = Math.max(blocks.size(), 2 * energies.length);
                energies = java.util.Arrays.copyOf(energies, size);
                energyKnown = java.util.Arrays.copyOf(energyKnown, size);
            }
            if (!energyKnown[i]) {
                ContourBlock b = blocks.get(i);
                energies[i] = Math.pow(10, b.loudnessDbfs() / 10) * b.durationMs();
                energyKnown[i] = true;
            }
            return energies[i];
        }

        /**
         * Block index ranges {@code [first, last]}: for each spurt's last block, the shortest run
         * of blocks ending there that holds at least {@code minSpeechMs}.
         */
        List<int[]> windows(long minSpeechMs) {
            return windows(minSpeechMs, 0);
        }

        /** The same, for the spurts whose last block is {@code fromLast} or later. */
        List<int[]> windows(long minSpeechMs, int fromLast) {
            List<int[]> out = new ArrayList<>();
            read();
            int n = blocks.size();
            // the first block of the shortest run ending at the last one: the latest one that
            // still leaves the run at least the speech asked, which only moves on as the end does
            int first = 0;
            for (int last = fromLast; last < n; last++) {
                boolean spurtEnd = last == n - 1 || starts[last + 1] != starts[last] + durationOf(last);
                if (!spurtEnd) {
                    continue;
                }
                long upTo = speechBefore[last + 1];
                if (upTo - speechBefore[first] < minSpeechMs) {
                    continue; // too little speech so far
                }
                // the latest first in [first, last] with speechBefore[first] <= upTo - minSpeechMs
                int lo = first;
                int hi = last;
                while (lo < hi) {
                    int mid = (lo + hi + 1) >>> 1;
                    if (upTo - speechBefore[mid] >= minSpeechMs) {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                first = lo;
                out.add(new int[] {first, last});
            }
            return out;
        }

        long speechBetween(int first, int last) {
            read();
            return speechBefore[last + 1] - speechBefore[first];
        }

        /** Weighted least-squares slope per minute of pitch (voiced blocks) or loudness against block centre time. */
        double slope(int first, int last, boolean pitch) {
            read();
            double[] ys = pitch ? pitchOf : loudnessOf;
            double sw = 0;
            double st = 0;
            double sy = 0;
            for (int i = first; i <= last; i++) {
                double y = ys[i];
                if (!Double.isNaN(y)) {
                    long d = durationOf(i);
                    double t = centreOf(i);
                    sw += d;
                    st += d * t;
                    sy += d * y;
                }
            }
            if (sw == 0) {
                return Double.NaN;
            }
            double tm = st / sw;
            double ym = sy / sw;
            double num = 0;
            double den = 0;
            for (int i = first; i <= last; i++) {
                double y = ys[i];
                if (!Double.isNaN(y)) {
                    long d = durationOf(i);
                    double t = centreOf(i) - tm;
                    num += d * t * (y - ym);
                    den += d * t * t;
                }
            }
            return den == 0 ? Double.NaN : num / den;
        }
    }
}
