package io.earshot.analysis.evaluation.corpus;

import io.earshot.analysis.evaluation.corpus.CallScript.Line;
import io.earshot.analysis.evaluation.corpus.CallScript.Noise;
import io.earshot.analysis.evaluation.corpus.CallScript.NoiseKind;
import io.earshot.analysis.evaluation.corpus.CallScript.Phrase;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedLine;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedPhrase;
import io.earshot.analysis.evaluation.corpus.Vocabulary.Topic;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Draws scripted contact-center calls of 30-70 s and 8-25 lines from a seed. A call is a chain
 * of turns; each turn's line is shaped for the way the next speaker will take the floor (a plain
 * transfer with a gap from -450 to +1500 ms, a short answer, a question, a floor grab with a
 * short first phrase, an interruption the holder yields to, a barge-in during a pause, an
 * interruption the holder talks through) and for what the listener does meanwhile
 * (backchannels, interruption attempts, barge-in attempts); noises are scattered last.
 *
 * <p>Each addition is laid out with the planning timings and checked with {@link Realizer}
 * straight away, so a draft only keeps events that hold their margins; what cannot be placed
 * falls back to a plain transfer or is left out. The finished script is realized again with
 * the rendering timings (which may differ, as rendered speech does), and when that breaks a
 * margin, or the call misses the length bounds, the call is drawn again from the next
 * attempt's seed: callers only ever get valid calls, and the same seed, index and timings give
 * the same call.
 */
public final class ConversationGenerator {

    static final long MIN_CALL_MS = 30_000;
    static final long MAX_CALL_MS = 70_000;
    static final int MIN_LINES = 8;
    static final int MAX_LINES = 25;
    /** Voices per party a renderer is asked for. */
    static final int VOICES = 4;
    static final int MAX_ATTEMPTS = 500;

    private final long seed;
    private final BackchannelWords backchannels;

    /** The token phrases a listener with a given voice says. */
    @FunctionalInterface
    public interface BackchannelWords {
        List<String> of(Role role, int voice);
    }

    public ConversationGenerator(long seed) {
        this(seed, (role, voice) -> Vocabulary.BACKCHANNELS);
    }

    /**
     * @param backchannels the token phrases each listener's voice says: a corpus rendered
     *                     through a recogniser keeps to those it hears as tokens in that voice
     */
    public ConversationGenerator(long seed, BackchannelWords backchannels) {
        this.seed = seed;
        this.backchannels = backchannels;
    }

    /** A valid call and the attempt that produced it (0 when the first draw held). */
    public record GeneratedCall(int index, int attempt, RealizedCall call) {

        public CallScript script() {
            return call.script();
        }
    }

    /** Call {@code index} planned and realized with the same timings. */
    public GeneratedCall generate(int index, PhraseTimings timings, long marginMs) {
        return generate(index, timings, timings, marginMs);
    }

    /** Call {@code index} planned with {@code planning} and realized with {@code rendering}. */
    public GeneratedCall generate(int index, PhraseTimings planning, PhraseTimings rendering, long marginMs) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<CallScript> script = draw(index, attempt, planning, marginMs);
            if (script.isEmpty()) {
                continue;
            }
            RealizedCall call;
            try {
                call = Realizer.realize(script.get(), rendering, marginMs);
            } catch (MarginViolation redraw) {
                continue;
            }
            if (fits(call)) {
                return new GeneratedCall(index, attempt, call);
            }
        }
        throw new IllegalStateException("no valid call " + index + " in " + MAX_ATTEMPTS + " attempts");
    }

    public List<GeneratedCall> corpus(int count, PhraseTimings timings, long marginMs) {
        return IntStream.range(0, count).mapToObj(i -> generate(i, timings, marginMs)).toList();
    }

    /** Whether a realized call is within the corpus's bounds of length and lines. */
    static boolean fits(RealizedCall call) {
        return call.durationMs() >= MIN_CALL_MS && call.durationMs() <= MAX_CALL_MS
                && call.lines().size() >= MIN_LINES && call.lines().size() <= MAX_LINES;
    }

    /**
     * The script of one attempt at call {@code index}, or empty when the draft could not be
     * completed. Deterministic in (seed, index, attempt, timings).
     */
    public Optional<CallScript> draw(int index, int attempt, PhraseTimings timings, long marginMs) {
        long mixed = seed;
        mixed = mixed * 0x9E3779B97F4A7C15L + index;
        mixed = mixed * 0x9E3779B97F4A7C15L + attempt;
        return new Draft(new SplittableRandom(mixed), String.format("gen-%d-%04d", seed, index), timings, marginMs,
                backchannels)
                .build();
    }

    /** What a turn's line is shaped for: how the next speaker takes the floor, and the listener's events. */
    private record Plan(LineKind exit, List<LineKind> events) {
    }

    /** A phrase slot of a line being shaped. */
    private enum Slot { ANY, LONG, LONGEST, MEDIUM }

    /** One call being drafted: lines are added one by one, each checked as soon as it is placed. */
    private static final class Draft {

        private final SplittableRandom rng;
        private final BackchannelWords backchannels;
        private final String callId;
        private final PhraseTimings timings;
        private final long m;
        private final Topic topic;
        private final int agentVoice;
        private final int customerVoice;
        private final long tailMs;
        private final List<Line> lines = new ArrayList<>();
        private final List<Noise> noises = new ArrayList<>();
        private final Map<String, Plan> plans = new HashMap<>();
        /** Texts already in the line being shaped, so a line does not say the same phrase twice. */
        private final Set<String> lineTexts = new HashSet<>();
        private RealizedCall realized;
        private int ids;

        Draft(SplittableRandom rng, String callId, PhraseTimings timings, long marginMs, BackchannelWords backchannels) {
            this.backchannels = backchannels;
            this.rng = rng;
            this.callId = callId;
            this.timings = timings;
            this.m = marginMs;
            this.topic = Vocabulary.TOPICS.get(rng.nextInt(Vocabulary.TOPICS.size()));
            this.agentVoice = rng.nextInt(VOICES);
            this.customerVoice = rng.nextInt(VOICES);
            this.tailMs = rng.nextLong(300, 1501);
        }

        Optional<CallScript> build() {
            long target = rng.nextLong(32_000, 58_001);
            Role first = rng.nextDouble() < 0.85 ? Role.AGENT : Role.CUSTOMER;
            Line holder = null;
            for (int tries = 0; tries < 5 && holder == null; tries++) {
                holder = addTurn(first, LineKind.OPENING, List.of(), new Timing.At(rng.nextLong(200, 1501)));
            }
            if (holder == null) {
                return Optional.empty();
            }
            while (placed(holder.id()).endMs() < target && lines.size() < MAX_LINES - 2) {
                Line next = exit(holder);
                if (next == null) {
                    return Optional.empty();
                }
                events(current(holder.id()));
                holder = next;
            }
            uncut(holder);
            events(current(holder.id()));
            scatterNoises();
            return Optional.of(script());
        }

        // ------------------------------------------------------------ turns and their shapes

        private Plan plan(LineKind kind) {
            LineKind exit;
            if (kind == LineKind.QUESTION) {
                exit = rng.nextInt(18) < 10 ? LineKind.SHORT_ANSWER : LineKind.TURN;
            } else if (kind == LineKind.SHORT_ANSWER) {
                exit = rng.nextInt(10) < 6 ? LineKind.TURN : LineKind.QUESTION;
            } else {
                exit = weighted(new LineKind[] {LineKind.TURN, LineKind.QUESTION, LineKind.SHORT_ANSWER,
                        LineKind.FLOOR_GRAB, LineKind.FLOOR_GRAB_INTERRUPTION, LineKind.INTERRUPTION, LineKind.BARGE_IN,
                        LineKind.OUTLASTING_INTERRUPTION}, new int[] {12, 8, 5, 8, 6, 8, 6, 3});
            }
            List<LineKind> events = new ArrayList<>();
            if (kind != LineKind.SHORT_ANSWER) {
                if (rng.nextDouble() < 0.6) {
                    events.add(LineKind.BACKCHANNEL);
                }
                if (rng.nextDouble() < 0.25) {
                    events.add(LineKind.BACKCHANNEL);
                }
                if (rng.nextDouble() < 0.18) {
                    events.add(LineKind.ATTEMPT);
                }
                if (rng.nextDouble() < 0.22) {
                    events.add(LineKind.BARGE_IN_ATTEMPT);
                }
            }
            return new Plan(exit, events);
        }

        /** Shapes and adds a floor-taking line; null when it breaks a margin. */
        private Line addTurn(Role role, LineKind kind, List<Phrase> head, Timing timing) {
            Plan plan = plan(kind);
            Line line = new Line(nextId(role), role, kind, shape(role, kind, head, plan), timing);
            if (!tryAdd(line)) {
                return null;
            }
            plans.put(line.id(), plan);
            return line;
        }

        private List<Phrase> shape(Role role, LineKind kind, List<Phrase> head, Plan plan) {
            lineTexts.clear();
            head.forEach(p -> lineTexts.add(p.text()));
            if (kind == LineKind.SHORT_ANSWER) {
                return List.of(new Phrase(pick(Vocabulary.SHORT_ANSWERS, role, 1, 6, minPhraseMs(), Long.MAX_VALUE), 0));
            }
            List<Slot> slots = new ArrayList<>();
            List<Long> pauses = new ArrayList<>();
            List<String> fixed = new ArrayList<>();
            if (kind == LineKind.OPENING) {
                fixed.add(pick(role == Role.AGENT ? Vocabulary.AGENT_OPENINGS : Vocabulary.CUSTOMER_OPENINGS, role, 1, 6,
                        minPhraseMs(), Long.MAX_VALUE));
                slots.add(Slot.ANY);
                pauses.add(shortPause());
            }
            List<Slot> tail = new ArrayList<>();
            List<Long> tailPauses = new ArrayList<>();
            switch (plan.exit()) {
                case INTERRUPTION -> {
                    tail.add(Slot.LONG);
                    tailPauses.add(pause());
                    tail.add(Slot.ANY);
                }
                case OUTLASTING_INTERRUPTION -> {
                    tail.add(Slot.LONG);
                    tailPauses.add(rng.nextLong(150, 301));
                    tail.add(Slot.LONG);
                    tailPauses.add(pause());
                    tail.add(Slot.ANY);
                }
                case BARGE_IN -> {
                    tail.add(Slot.ANY);
                    tailPauses.add(bargePause());
                    tail.add(Slot.MEDIUM);
                    tailPauses.add(pause());
                    tail.add(Slot.ANY);
                }
                case FLOOR_GRAB_INTERRUPTION -> tail.add(Slot.LONG);
                default -> {
                }
            }
            tailPauses.add(0L);
            List<Slot> lead = new ArrayList<>();
            List<Long> leadPauses = new ArrayList<>();
            for (LineKind event : plan.events()) {
                if (event == LineKind.ATTEMPT) {
                    lead.add(Slot.LONGEST);
                    leadPauses.add(shortPause());
                } else if (event == LineKind.BARGE_IN_ATTEMPT) {
                    lead.add(Slot.ANY);
                    leadPauses.add(bargePause());
                    lead.add(Slot.LONG);
                    leadPauses.add(shortPause());
                }
            }
            boolean cut = plan.exit() == LineKind.INTERRUPTION || plan.exit() == LineKind.BARGE_IN
                    || plan.exit() == LineKind.OUTLASTING_INTERRUPTION;
            int question = kind == LineKind.QUESTION ? 1 : 0;
            // at most six phrases spoken; the phrase a yielding holder drops comes on top
            int room = 6 - head.size() - slots.size() - (cut ? tail.size() - 1 : tail.size()) - question;
            if (lead.size() >= room) {
                lead.clear();
                leadPauses.clear();
                plan.events().removeIf(e -> e != LineKind.BACKCHANNEL);
            }
            int body = Math.min(room - lead.size(), rng.nextInt(1, 5));
            if (head.size() + slots.size() + lead.size() + body + tail.size() + question == 0) {
                body = 1;
            }
            slots.addAll(lead);
            pauses.addAll(leadPauses);
            for (int i = 0; i < body; i++) {
                slots.add(rng.nextDouble() < 0.55 ? Slot.LONG : Slot.ANY);
                boolean longPauseAllowed = i + 1 < body && head.size() + slots.size() >= 3;
                pauses.add(longPauseAllowed && rng.nextDouble() < 0.08 ? stretchPause() : pause());
            }
            List<Phrase> out = new ArrayList<>(head);
            for (int i = 0; i < slots.size(); i++) {
                String text = i < fixed.size() ? fixed.get(i) : phrase(role, slots.get(i));
                out.add(new Phrase(text, pauses.get(i)));
            }
            if (question == 1) {
                out.add(new Phrase(pick(Vocabulary.QUESTIONS, role, 1, 6, minPhraseMs(), Long.MAX_VALUE), pause()));
            }
            for (int i = 0; i < tail.size(); i++) {
                out.add(new Phrase(phrase(role, tail.get(i)), tailPauses.get(i)));
            }
            if (out.isEmpty()) {
                out.add(new Phrase(phrase(role, Slot.ANY), 0));
            }
            Phrase last = out.get(out.size() - 1);
            out.set(out.size() - 1, new Phrase(last.text(), 0));
            return out;
        }

        private String phrase(Role role, Slot slot) {
            List<String> pool = new ArrayList<>(role == Role.AGENT ? topic.agent() : topic.customer());
            pool.addAll(role == Role.AGENT ? Vocabulary.AGENT_GENERIC : Vocabulary.CUSTOMER_GENERIC);
            return switch (slot) {
                case LONG -> pick(pool, role, 4, 6, 1250 + m, Long.MAX_VALUE);
                // room for an onset, an overlap and a give-up, each with its margin
                case LONGEST -> pick(pool, role, 5, 6, MarginCheck.MIN_ONSET_MS + MarginCheck.MIN_OVERLAP_MS + 3 * m + 400,
                        Long.MAX_VALUE);
                case MEDIUM -> pick(pool, role, 2, 4, 600 + m + 30, 2000 - 2 * m - 40);
                case ANY -> pick(pool, role, 1, 6, minPhraseMs(), Long.MAX_VALUE);
            };
        }

        /** A phrase of the bank in the word and duration bounds, or any phrase of it when none is found quickly. */
        private String pick(List<String> bank, Role role, int minWords, int maxWords, long minMs, long maxMs) {
            String fallback = null;
            for (int i = 0; i < 40; i++) {
                String p = bank.get(rng.nextInt(bank.size()));
                int words = p.split(" ").length;
                if (words < minWords || words > maxWords || lineTexts.contains(p)) {
                    continue;
                }
                fallback = fallback == null ? p : fallback;
                long d = duration(role, p);
                if (d >= minMs && d <= maxMs) {
                    lineTexts.add(p);
                    return p;
                }
            }
            return fallback != null ? fallback : bank.get(rng.nextInt(bank.size()));
        }

        /** A phrase of the bank lasting {@code [minMs, maxMs]} (by the planning timings), or null when none does. */
        private String pickExactly(List<String> bank, Role role, long minMs, long maxMs) {
            List<String> fitting = bank.stream().filter(p -> {
                long d = duration(role, p);
                return d >= minMs && d <= maxMs;
            }).toList();
            return fitting.isEmpty() ? null : fitting.get(rng.nextInt(fitting.size()));
        }

        private long minPhraseMs() {
            return MarginCheck.MIN_SPURT_MS + m + 10;
        }

        /** A pause inside a turn: mostly short or mid-sentence, never near the stretch gap. */
        private long pause() {
            return rng.nextDouble() < 0.5 ? shortPause() : rng.nextLong(400, maxPause() + 1);
        }

        private long shortPause() {
            return rng.nextLong(150, 351);
        }

        /** A pause a listener can barge into: clearly splits spurts, room for the margin on both sides. */
        private long bargePause() {
            long lo = Math.max(MarginCheck.SPURT_BRIDGE_MS + m, 2 * m) + 60;
            return rng.nextLong(Math.min(lo, maxPause()), maxPause() + 1);
        }

        /** A pause long enough to end a stretch, when the margin leaves room for one under 1.2 s. */
        private long stretchPause() {
            long lo = MarginCheck.CONTINUATION_MS + m + 10;
            return lo <= 1200 ? rng.nextLong(lo, 1201) : pause();
        }

        private long maxPause() {
            return Math.min(900, MarginCheck.CONTINUATION_MS - m - 10);
        }

        // ------------------------------------------------------------ how the next speaker takes the floor

        private Line exit(Line holder) {
            Plan plan = plans.get(holder.id());
            Role next = other(holder.role());
            Line taken = switch (plan.exit()) {
                case FLOOR_GRAB -> grab(holder, next, false);
                case FLOOR_GRAB_INTERRUPTION -> grab(holder, next, true);
                case INTERRUPTION -> interruption(holder, next);
                case BARGE_IN -> bargeIn(holder, next);
                case OUTLASTING_INTERRUPTION -> outlasting(holder, next);
                default -> plain(holder, next, plan.exit(), true);
            };
            if (taken == null) {
                uncut(holder);
                taken = plain(holder, next, LineKind.TURN, false);
            }
            return taken;
        }

        /** A line shaped for a cut that did not happen leaves out the phrase it would have dropped. */
        private void uncut(Line holder) {
            Line shaped = current(holder.id());
            if (shaped.keptPhrases() > 6) {
                replace(new Line(shaped.id(), shaped.role(), shaped.kind(), shaped.phrases().subList(0, 6), shaped.timing()));
            }
        }

        /** A turn after the holder's line, from 450 ms before its end to 1.5 s after (later when the party must wait). */
        private Line plain(Line holder, Role role, LineKind kind, boolean earlyAllowed) {
            RealizedLine h = placed(holder.id());
            long need = lastEnd(role) + MarginCheck.CONTINUATION_MS + m + 10 - h.endMs();
            for (int tries = 0; tries < 4; tries++) {
                long gap;
                if (earlyAllowed && tries < 2 && kind != LineKind.SHORT_ANSWER && rng.nextDouble() < 0.35) {
                    gap = -rng.nextLong(20, MarginCheck.MIN_OVERLAP_MS - m + 1);
                } else if (rng.nextDouble() < 0.6) {
                    gap = rng.nextLong(100, 701);
                } else {
                    gap = rng.nextLong(0, 1501);
                }
                gap = Math.max(gap, need);
                if (tries == 3) {
                    gap = Math.max(gap, m);
                }
                Line line = addTurn(role, kind, List.of(), afterEnd(holder, gap));
                if (line != null) {
                    return line;
                }
            }
            return null;
        }

        /**
         * A short first phrase over the holder's last words, carried on after a pause into a turn
         * that goes on after the holder stopped: under 600 ms of overlap a floor transfer, over it
         * an interruption.
         */
        private Line grab(Line holder, Role role, boolean interrupting) {
            RealizedLine h = placed(holder.id());
            RealizedPhrase last = h.phrases().get(h.phrases().size() - 1);
            long lastMs = last.endMs() - last.startMs();
            for (int tries = 0; tries < 4; tries++) {
                long o;
                String opener;
                long pause;
                if (interrupting) {
                    opener = pickExactly(Vocabulary.GRAB_INTERRUPTERS, role, MarginCheck.MIN_OVERLAP_MS + m + 60, 999);
                    if (opener == null) {
                        return null;
                    }
                    long d0 = duration(role, opener);
                    long lo = MarginCheck.MIN_OVERLAP_MS + m + 30;
                    long hi = Math.min(d0 - 30, lastMs - MarginCheck.MIN_ONSET_MS - m - 10);
                    if (hi < lo) {
                        return null;
                    }
                    o = rng.nextLong(lo, hi + 1);
                    pause = rng.nextLong(150, maxPause() + 1);
                } else {
                    opener = pick(Vocabulary.GRAB_OPENERS, role, 1, 6, minPhraseMs(), 999);
                    long d0 = duration(role, opener);
                    o = rng.nextLong(100, MarginCheck.MIN_OVERLAP_MS - m - 20 + 1);
                    long lo = Math.max(150, o - d0 + 60);
                    if (lo > maxPause()) {
                        continue;
                    }
                    pause = rng.nextLong(lo, Math.min(maxPause(), lo + 500) + 1);
                }
                LineKind kind = interrupting ? LineKind.FLOOR_GRAB_INTERRUPTION : LineKind.FLOOR_GRAB;
                Line line = addTurn(role, kind, List.of(new Phrase(opener, pause)), afterEnd(holder, -o));
                if (line != null) {
                    return line;
                }
            }
            return null;
        }

        /** Starts 0.8-1.85 s before the end of a long phrase of the holder, who drops the rest of its line. */
        private Line interruption(Line holder, Role role) {
            RealizedLine h = placed(holder.id());
            for (int tries = 0; tries < 4; tries++) {
                int k = rng.nextInt(Math.max(1, h.phrases().size() - 1));
                RealizedPhrase p = h.phrase(k);
                long hi = Math.min(MarginCheck.SUCCESS_WITHIN_MS - m - 30,
                        p.endMs() - p.startMs() - MarginCheck.MIN_ONSET_MS - m - 10);
                if (hi < 800) {
                    continue;
                }
                long o = rng.nextLong(800, hi + 1);
                Line taken = cutAndTake(holder, k + 1, role, LineKind.INTERRUPTION, o + m + 60,
                        new Timing.AfterPhraseEnd(holder.id(), k, -o));
                if (taken != null) {
                    return taken;
                }
            }
            return null;
        }

        /**
         * Starts inside a pause of the holder, who resumes with a phrase over the new speaker and
         * then yields: overlap over 600 ms, the holder done within 2 s of the onset.
         */
        private Line bargeIn(Line holder, Role role) {
            RealizedLine h = placed(holder.id());
            for (int tries = 0; tries < 4; tries++) {
                if (h.phrases().size() < 3) {
                    return null;
                }
                int j = rng.nextInt(h.phrases().size() - 2);
                long a = h.phrase(j).endMs();
                long r = h.phrase(j + 1).startMs();
                long d = h.phrase(j + 1).endMs() - r;
                long pause = r - a;
                if (pause < MarginCheck.SPURT_BRIDGE_MS + m || pause > maxPause() || d < MarginCheck.MIN_OVERLAP_MS + m + 30) {
                    continue;
                }
                long lo = Math.max(m + 10, pause - (MarginCheck.SUCCESS_WITHIN_MS - m - 30 - d));
                long hi = pause - m - 10;
                if (hi < lo) {
                    continue;
                }
                long off = rng.nextLong(lo, hi + 1);
                Line taken = cutAndTake(holder, j + 2, role, LineKind.BARGE_IN, pause - off + d + m + 60,
                        new Timing.AfterPhraseEnd(holder.id(), j, off));
                if (taken != null) {
                    return taken;
                }
            }
            return null;
        }

        /** Starts in a long phrase of the holder, who talks on past 2 s and then yields to the outlasting speaker. */
        private Line outlasting(Line holder, Role role) {
            RealizedLine h = placed(holder.id());
            for (int tries = 0; tries < 4; tries++) {
                if (h.phrases().size() < 3) {
                    return null;
                }
                int k = rng.nextInt(h.phrases().size() - 2);
                RealizedPhrase p = h.phrase(k);
                long r = h.phrase(k + 1).startMs();
                long e = h.phrase(k + 1).endMs();
                long lo = Math.max(p.startMs() + MarginCheck.MIN_ONSET_MS + m + 10,
                        r - MarginCheck.RESUME_WITHIN_MS + m + 10);
                long hi = Math.min(p.endMs() - m - 10, e - MarginCheck.SUCCESS_WITHIN_MS - m - 10);
                if (hi < lo) {
                    continue;
                }
                long t = rng.nextLong(lo, hi + 1);
                Line taken = cutAndTake(holder, k + 2, role, LineKind.OUTLASTING_INTERRUPTION, e - t + m + 60,
                        new Timing.AfterPhraseStart(holder.id(), k, t - p.startMs()));
                if (taken != null) {
                    return taken;
                }
            }
            return null;
        }

        /**
         * Cuts the holder's line to its first {@code kept} phrases and adds the taking line, whose
         * first stretch is shaped to cover {@code coverMs} from its onset; restores the holder's
         * line when the taking line breaks a margin.
         */
        private Line cutAndTake(Line holder, int kept, Role role, LineKind kind, long coverMs, Timing timing) {
            Line original = current(holder.id());
            replace(original.keeping(kept));
            lineTexts.clear();
            List<Phrase> head = new ArrayList<>();
            long covered = 0;
            while (covered < coverMs && head.size() < 3) {
                String text = phrase(role, Slot.LONG);
                long pause = shortPause();
                head.add(new Phrase(text, pause));
                covered += duration(role, text) + pause;
            }
            Line taken = addTurn(role, kind, head, timing);
            if (taken == null) {
                replace(original);
            }
            return taken;
        }

        // ------------------------------------------------------------ the listener during a turn

        private void events(Line holder) {
            Plan plan = plans.get(holder.id());
            if (plan == null) {
                return;
            }
            for (LineKind event : plan.events()) {
                for (int tries = 0; tries < 5 && lines.size() < MAX_LINES; tries++) {
                    lineTexts.clear();
                    Line line = switch (event) {
                        case BACKCHANNEL -> backchannel(holder);
                        case ATTEMPT -> attempt(holder);
                        default -> bargeInAttempt(holder);
                    };
                    if (line != null && tryAdd(line)) {
                        break;
                    }
                }
            }
        }

        /** Tokens inside a phrase or a pause of the holder's line, 0.2-1.8 s long. */
        private Line backchannel(Line holder) {
            RealizedLine h = placed(holder.id());
            Role role = other(holder.role());
            int i = rng.nextInt(h.phrases().size());
            RealizedPhrase p = h.phrase(i);
            Timing timing;
            boolean inPause = i + 1 < h.phrases().size() && rng.nextBoolean();
            if (inPause) {
                timing = new Timing.AfterPhraseEnd(holder.id(), i, rng.nextLong(0, h.phrase(i + 1).startMs() - p.endMs()));
            } else {
                timing = new Timing.AfterPhraseStart(holder.id(), i, rng.nextLong(0, p.endMs() - p.startMs()));
            }
            int count = rng.nextDouble() < 0.7 ? 1 : rng.nextDouble() < 0.8 ? 2 : 3;
            List<Phrase> phrases = new ArrayList<>();
            long total = 0;
            for (int k = 0; k < count; k++) {
                String text = pick(backchannels.of(role, role == Role.AGENT ? agentVoice : customerVoice), role, 1, 6,
                        minPhraseMs(), Long.MAX_VALUE);
                long pause = k + 1 < count ? rng.nextLong(150, 601) : 0;
                phrases.add(new Phrase(text, pause));
                total += duration(role, text) + pause;
            }
            if (total > MarginCheck.TOKEN_MAX_MS - m - 20) {
                return null;
            }
            return new Line(nextId(role), role, LineKind.BACKCHANNEL, phrases, timing);
        }

        /** A remark over a long phrase of the holder, given up before the phrase ends. */
        private Line attempt(Line holder) {
            RealizedLine h = placed(holder.id());
            Role role = other(holder.role());
            int i = rng.nextInt(h.phrases().size());
            if (rng.nextBoolean()) {
                for (int k = 0; k < h.phrases().size(); k++) {
                    i = length(h.phrase(k)) > length(h.phrase(i)) ? k : i;
                }
            }
            RealizedPhrase p = h.phrase(i);
            long minOverlap = MarginCheck.MIN_OVERLAP_MS + m + 30;
            long latest = p.endMs() - m - 10 - minOverlap;
            long earliest = p.startMs() + MarginCheck.MIN_ONSET_MS + m + 10;
            if (latest < earliest) {
                return null;
            }
            long t = rng.nextLong(earliest, latest + 1);
            String text = pick(Vocabulary.INTERJECTIONS, role, 1, 6, minOverlap, p.endMs() - m - 10 - t);
            return new Line(nextId(role), role, LineKind.ATTEMPT, List.of(new Phrase(text, 0)),
                    new Timing.AfterPhraseStart(holder.id(), i, t - p.startMs()));
        }

        /** A remark started in a pause of the holder, who resumes over it; given up before the holder's next phrase ends. */
        private Line bargeInAttempt(Line holder) {
            RealizedLine h = placed(holder.id());
            Role role = other(holder.role());
            if (h.phrases().size() < 2) {
                return null;
            }
            int j = rng.nextInt(h.phrases().size() - 1);
            long a = h.phrase(j).endMs();
            long r = h.phrase(j + 1).startMs();
            long resumedEnd = h.phrase(j + 1).endMs();
            if (r - a < MarginCheck.SPURT_BRIDGE_MS + m + 20 || r - a < 2 * m + 20 || r - a > maxPause()) {
                return null;
            }
            long t = a + rng.nextLong(m + 10, r - a - m - 10 + 1);
            long minMs = r - t + MarginCheck.MIN_OVERLAP_MS + m + 30;
            long maxMs = resumedEnd - m - 10 - t;
            if (maxMs < minMs) {
                return null;
            }
            String text = pick(Vocabulary.INTERJECTIONS, role, 1, 6, minMs, maxMs);
            return new Line(nextId(role), role, LineKind.BARGE_IN_ATTEMPT, List.of(new Phrase(text, 0)),
                    new Timing.AfterPhraseEnd(holder.id(), j, t - a));
        }

        /** Laughs, breaths, clicks and coughs, over the other's speech or in silence, apart from the party's own. */
        private void scatterNoises() {
            int count = rng.nextDouble() < 0.25 ? 0 : rng.nextInt(1, 4);
            for (int n = 0; n < count; n++) {
                for (int tries = 0; tries < 6; tries++) {
                    Line anchor = lines.get(rng.nextInt(lines.size()));
                    RealizedLine a = placed(anchor.id());
                    int i = rng.nextInt(a.phrases().size());
                    RealizedPhrase p = a.phrase(i);
                    Role role = rng.nextBoolean() ? Role.AGENT : Role.CUSTOMER;
                    NoiseKind kind = NoiseKind.values()[rng.nextInt(NoiseKind.values().length)];
                    Noise noise = new Noise("n" + (noises.size() + 1), role, kind, rng.nextLong(150, 701),
                            new Timing.AfterPhraseStart(anchor.id(), i, rng.nextLong(-400, p.endMs() - p.startMs() + 601)));
                    noises.add(noise);
                    if (check()) {
                        break;
                    }
                    noises.remove(noises.size() - 1);
                }
            }
            check();
        }

        // ------------------------------------------------------------ bookkeeping

        private CallScript script() {
            return new CallScript(callId, agentVoice, customerVoice, lines, noises, tailMs);
        }

        private boolean tryAdd(Line line) {
            lines.add(line);
            if (check()) {
                return true;
            }
            lines.remove(lines.size() - 1);
            check();
            return false;
        }

        /** Realizes the draft as it stands; keeps the layout when every margin holds. */
        private boolean check() {
            try {
                realized = Realizer.realize(script(), timings, m);
                return true;
            } catch (MarginViolation broken) {
                return false;
            }
        }

        private void replace(Line line) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).id().equals(line.id())) {
                    lines.set(i, line);
                }
            }
            check();
        }

        private Line current(String id) {
            return lines.stream().filter(l -> l.id().equals(id)).findFirst().orElseThrow();
        }

        private RealizedLine placed(String id) {
            return realized.line(id);
        }

        private long lastEnd(Role role) {
            return realized.lines().stream().filter(l -> l.role() == role).mapToLong(RealizedLine::endMs).max()
                    .orElse(Long.MIN_VALUE / 4);
        }

        private Timing afterEnd(Line holder, long offsetMs) {
            Line h = current(holder.id());
            return new Timing.AfterPhraseEnd(h.id(), h.keptPhrases() - 1, offsetMs);
        }

        private static long length(RealizedPhrase p) {
            return p.endMs() - p.startMs();
        }

        private long duration(Role role, String text) {
            return timings.timing(role, role == Role.AGENT ? agentVoice : customerVoice, text).durationMs();
        }

        private String nextId(Role role) {
            ids++;
            return (role == Role.AGENT ? "a" : "c") + ids;
        }

        private LineKind weighted(LineKind[] kinds, int[] weights) {
            int total = 0;
            for (int w : weights) {
                total += w;
            }
            int x = rng.nextInt(total);
            for (int i = 0; i < kinds.length; i++) {
                x -= weights[i];
                if (x < 0) {
                    return kinds[i];
                }
            }
            return kinds[kinds.length - 1];
        }

        private static Role other(Role role) {
            return role == Role.AGENT ? Role.CUSTOMER : Role.AGENT;
        }
    }
}
