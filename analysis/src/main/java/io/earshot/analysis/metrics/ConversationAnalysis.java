package io.earshot.analysis.metrics;

import io.earshot.analysis.metrics.ConversationEvents.Backchannel;
import io.earshot.analysis.metrics.ConversationEvents.Interruption;
import io.earshot.analysis.metrics.ConversationEvents.PauseIntrusion;
import io.earshot.analysis.metrics.ConversationEvents.ResponseGap;
import io.earshot.analysis.metrics.ConversationEvents.Silence;
import io.earshot.analysis.metrics.ConversationEvents.Turn;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The metric math of docs/metrics.md over one call's talk spurts and words: pure functions, no
 * Flink, so the operator that keeps a call's state and the tests share one definition.
 *
 * <p>The rules, in the order they build on each other:
 * <ol>
 *   <li><b>Word-less spurts.</b> A spurt is <i>heard</i> once the transcript of its party covers
 *       it: always in a complete transcript (a final summary) when that party has any word, and
 *       in a running value once a word of that party starts at or after the spurt's end (the
 *       recogniser works through each party's speech in order). A heard spurt with no word of
 *       its own is a breath, laugh, click or echo remnant: it counts in talk time and overlap,
 *       may be a short backchannel, and never takes or holds the floor, interrupts or is
 *       interrupted. Spurts not heard yet (or a call without transcription) are judged as
 *       speech with words, so a running value may be revised once the words arrive.</li>
 *   <li><b>Stretches.</b> A party's spurts, where its own silence between them is shorter
 *       than {@code continuationMs}, form one stretch: a response is judged together with what
 *       the same party carries on into ("Right, so what you need to do...").</li>
 *   <li><b>Backchannels.</b> A stretch made only of backchannel tokens (any sequence of them, in
 *       the recogniser's spellings) of at most {@code backchannelTokenMaxMs}, or one without
 *       words (none recognised, or not transcribed yet) of at most {@code backchannelMaxMs},
 *       while the other party keeps its turn. Any other word (a question, a short answer) makes
 *       it a claim on the floor. A short response the recogniser found no word in counts either
 *       way: "mm-hmm" is often heard as nothing, or as "hmm", and both must give the same count,
 *       live and replayed.</li>
 *   <li><b>Floor.</b> The floor passes to a party where it has claim speech alone, except while
 *       that party's stretch interrupts the holder and the holder has not stopped yet: people
 *       pause mid-sentence, and the speaker who pauses under an interruption and goes on
 *       (within {@code continuationMs}) keeps its turn. A turn starts where the stretch that
 *       took the floor started within the turn it ends.</li>
 *   <li><b>Interruptions.</b> Only the party not holding the floor can interrupt: at the onset
 *       of one of its stretches the holder is speaking (and began at least
 *       {@code interruptionMinOnsetMs} before), or is in a pause shorter than
 *       {@code continuationMs} that it ends, within {@code pauseIntrusionResumeWithinMs}, while
 *       the stretch goes on. The holder's speech from then on, across its own pauses shorter
 *       than {@code continuationMs}, is what the stretch must overlap by
 *       {@code interruptionMinOverlapMs} and what must stop within
 *       {@code interruptionSuccessWithinMs}. So the party who resumed its own turn is never
 *       the interrupter.</li>
 * </ol>
 * Silence is counted over the whole call; dead air only between the first and last spurt,
 * since leading and trailing silence of a recording is not a conversational pause.
 */
public final class ConversationAnalysis {

    private ConversationAnalysis() {
    }

    /** Computes every metric of a call from its spurts and its complete transcript. */
    public static CallMetrics analyze(long durationMs, List<Spurt> spurts, List<TimedWord> words, MetricsConfig cfg) {
        return analyze(durationMs, spurts, words, cfg, true);
    }

    /**
     * Computes every metric of a call, or of a call so far.
     *
     * @param transcriptComplete whether every spurt has been through the recogniser (a final
     *                           summary); otherwise a spurt counts as heard only once a later
     *                           word of its party is known
     */
    public static CallMetrics analyze(long durationMs, List<Spurt> spurts, List<TimedWord> words, MetricsConfig cfg,
            boolean transcriptComplete) {
        return analyze(durationMs, spurts, words, cfg, transcriptComplete, null);
    }

    /**
     * The same, reusing the settled part of the call that {@code memo} kept from the call's
     * previous summary ({@link Memo}): the metrics are the same as without it, only the part of
     * the call after its last settled silence is computed again.
     *
     * @param memo the call's memo (one per call), or null
     */
    public static CallMetrics analyze(long durationMs, List<Spurt> spurts, List<TimedWord> words, MetricsConfig cfg,
            boolean transcriptComplete, Memo memo) {
        return analyze(durationMs, spurts, words, cfg, transcriptComplete, memo, 0, 0);
    }

    /**
     * The same, told how much of the spurts and words the memo saw last time is unchanged, so
     * it need not check the kept part's spurts and words one by one.
     *
     * @param sameSpurts how many leading spurts of {@code spurts} are those (the same or equal,
     *                   in the same places) of the previous call with this memo; 0 if unknown
     * @param sameWords  the same for {@code words}
     */
    public static CallMetrics analyze(long durationMs, List<Spurt> spurts, List<TimedWord> words, MetricsConfig cfg,
            boolean transcriptComplete, Memo memo, int sameSpurts, int sameWords) {
        // the leading spurts that are those of the last call lie in order if those did
        boolean inOrder = sortedByStart(spurts, memo != null && memo.givenInOrder ? sameSpurts : 0);
        if (memo != null) {
            memo.givenInOrder = inOrder;
        }
        // read only during this call: a copy only when they must be sorted
        List<Spurt> sorted = spurts;
        if (!inOrder) {
            sorted = new ArrayList<>(spurts);
            sorted.sort(Comparator.comparingLong(Spurt::startMs));
            sameSpurts = 0; // places moved: what was the same is not known
        }
        if (memo == null) {
            Part all = Part.of(sorted, words, cfg, transcriptComplete, Seed.NONE, hasWords(words, Role.AGENT),
                    hasWords(words, Role.CUSTOMER));
            return metrics(durationMs, all, null, cfg);
        }
        try {
            return memo.analyze(durationMs, sorted, words, cfg, transcriptComplete, sameSpurts, sameWords);
        } catch (RuntimeException e) {
            memo.forget(); // the next call must not build on a half-updated memo
            throw e;
        }
    }

    /** Whether the spurts lie in order of start, given that the first {@code inOrder} do. */
    private static boolean sortedByStart(List<Spurt> spurts, int inOrder) {
        for (int i = Math.max(1, inOrder); i < spurts.size(); i++) {
            if (spurts.get(i).startMs() < spurts.get(i - 1).startMs()) {
                return false;
            }
        }
        return true;
    }

    /** The metrics of a call from its settled part (or null) and the part after it. */
    private static CallMetrics metrics(long durationMs, Part settled, Part rest, MetricsConfig cfg) {
        return metrics(durationMs, settled, rest, cfg, null);
    }

    /** The same, leaving their {@link Tally} with {@code memo} (when not null). */
    private static CallMetrics metrics(long durationMs, Part settled, Part rest, MetricsConfig cfg, Memo memo) {
        Part all = settled == null ? rest : rest == null ? settled : settled.then(rest, false);
        long agentTalk = all.agentTalkMs;
        long customerTalk = all.customerTalkMs;
        long speech = agentTalk + customerTalk - all.overlapMs;
        List<ResponseGap> gaps = all.gaps;
        List<Turn> turns = all.turns;
        Totals t = all.totals();
        Turn agentLongest = t.longest(turns, Role.AGENT);
        Turn customerLongest = t.longest(turns, Role.CUSTOMER);
        if (memo != null) {
            memo.tally = t.tally(turns);
        }
        return new CallMetrics(durationMs, agentTalk, customerTalk, all.overlapMs, Math.max(0, durationMs - speech),
                agentTalk + customerTalk == 0 ? Double.NaN : (double) agentTalk / (agentTalk + customerTalk),
                all.interruptions, all.backchannels, gaps, all.intrusions, all.deadAir, turns,
                gaps.isEmpty() ? Double.NaN : t.respectedGaps() / (double) gaps.size(),
                gaps.isEmpty() ? Double.NaN : (double) t.gapSumMs() / gaps.size(),
                durationMs == 0 ? 0 : t.agentInterruptions() * 600_000.0 / durationMs,
                agentLongest == null ? 0 : agentLongest.durationMs(),
                customerLongest == null ? 0 : customerLongest.durationMs(), cfg);
    }

    /**
     * The sums a call's metrics take over a part's events: kept with the part, so the settled
     * part's are not counted again at every running value.
     *
     * @param agentLongest    the agent's longest turn but the part's last, the first of equally
     *                        long ones (null if none)
     * @param customerLongest the same for the customer
     * @param agentWorst      the agent's interruption with the longest overlap, the earliest of
     *                        equal ones (null if none)
     * @param quickestGap     the shortest response gap, the earliest answer of equal ones (null if none)
     */
    record Totals(long agentInterruptions, long agentInterruptionOverlapMs, long agentBackchannels,
            long respectedGaps, long gapSumMs, Turn agentLongest, Turn customerLongest, Interruption agentWorst,
            ResponseGap quickestGap) {

        static Totals of(Part p) {
            return of(p.interruptions, p.backchannels, p.gaps, p.turns);
        }

        /** The sums over the events of {@code m}, counted. */
        static Totals of(CallMetrics m) {
            return of(m.interruptions(), m.backchannels(), m.responseGaps(), m.turns());
        }

        /** These sums as a {@link Tally}, {@code turns} being the part's turns. */
        Tally tally(List<Turn> turns) {
            return new Tally(agentInterruptions, agentInterruptionOverlapMs, agentBackchannels, respectedGaps,
                    gapSumMs, longest(turns, Role.AGENT), agentWorst, quickestGap);
        }

        private static Totals of(List<Interruption> interruptions, List<Backchannel> backchannels,
                List<ResponseGap> gaps, List<Turn> turns) {
            long agentInterruptions = 0;
            long agentOverlap = 0;
            Interruption worst = null;
            for (Interruption i : interruptions) {
                if (i.by() == Role.AGENT) {
                    agentInterruptions++;
                    agentOverlap += i.overlapMs();
                    worst = worse(worst, i);
                }
            }
            long agentBackchannels = 0;
            for (Backchannel b : backchannels) {
                agentBackchannels += b.by() == Role.AGENT ? 1 : 0;
            }
            long respected = 0;
            long sum = 0;
            ResponseGap quickest = null;
            for (ResponseGap g : gaps) {
                respected += g.respected() ? 1 : 0;
                sum += g.gapMs();
                quickest = quicker(quickest, g);
            }
            return new Totals(agentInterruptions, agentOverlap, agentBackchannels, respected, sum,
                    longest(turns, Role.AGENT, turns.size() - 1), longest(turns, Role.CUSTOMER, turns.size() - 1),
                    worst, quickest);
        }

        /**
         * The totals of {@code earlier} followed by {@code later}, whose turns are {@code joined}:
         * {@code earlier}'s last turn is dropped when {@code later}'s first goes on from it.
         */
        static Totals of(Part earlier, Part later, List<Turn> joined) {
            Totals a = earlier.totals();
            Totals b = later.totals();
            Turn agent;
            Turn customer;
            if (later.turns.isEmpty()) { // no turn of its own to end the joined ones: look at them all
                agent = longest(joined, Role.AGENT, joined.size() - 1);
                customer = longest(joined, Role.CUSTOMER, joined.size() - 1);
            } else {
                // the candidates in the order of the joined turns, so the first of equal ones wins
                boolean goesOn = later.seed.holder() != null;
                Turn earlierLast = earlier.turns.isEmpty() || goesOn ? null
                        : earlier.turns.get(earlier.turns.size() - 1);
                agent = longer(longer(a.agentLongest, earlierLast, Role.AGENT), b.agentLongest, Role.AGENT);
                customer = longer(longer(a.customerLongest, earlierLast, Role.CUSTOMER), b.customerLongest,
                        Role.CUSTOMER);
            }
            return new Totals(a.agentInterruptions + b.agentInterruptions,
                    a.agentInterruptionOverlapMs + b.agentInterruptionOverlapMs,
                    a.agentBackchannels + b.agentBackchannels, a.respectedGaps + b.respectedGaps,
                    a.gapSumMs + b.gapSumMs, agent, customer, worse(a.agentWorst, b.agentWorst),
                    quicker(a.quickestGap, b.quickestGap));
        }

        /** The shorter gap, {@code first} (the earlier) when equal, or when {@code then} is null. */
        private static ResponseGap quicker(ResponseGap first, ResponseGap then) {
            if (first == null) {
                return then;
            }
            return then != null && (then.gapMs() < first.gapMs()
                    || then.gapMs() == first.gapMs() && then.agentStartMs() < first.agentStartMs()) ? then : first;
        }

        /** The interruption with the longer overlap, {@code first} (the earlier) when equal, or when {@code then} is null. */
        private static Interruption worse(Interruption first, Interruption then) {
            if (first == null) {
                return then;
            }
            return then != null && (then.overlapMs() > first.overlapMs()
                    || then.overlapMs() == first.overlapMs() && then.startMs() < first.startMs()) ? then : first;
        }

        /** The role's longest turn of {@code turns}, the part's turns (the first of equally long ones), or null. */
        Turn longest(List<Turn> turns, Role role) {
            Turn best = role == Role.AGENT ? agentLongest : customerLongest;
            return turns.isEmpty() ? best : longer(best, turns.get(turns.size() - 1), role);
        }

        /** The longer of the role's turns {@code first} and {@code then} (either null or another role's), {@code first} if as long. */
        private static Turn longer(Turn first, Turn then, Role role) {
            if (then == null || then.role() != role) {
                return first;
            }
            return first == null || then.durationMs() > first.durationMs() ? then : first;
        }

        private static Turn longest(List<Turn> turns, Role role, int before) {
            Turn best = null;
            for (int i = 0; i < before; i++) {
                best = longer(best, turns.get(i), role);
            }
            return best;
        }
    }

    /**
     * What the rules carry from one part of a call into the next across a settled silence (see
     * {@link Memo}): who holds the floor and since when, where each party's last claim speech
     * ended ({@link #NO_END} if none), whether each party has spoken with words (or not heard
     * yet), and where the last speech ended (-1 if none).
     */
    record Seed(Role holder, long turnStartMs, long agentClaimEndMs, long customerClaimEndMs, boolean agentVoiced,
            boolean customerVoiced, long speechEndMs, List<Pending> pending) {
        static final Seed NONE = new Seed(null, 0, NO_END, NO_END, false, false, -1, List.of());

        long claimEnd(Role role) {
            return role == Role.AGENT ? agentClaimEndMs : customerClaimEndMs;
        }

        boolean voiced(Role role) {
            return role == Role.AGENT ? agentVoiced : customerVoiced;
        }
    }

    /**
     * An agent's stretch that began in the customer's pause, before a settled silence, with no
     * customer speech after it in its part: a pause intrusion if the customer's next claim speech,
     * in a later part, starts within {@code pauseIntrusionResumeWithinMs} of it.
     */
    record Pending(long pauseStartMs, long agentStartMs) {
    }

    /** No claim speech before: {@link Timeline#lastEndAtOrBefore} falls back to its argument. */
    static final long NO_END = Long.MIN_VALUE;

    /**
     * The rules applied to one part of a call (all of it, or the spurts from one settled
     * silence on) after {@code seed}: its events, its talk totals, and the seed for the part
     * after it. Its last turn is the one open at its end (closed there, as a call so far is).
     */
    static final class Part {
        final Seed seed;
        final long agentTalkMs;
        final long customerTalkMs;
        final long overlapMs;
        final List<Interruption> interruptions;
        final List<Backchannel> backchannels;
        final List<ResponseGap> gaps;
        final List<PauseIntrusion> intrusions;
        final List<Silence> deadAir;
        final List<Turn> turns;
        final Seed next;
        /**
         * Whether a party's last stretch is a backchannel or not depending on who speaks first
         * after the part: then the part cannot end at a settled silence.
         */
        final boolean openBackchannel;
        /**
         * Whether a party's last stretch was judged by who speaks first after the part (given to
         * {@link #of}): the part holds only while that stays so.
         */
        final boolean decidedByNext;
        /** The sums of its events, once asked for. */
        private Totals totals;

        private Part(Seed seed, long agentTalkMs, long customerTalkMs, long overlapMs, List<Interruption> interruptions,
                List<Backchannel> backchannels, List<ResponseGap> gaps, List<PauseIntrusion> intrusions,
                List<Silence> deadAir, List<Turn> turns, Seed next, boolean openBackchannel, boolean decidedByNext) {
            this.seed = seed;
            this.agentTalkMs = agentTalkMs;
            this.customerTalkMs = customerTalkMs;
            this.overlapMs = overlapMs;
            this.interruptions = interruptions;
            this.backchannels = backchannels;
            this.gaps = gaps;
            this.intrusions = intrusions;
            this.deadAir = deadAir;
            this.turns = turns;
            this.next = next;
            this.openBackchannel = openBackchannel;
            this.decidedByNext = decidedByNext;
        }

        /**
         * The rules over {@code sorted} (by start) and {@code words} after {@code seed}.
         *
         * @param agentWords    whether the agent has any word in the call (here or elsewhere):
         *                      then its spurts are judged as heard or not (see {@link Words#wordless})
         * @param customerWords the same for the customer
         */
        static Part of(List<Spurt> sorted, List<TimedWord> words, MetricsConfig cfg, boolean transcriptComplete,
                Seed seed, boolean agentWords, boolean customerWords) {
            return of(sorted, words, cfg, transcriptComplete, seed, agentWords, customerWords, null);
        }

        /**
         * The same, told which party speaks first after these spurts ({@code firstAfter}, or null
         * when not known yet): a last stretch that would be a backchannel if the other party
         * spoke first is judged by it (see {@link ConversationAnalysis#backchannels}).
         */
        static Part of(List<Spurt> sorted, List<TimedWord> words, MetricsConfig cfg, boolean transcriptComplete,
                Seed seed, boolean agentWords, boolean customerWords, Role firstAfter) {
            List<Spurt> agent = ConversationAnalysis.of(sorted, Role.AGENT);
            List<Spurt> customer = ConversationAnalysis.of(sorted, Role.CUSTOMER);
            Words byRole = new Words(words, agentWords, customerWords);
            List<Spurt> voiced = new ArrayList<>(sorted.size());
            boolean agentVoiced = seed.agentVoiced();
            boolean customerVoiced = seed.customerVoiced();
            for (Spurt s : sorted) {
                if (!byRole.wordless(s, transcriptComplete)) {
                    voiced.add(s);
                    agentVoiced |= s.role() == Role.AGENT;
                    customerVoiced |= s.role() == Role.CUSTOMER;
                }
            }
            List<Backchannel> backchannels = new ArrayList<>();
            Set<Spurt> backchannelSpurts = new HashSet<>();
            boolean[] decided = new boolean[1];
            boolean open = backchannels(sorted, voiced, byRole, cfg, seed, backchannels, backchannelSpurts, firstAfter,
                    decided);
            backchannels.sort(Comparator.comparingLong(Backchannel::startMs));
            List<Spurt> claims = new ArrayList<>(voiced.size());
            for (Spurt s : voiced) {
                if (backchannelSpurts.isEmpty() || !backchannelSpurts.contains(s)) {
                    claims.add(s);
                }
            }
            Floor floor = new Floor(claims, cfg, seed);
            List<Interruption> interruptions = new ArrayList<>();
            List<PauseIntrusion> intrusions = new ArrayList<>();
            List<Pending> pending = new ArrayList<>();
            interruptions(floor, byRole, cfg, interruptions, intrusions, pending);
            long speechEnd = seed.speechEndMs();
            for (Spurt s : sorted) {
                speechEnd = Math.max(speechEnd, s.endMs());
            }
            // the stretches of earlier parts waiting on the customer's next speech: it is in this
            // part, or in a later one (if that can still start within the window)
            long resume = floor.speech(Role.CUSTOMER).firstStartAtOrAfter(Long.MIN_VALUE);
            List<Pending> waiting = new ArrayList<>();
            for (Pending p : seed.pending()) {
                if (resume != Long.MAX_VALUE) {
                    if (resume <= p.agentStartMs() + cfg.pauseIntrusionResumeWithinMs()) {
                        intrusions.add(new PauseIntrusion(p.pauseStartMs(), p.agentStartMs(), resume));
                    }
                } else if (p.agentStartMs() + cfg.pauseIntrusionResumeWithinMs() >= speechEnd + 1) {
                    waiting.add(p);
                }
            }
            intrusions.sort(Comparator.comparingLong(PauseIntrusion::agentStartMs));
            waiting.addAll(pending);
            Seed next = new Seed(floor.holder, floor.turnStart, floor.claimEnd(Role.AGENT),
                    floor.claimEnd(Role.CUSTOMER), agentVoiced, customerVoiced, speechEnd, List.copyOf(waiting));
            return new Part(seed, total(agent), total(customer), intersection(agent, customer), interruptions,
                    backchannels, responseGaps(floor.turns, cfg), intrusions, deadAir(sorted, cfg, seed.speechEndMs()),
                    floor.turns, next, open, decided[0]);
        }

        /**
         * This part followed by {@code later}, which starts where this one ends: the turn open at
         * this part's end goes on as {@code later}'s first turn. The lists share this part's
         * items ({@link SharedList}): {@code toBuildOn} for the part the next one is joined to
         * (the memo's settled part, whose store grows by {@code later}'s items), otherwise a part
         * made once (a summary's), whose lists copy only {@code later}'s items.
         */
        Part then(Part later, boolean toBuildOn) {
            int keepTurns = later.seed.holder() != null ? turns.size() - 1 : turns.size();
            List<Turn> joined = join(turns, keepTurns, later.turns, toBuildOn);
            Part both = new Part(seed, agentTalkMs + later.agentTalkMs, customerTalkMs + later.customerTalkMs,
                    overlapMs + later.overlapMs, join(interruptions, later.interruptions, toBuildOn),
                    join(backchannels, later.backchannels, toBuildOn), join(gaps, later.gaps, toBuildOn),
                    join(intrusions, later.intrusions, toBuildOn), join(deadAir, later.deadAir, toBuildOn), joined,
                    later.next, later.openBackchannel, false);
            both.totals = Totals.of(this, later, joined);
            return both;
        }

        /** The sums of this part's events ({@link Totals}), counted once. */
        Totals totals() {
            if (totals == null) {
                totals = Totals.of(this);
            }
            return totals;
        }

        private static <T> List<T> join(List<T> a, List<T> b, boolean toBuildOn) {
            return join(a, a.size(), b, toBuildOn);
        }

        private static <T> List<T> join(List<T> a, int keep, List<T> b, boolean toBuildOn) {
            return toBuildOn ? SharedList.appended(a, keep, b) : SharedList.joined(a, keep, b);
        }
    }

    /**
     * What one call's summaries keep of the call's settled part, so each summary computes the
     * rules only over the part after it. One per call, kept by whoever computes the call's
     * summaries in turn; not thread-safe. Holding none, or one that no longer fits the call, only
     * costs a pass over the whole call.
     *
     * <p>The rules reach across silences (a turn goes on however long the other party says
     * nothing, a response gap spans the silence), but only through a little state: who holds the
     * floor since when, where each party's speech last ended, whether each has spoken, where the
     * last speech ended, and the agent's stretches that began in the customer's pause and wait on
     * the customer's next speech to be pause intrusions ({@link Seed}, {@link Pending}). A
     * <i>settled silence</i> is one in which neither party has a spurt or a word for at least
     * {@link #settledSilenceMs}: longer than the continuation, so no stretch or bid reaches
     * across it, and the rules before it, given the seed, decide the same whatever comes after,
     * with one exception checked for ({@link Part#openBackchannel}). The part before such a
     * silence is kept once it is settled:
     * <ul>
     *   <li>both parties have a spurt starting after the silence (a party's spurt still under
     *       way, not known yet, starts after its last known one), or the silence ended at least
     *       {@link #SETTLE_AFTER_MS} before the latest speech known, so that only a spurt under
     *       way for longer than that could start inside it;</li>
     *   <li>each party that has words is transcribed past it: it has a word starting after the
     *       silence, so every spurt of it before is heard, or its words to come cannot land
     *       before the silence nor change whether a spurt there is heard speech without words
     *       ({@link #transcribedBefore}); so the part is the same in a running value as in the
     *       final summary;</li>
     *   <li>no party's last stretch before it waits on who speaks first after it to be a
     *       backchannel, or who does is certain: the first spurt after the silence holds a word
     *       (it is speech with words however the rest is heard), and the other party's first
     *       spurt after it is known and later; every summary checks both still hold.</li>
     * </ul>
     * Every summary checks that the spurts and words before the kept part's end are the ones it
     * was computed from, and that a party without words then has none now (its spurts would be
     * judged heard once it has); if not, the memo starts over from the beginning of the call.
     */
    public static final class Memo {
        /**
         * How far behind the latest speech a silence that a party has not spoken after must end to
         * be kept: a spurt of that party under way since then would be this long already.
         */
        static final long SETTLE_AFTER_MS = 10_000;

        private MetricsConfig cfg;
        private Tally tally;
        /** The settled part, and where it ends (the first start after its settled silence). */
        private Part settled;
        /** Whether the spurts of the last call were given in order of start. */
        private boolean givenInOrder;
        private long endMs;
        private int spurts;
        private long spurtHash;
        private int words;
        private long wordHash;
        /**
         * The first spurt after the kept part and the other party's first one after it, when a
         * last stretch of the kept part was judged by who speaks first after it: the part holds
         * while they are the parties' first spurts after it, and the first still holds a word (so
         * it is speech with words whatever is heard later). Null otherwise.
         */
        private Spurt firstAfter;
        private Spurt otherAfter;
        /** Parties that had no word when the part was kept. */
        private boolean agentWordless;
        private boolean customerWordless;
        /**
         * In the last summary's words: every word before the kept part's end lies before
         * {@code boundary}; {@code restBelow} are the indices of the other words before it.
         */
        private int boundary;
        private int[] restBelow = NONE;
        /** The index of each party's first word in the last summary's words, or {@code Integer.MAX_VALUE}. */
        private int firstAgentWord = Integer.MAX_VALUE;
        private int firstCustomerWord = Integer.MAX_VALUE;

        /**
         * One pass over the words from {@code scanFrom}: the indices of the words from
         * {@code from} on (after {@code restBelow}, the ones before {@code scanFrom}), the count and
         * hash of those before it and the last index among them, and each party's first word
         * from {@code scanFrom}. {@code quick}: read from the boundary on, the rest known.
         */
        private record Scan(boolean quick, int[] rest, int before, long hashBefore, int lastBefore, int firstAgent,
                int firstCustomer) {
        }

        private static final int[] NONE = new int[0];

        private static Scan scanWords(List<TimedWord> words, long from, int scanFrom, int[] restBelow, boolean quick) {
            int[] rest = java.util.Arrays.copyOf(restBelow, restBelow.length + words.size() - scanFrom);
            int n = restBelow.length;
            int before = 0;
            long hashBefore = 0;
            int lastBefore = -1;
            int firstAgent = Integer.MAX_VALUE;
            int firstCustomer = Integer.MAX_VALUE;
            for (int i = scanFrom; i < words.size(); i++) {
                TimedWord w = words.get(i);
                if (w.role() == Role.AGENT) {
                    firstAgent = Math.min(firstAgent, i);
                } else {
                    firstCustomer = Math.min(firstCustomer, i);
                }
                if (w.startMs() < from) {
                    before++;
                    hashBefore += hash(w);
                    lastBefore = i;
                } else {
                    rest[n++] = i;
                }
            }
            return new Scan(quick, java.util.Arrays.copyOf(rest, n), before, hashBefore,
                    lastBefore, firstAgent, firstCustomer);
        }

        /** The start of the part the next summary computes again; {@code Long.MIN_VALUE} when none is kept. */
        public long settledUntilMs() {
            return settled == null ? Long.MIN_VALUE : endMs;
        }

        /** How long a silence of both parties must be to settle the part before it. */
        static long settledSilenceMs(MetricsConfig cfg) {
            return cfg.continuationMs() + 1;
        }

        /**
         * The {@link Tally} of the metrics its last call returned, kept with the call's parts; null
         * after a call that failed, or {@link #forget()}.
         */
        public Tally tally() {
            return tally;
        }

        /** Drops what it keeps: the next summary starts over. */
        public void forget() {
            tally = null;
            givenInOrder = false;
            settled = null;
            boundary = 0;
            restBelow = NONE;
            firstAgentWord = Integer.MAX_VALUE;
            firstCustomerWord = Integer.MAX_VALUE;
            firstAfter = null;
            otherAfter = null;
        }

        CallMetrics analyze(long durationMs, List<Spurt> sorted, List<TimedWord> words, MetricsConfig cfg,
                boolean transcriptComplete, int sameSpurts, int sameWords) {
            tally = null; // until these metrics are made
            long from = settled == null ? Long.MIN_VALUE : endMs;
            // Quick: the kept spurts and the words up to the boundary are the ones of the last
            // summary, so only the words after the boundary are read; a word among them before the
            // kept part's end is a change, and the slow pass below finds it.
            boolean quick = settled != null && cfg.equals(this.cfg) && sameSpurts >= spurts && sameWords >= boundary;
            Scan scan = quick ? scanWords(words, from, boundary, restBelow, true) : null;
            if (scan == null || scan.before > 0) {
                if (settled == null) {
                    forget();
                }
                scan = scanWords(words, from, 0, NONE, false);
            }
            boolean agentWords = scan.quick && firstAgentWord < boundary || scan.firstAgent != Integer.MAX_VALUE;
            boolean customerWords = scan.quick && firstCustomerWord < boundary
                    || scan.firstCustomer != Integer.MAX_VALUE;
            boolean keep = settled != null && cfg.equals(this.cfg)
                    && !(agentWordless && agentWords) && !(customerWordless && customerWords)
                    && isLowerBoundStart(sorted, endMs, spurts)
                    && (scan.quick || scan.before == this.words && scan.hashBefore == wordHash
                            && hash(sorted.subList(0, spurts)) == spurtHash)
                    && (firstAfter == null || stillFirst(sorted, spurts, words, scan.rest));
            if (!keep && settled != null) {
                forget();
                scan = scanWords(words, Long.MIN_VALUE, 0, NONE, false);
            }
            firstAgentWord = scan.quick && firstAgentWord < boundary ? firstAgentWord : scan.firstAgent;
            firstCustomerWord = scan.quick && firstCustomerWord < boundary ? firstCustomerWord : scan.firstCustomer;
            if (!scan.quick) {
                // the words before the kept part's end lie before the boundary; the others there are kept by index
                boundary = scan.lastBefore + 1;
                int n = 0;
                while (n < scan.rest.length && scan.rest[n] < boundary) {
                    n++;
                }
                restBelow = java.util.Arrays.copyOf(scan.rest, n);
            }
            List<TimedWord> restWords = new ArrayList<>(scan.rest.length);
            for (int i : scan.rest) {
                restWords.add(words.get(i));
            }
            int first = settled == null ? 0 : spurts;
            Seed seed = settled == null ? Seed.NONE : settled.next;
            List<Spurt> rest = sorted.subList(first, sorted.size());
            long cut = settleAt(rest, restWords, cfg, agentWords, customerWords);
            if (cut != Long.MIN_VALUE) {
                int k = first + lowerBoundStart(rest, cut);
                List<TimedWord> before = new ArrayList<>();
                List<TimedWord> afterCut = new ArrayList<>();
                int lastBefore = -1;
                for (int r = 0; r < restWords.size(); r++) {
                    TimedWord w = restWords.get(r);
                    if (w.startMs() < cut) {
                        before.add(w);
                        lastBefore = Math.max(lastBefore, scan.rest[r]);
                    } else {
                        afterCut.add(w);
                    }
                }
                // who speaks first after the silence, when that is certain: the first spurt after it
                // holds a word, and the other party's first spurt after it is known and later
                Spurt[] next = firstSpurts(sorted, k);
                boolean certain = next[0] != null && next[1] != null && next[0].startMs() < next[1].startMs()
                        && holdsWord(next[0], afterCut);
                Part part = Part.of(sorted.subList(first, k), before, cfg, true, seed, agentWords, customerWords,
                        certain ? next[0].role() : null);
                if (!part.openBackchannel) {
                    if (part.decidedByNext) {
                        firstAfter = next[0];
                        otherAfter = next[1];
                    } else if (firstAfter != null && firstAfter.startMs() < cut) {
                        firstAfter = null; // inside the kept part now, checked with it
                        otherAfter = null;
                    }
                    if (settled == null) {
                        this.cfg = cfg;
                        settled = part;
                        spurts = 0;
                        spurtHash = 0;
                        this.words = 0;
                        wordHash = 0;
                    } else {
                        settled = settled.then(part, true);
                    }
                    endMs = cut;
                    List<Spurt> added = sorted.subList(first, k);
                    spurts += added.size();
                    spurtHash += hash(added);
                    this.words += before.size();
                    for (TimedWord w : before) {
                        wordHash += hash(w);
                    }
                    agentWordless = !agentWords;
                    customerWordless = !customerWords;
                    int newBoundary = Math.max(boundary, lastBefore + 1);
                    int[] below = new int[scan.rest.length];
                    int n = 0;
                    for (int r = 0; r < scan.rest.length && scan.rest[r] < newBoundary; r++) {
                        if (restWords.get(r).startMs() >= cut) {
                            below[n++] = scan.rest[r];
                        }
                    }
                    boundary = newBoundary;
                    restBelow = java.util.Arrays.copyOf(below, n);
                    seed = part.next;
                    rest = sorted.subList(k, sorted.size());
                    restWords = afterCut;
                }
            }
            Part last = Part.of(rest, restWords, cfg, transcriptComplete, seed, agentWords, customerWords);
            return metrics(durationMs, settled, last, cfg, this);
        }

        /**
         * The latest start after a settled silence among these spurts and words (see the class
         * comment), or {@code Long.MIN_VALUE} if none.
         */
        private static long settleAt(List<Spurt> sorted, List<TimedWord> words, MetricsConfig cfg, boolean agentWords,
                boolean customerWords) {
            if (sorted.isEmpty()) {
                return Long.MIN_VALUE;
            }
            List<TimedWord> byStart = new ArrayList<>(words);
            byStart.sort(Comparator.comparingLong(TimedWord::startMs));
            long latest = Long.MIN_VALUE;
            long agentLastSpurt = Long.MIN_VALUE;
            long customerLastSpurt = Long.MIN_VALUE;
            for (Spurt s : sorted) {
                latest = Math.max(latest, s.endMs());
                if (s.role() == Role.AGENT) {
                    agentLastSpurt = Math.max(agentLastSpurt, s.startMs());
                } else {
                    customerLastSpurt = Math.max(customerLastSpurt, s.startMs());
                }
            }
            for (TimedWord w : byStart) {
                latest = Math.max(latest, w.endMs());
            }
            // a spurt still under way starts after its party's last known one ends: a silence
            // both parties have spoken after is past every spurt to come; one that only ended
            // SETTLE_AFTER_MS ago is past any but a long one
            long limit = Math.max(latest - SETTLE_AFTER_MS, Math.min(agentLastSpurt, customerLastSpurt));
            long silence = settledSilenceMs(cfg);
            long reach = Long.MIN_VALUE;
            long[] cuts = new long[8];
            int found = 0;
            int i = 0;
            int j = 0;
            while (i < sorted.size() || j < byStart.size()) {
                boolean spurt = j >= byStart.size()
                        || i < sorted.size() && sorted.get(i).startMs() <= byStart.get(j).startMs();
                long start = spurt ? sorted.get(i).startMs() : byStart.get(j).startMs();
                long end = spurt ? sorted.get(i++).endMs() : byStart.get(j++).endMs();
                if (start > limit) {
                    break;
                }
                if (reach != Long.MIN_VALUE && start - reach >= silence) {
                    if (found == cuts.length) {
                        cuts = java.util.Arrays.copyOf(cuts, 2 * found);
                    }
                    cuts[found++] = start;
                }
                reach = Math.max(reach, end);
            }
            // the latest whose spurts before it no word still to come can change
            Heard agent = agentWords ? Heard.of(Role.AGENT, byStart) : null;
            Heard customer = customerWords ? Heard.of(Role.CUSTOMER, byStart) : null;
            for (int c = found - 1; c >= 0; c--) {
                if (transcribedBefore(agent, cuts[c], sorted, byStart, silence)
                        && transcribedBefore(customer, cuts[c], sorted, byStart, silence)) {
                    return cuts[c];
                }
            }
            return Long.MIN_VALUE;
        }

        /**
         * Where one party's words among a part's stand: its last word's start and the latest end
         * of its words; {@code Long.MIN_VALUE} for both when it has none there (its words so far
         * end before the part).
         */
        private record Heard(Role role, long lastStart, long lastEnd) {
            static Heard of(Role role, List<TimedWord> byStart) {
                long lastStart = Long.MIN_VALUE;
                long lastEnd = Long.MIN_VALUE;
                for (TimedWord w : byStart) {
                    if (w.role() == role) {
                        lastStart = w.startMs();
                        lastEnd = Math.max(lastEnd, w.endMs());
                    }
                }
                return new Heard(role, lastStart, lastEnd);
            }
        }

        /**
         * Whether a party's recogniser is done with its speech before {@code cut}: the party has no
         * words in the call ({@code heard} null; see {@link #agentWordless}), or a word of it here
         * starts at or after the cut (every spurt of it before is heard), or else its words to
         * come can neither land before the cut nor make a spurt of it there heard and without
         * words. A party's words come in order (a recogniser works through its speech in order),
         * so the ones to come start after its last word known ends, in its speech after that: no
         * spurt of it may start after its last word and before the cut, its next spurt must start
         * a settled silence after the cut (a word may start a little before its spurt), and each
         * spurt of it before the cut not heard yet (ending after its last word's start) must hold
         * a word. A word to come that breaks this anyway only makes the memo start over.
         */
        private static boolean transcribedBefore(Heard heard, long cut, List<Spurt> sorted, List<TimedWord> byStart,
                long silence) {
            if (heard == null || heard.lastStart() >= cut) {
                return true;
            }
            int at = lowerBoundStart(sorted, cut);
            for (int k = at; k < sorted.size(); k++) {
                if (sorted.get(k).role() == heard.role()) {
                    if (sorted.get(k).startMs() < cut + silence) {
                        return false;
                    }
                    break;
                }
            }
            for (int k = at - 1; k >= 0; k--) {
                Spurt s = sorted.get(k);
                if (s.role() != heard.role()) {
                    continue;
                }
                if (s.endMs() <= heard.lastStart()) {
                    return true; // heard, and so is every earlier one of the party
                }
                if (s.startMs() > heard.lastEnd() || !holdsWord(s, byStart)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * The first spurt from index {@code from} on, and the other party's first one after it
         * (null where there is none).
         */
        private static Spurt[] firstSpurts(List<Spurt> sorted, int from) {
            Spurt[] out = new Spurt[2];
            for (int i = from; i < sorted.size() && out[1] == null; i++) {
                Spurt s = sorted.get(i);
                if (out[0] == null) {
                    out[0] = s;
                } else if (s.role() != out[0].role()) {
                    out[1] = s;
                }
            }
            return out;
        }

        /** Whether {@link #firstAfter} and {@link #otherAfter} still hold, the kept spurts {@code sorted}'s first {@code kept}. */
        private boolean stillFirst(List<Spurt> sorted, int kept, List<TimedWord> words, int[] after) {
            Spurt[] next = firstSpurts(sorted, kept);
            if (!firstAfter.equals(next[0]) || !otherAfter.equals(next[1])) {
                return false;
            }
            for (int i : after) {
                if (belongsTo(words.get(i), firstAfter)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether a word of the spurt's party among {@code words} belongs to it. */
        private static boolean holdsWord(Spurt s, List<TimedWord> words) {
            for (TimedWord w : words) {
                if (belongsTo(w, s)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether the word is the spurt's party's and belongs to it ({@link Words#belongs}). */
        private static boolean belongsTo(TimedWord w, Spurt s) {
            return w.role() == s.role() && Words.belongs(w.startMs(), w.endMs(), s);
        }

        private static int lowerBoundStart(List<Spurt> sorted, long t) {
            int lo = 0;
            int hi = sorted.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted.get(mid).startMs() < t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /**
         * Whether {@code at} is {@link #lowerBoundStart} of {@code t} in these spurts (sorted by
         * start): the spurt before it starts before {@code t} and the one there does not. Read at
         * the two spurts alone, not by a search over a long call's list.
         */
        private static boolean isLowerBoundStart(List<Spurt> sorted, long t, int at) {
            return at >= 0 && at <= sorted.size() && (at == 0 || sorted.get(at - 1).startMs() < t)
                    && (at == sorted.size() || sorted.get(at).startMs() >= t);
        }

        /** A sum of the spurts' hashes: the same for the same spurts in any order. */
        private static long hash(List<Spurt> spurts) {
            long h = 0;
            for (Spurt s : spurts) {
                h += (s.startMs() * 31 + s.endMs()) * 31 + s.role().ordinal();
            }
            return h;
        }

        /** A word's hash from its fields (a record's own hash code costs more than the rest of the pass). */
        private static long hash(TimedWord w) {
            return ((w.startMs() * 31 + w.endMs()) * 31 + w.role().ordinal()) * 31 + w.word().hashCode();
        }
    }

    /** One party's spurts whose own silences between them are shorter than the continuation. */
    record Stretch(Role role, long startMs, long endMs, List<Spurt> spurts) {
        long durationMs() {
            return endMs - startMs;
        }
    }

    /** The stretches of one party's spurts (sorted by start). */
    static List<Stretch> stretches(List<Spurt> sorted, long continuationMs) {
        List<Stretch> out = new ArrayList<>();
        List<Spurt> current = new ArrayList<>();
        long start = 0;
        long end = Long.MIN_VALUE;
        for (Spurt s : sorted) {
            if (!current.isEmpty() && s.startMs() - end >= continuationMs) {
                out.add(new Stretch(s.role(), start, end, current));
                current = new ArrayList<>();
            }
            if (current.isEmpty()) {
                start = s.startMs();
                end = s.endMs();
            }
            current.add(s);
            end = Math.max(end, s.endMs());
        }
        if (!current.isEmpty()) {
            out.add(new Stretch(current.get(0).role(), start, end, current));
        }
        return out;
    }

    /**
     * Backchannels, judged a stretch of one party's spurts at a time: the other party spoke
     * (with words, or not transcribed yet) before it and keeps its turn (still speaking at its
     * end, or speaking again before this party's next stretch), and it is made only of tokens
     * within {@code backchannelTokenMaxMs}, or has no words within {@code backchannelMaxMs}.
     *
     * @param firstAfter the party that speaks first after these spurts, or null when not known:
     *                   then a last stretch that the other party says nothing after is undecided
     * @param decided    set when {@code firstAfter} decided a stretch
     * @return whether a party's last stretch would be a backchannel if the other party spoke
     *         first after these spurts: it is not one yet, and may become one
     */
    static boolean backchannels(List<Spurt> sorted, List<Spurt> voiced, Words byRole, MetricsConfig cfg, Seed seed,
            List<Backchannel> out, Set<Spurt> spurtsOut, Role firstAfter, boolean[] decided) {
        List<String[]> tokenWords = tokenWords(cfg);
        boolean open = false;
        for (Role role : Role.values()) {
            Timeline other = new Timeline(of(voiced, other(role)));
            List<Stretch> own = new ArrayList<>(stretches(of(voiced, role), cfg.continuationMs()));
            // a word-less spurt on its own (no speech with words of the same party within the
            // continuation) is judged like a response: "mm-hmm" heard as nothing or as "hmm"
            // must count the same
            List<Spurt> ownWithWords = of(voiced, role);
            Timeline ownVoiced = new Timeline(ownWithWords);
            // voiced holds some of sorted's spurts, in sorted's order: walked along with them
            int next = 0;
            for (Spurt s : of(sorted, role)) {
                boolean withWords = next < ownWithWords.size() && ownWithWords.get(next) == s;
                if (withWords) {
                    next++;
                }
                if (!withWords && ownVoiced.lastEndBefore(s.startMs()) <= s.startMs() - cfg.continuationMs()
                        && ownVoiced.firstStartAtOrAfter(s.endMs()) >= s.endMs() + cfg.continuationMs()) {
                    own.add(new Stretch(role, s.startMs(), s.endMs(), List.of(s)));
                }
            }
            own.sort(Comparator.comparingLong(Stretch::startMs));
            for (int k = 0; k < own.size(); k++) {
                Stretch l = own.get(k);
                long nextOwn = k + 1 < own.size() ? own.get(k + 1).startMs() : Long.MAX_VALUE;
                boolean spokeBefore = seed.voiced(other(role)) || other.firstStart() < l.startMs();
                boolean keepsTurn = other.covers(l.endMs()) || other.firstStartAtOrAfter(l.endMs()) < nextOwn;
                boolean undecided = !keepsTurn && nextOwn == Long.MAX_VALUE
                        && other.firstStartAtOrAfter(l.endMs()) == Long.MAX_VALUE;
                if (undecided && firstAfter != null) {
                    // the other party keeps its turn if it speaks first after this stretch
                    keepsTurn = firstAfter == other(role);
                    undecided = false;
                    decided[0] |= spokeBefore;
                }
                if (!spokeBefore || !keepsTurn && !undecided
                        || l.durationMs() > Math.max(cfg.backchannelTokenMaxMs(), cfg.backchannelMaxMs())) {
                    continue; // too long to be a backchannel, whatever its words
                }
                List<String> spoken = byRole.of(l.spurts());
                boolean tokens = !spoken.isEmpty() && onlyTokens(spoken, tokenWords)
                        && l.durationMs() <= cfg.backchannelTokenMaxMs();
                boolean wordless = spoken.isEmpty() && l.durationMs() <= cfg.backchannelMaxMs();
                if (undecided) {
                    open |= tokens || wordless;
                } else if (tokens || wordless) {
                    out.add(new Backchannel(role, l.startMs(), l.endMs(), byRole.text(role, l.startMs(), l.endMs())));
                    spurtsOut.addAll(l.spurts());
                }
            }
        }
        return open;
    }

    /**
     * Whether the words (lower-cased, as {@link Words} gives them), read in order, are made up
     * only of backchannel tokens (any sequence of them).
     */
    static boolean onlyTokens(List<String> spoken, MetricsConfig cfg) {
        return onlyTokens(spoken, tokenWords(cfg));
    }

    private static boolean onlyTokens(List<String> spoken, List<String[]> tokens) {
        if (spoken.isEmpty()) {
            return false;
        }
        boolean[] reachable = new boolean[spoken.size() + 1];
        reachable[0] = true;
        for (int i = 0; i < spoken.size(); i++) {
            if (!reachable[i]) {
                continue;
            }
            for (String[] parts : tokens) {
                if (i + parts.length <= spoken.size() && matches(spoken, i, parts)) {
                    reachable[i + parts.length] = true;
                }
            }
        }
        return reachable[spoken.size()];
    }

    private static final Pattern SPACES = Pattern.compile("\\s+");

    /**
     * The backchannel tokens as lower-case words, split once per analysis: splitting them for
     * every stretch that might be a backchannel cost more than the matching.
     */
    private static List<String[]> tokenWords(MetricsConfig cfg) {
        // split again only for another list of tokens: every running value of every call asks
        TokenWords known = lastTokenWords;
        if (known != null && known.tokens().equals(cfg.backchannelTokens())) {
            return known.words();
        }
        List<String> tokens = List.copyOf(cfg.backchannelTokens());
        List<String[]> out = new ArrayList<>(tokens.size());
        for (String t : tokens) {
            out.add(SPACES.split(t.toLowerCase(Locale.ROOT).trim()));
        }
        List<String[]> words = java.util.Collections.unmodifiableList(out);
        lastTokenWords = new TokenWords(tokens, words);
        return words;
    }

    /** Backchannel tokens and their words, as {@link #tokenWords} split them last; never changed once made. */
    private record TokenWords(List<String> tokens, List<String[]> words) {
    }

    private static volatile TokenWords lastTokenWords;

    private static boolean matches(List<String> spoken, int at, String[] parts) {
        for (int k = 0; k < parts.length; k++) {
            if (!parts[k].equals(spoken.get(at + k))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Interruptions and pause intrusions, at the onset of each claim stretch of the party not
     * holding the floor (see {@link Floor#bid}).
     */
    static void interruptions(Floor floor, Words byRole, MetricsConfig cfg, List<Interruption> out,
            List<PauseIntrusion> intrusions, List<Pending> pending) {
        for (Role by : Role.values()) {
            Role of = other(by);
            for (Stretch s : floor.stretches(by)) {
                long t = s.startMs();
                if (floor.holderBefore(t) != of) {
                    continue;
                }
                Bid bid = floor.bid(s, of);
                if (bid != null && bid.interruption()) {
                    long to = Math.min(s.endMs(), bid.theirEndMs());
                    out.add(new Interruption(by, of, t, bid.overlapMs(), bid.successful(),
                            byRole.text(by, t, to), byRole.text(of, t, to)));
                    continue;
                }
                long resume = floor.speech(of).firstStartAtOrAfter(t);
                if (by == Role.AGENT && !floor.speech(of).covers(t) && resume <= t + cfg.pauseIntrusionResumeWithinMs()) {
                    intrusions.add(new PauseIntrusion(floor.speech(of).lastEndAtOrBefore(t), t, resume));
                } else if (by == Role.AGENT && !floor.speech(of).covers(t) && resume == Long.MAX_VALUE) {
                    pending.add(new Pending(floor.speech(of).lastEndAtOrBefore(t), t));
                }
            }
        }
        out.sort(Comparator.comparingLong(Interruption::startMs));
        intrusions.sort(Comparator.comparingLong(PauseIntrusion::agentStartMs));
    }

    /**
     * How a stretch of one party meets the other party's speech at its onset, when the other
     * holds the floor: null when the other is neither speaking (for long enough) nor resuming
     * over it.
     *
     * @param interruption the overlap reached the minimum
     * @param theirEndMs   where the holder stopped: the end of its speech from the onset (or from
     *                     its resumption) on, across its own pauses shorter than {@code continuationMs}
     */
    record Bid(boolean interruption, long overlapMs, boolean successful, long theirEndMs) {
    }

    /**
     * The floor over the claim spurts (neither word-less nor backchannels): who holds it when,
     * as turns. Swept over the stretches where exactly one party has claim speech, so its cost
     * grows with the number of spurts, not with the length of the call.
     */
    static final class Floor {
        private final MetricsConfig cfg;
        private final Timeline agent;
        private final Timeline customer;
        private final List<Stretch> agentStretches;
        private final List<Stretch> customerStretches;
        private final List<Turn> turns = new ArrayList<>();
        /** Where the floor changed hands, ascending, and who took it there. */
        private final List<Long> changes = new ArrayList<>();
        private final List<Role> takers = new ArrayList<>();
        /** Who held the floor before these claims (the seed's holder). */
        private final Role firstHolder;
        /** Who holds the floor at the end, since when. */
        private Role holder;
        private long turnStart;

        Floor(List<Spurt> claims, MetricsConfig cfg, Seed seed) {
            this.cfg = cfg;
            List<Spurt> agentClaims = of(claims, Role.AGENT);
            List<Spurt> customerClaims = of(claims, Role.CUSTOMER);
            agent = new Timeline(agentClaims, seed.agentClaimEndMs());
            customer = new Timeline(customerClaims, seed.customerClaimEndMs());
            agentStretches = ConversationAnalysis.stretches(agentClaims, cfg.continuationMs());
            customerStretches = ConversationAnalysis.stretches(customerClaims, cfg.continuationMs());
            List<Spurt> alone = new ArrayList<>(minus(agent.merged, customer.merged));
            alone.addAll(minus(customer.merged, agent.merged));
            alone.sort(Comparator.comparingLong(Spurt::startMs));
            firstHolder = seed.holder();
            holder = seed.holder();
            turnStart = seed.turnStartMs();
            for (Spurt piece : alone) {
                Role taker = piece.role();
                long at = piece.startMs();
                if (taker == holder || piece.durationMs() == 0) {
                    continue;
                }
                Stretch taking = stretchCovering(taker, at);
                long start = firstStartFrom(taking, holder == null ? Long.MIN_VALUE : turnStart);
                if (holder != null) {
                    Bid bid = bid(taking, holder);
                    if (bid != null && bid.interruption() && at < bid.theirEndMs()) {
                        continue; // the holder has not stopped: a pause inside its turn, over the taker
                    }
                    turns.add(new Turn(holder, turnStart, speech(holder).lastEndAtOrBefore(at)));
                }
                turnStart = start;
                holder = taker;
                changes.add(at);
                takers.add(taker);
            }
            if (holder != null) {
                turns.add(new Turn(holder, turnStart, speech(holder).lastEndAtOrBefore(Long.MAX_VALUE)));
            }
        }

        /** How stretch {@code s} meets the speech of {@code holder} (see {@link Bid}). */
        Bid bid(Stretch s, Role holder) {
            long t = s.startMs();
            Timeline theirs = speech(holder);
            Spurt speaking = theirs.stretchCovering(t);
            long from;
            if (speaking != null) {
                if (speaking.startMs() > t - cfg.interruptionMinOnsetMs()) {
                    return null;
                }
                from = t;
            } else {
                long resume = theirs.firstStartAtOrAfter(t);
                long paused = resume == Long.MAX_VALUE ? Long.MAX_VALUE : resume - theirs.lastEndAtOrBefore(t);
                if (resume > t + cfg.pauseIntrusionResumeWithinMs() || resume >= s.endMs()
                        || paused >= cfg.continuationMs()) {
                    return null; // not resuming over the stretch, or not a pause inside its turn
                }
                from = resume;
            }
            List<Spurt> said = theirs.stretchFrom(from, cfg.continuationMs());
            long overlap = intersection(s.spurts(), said);
            long theirEnd = said.get(said.size() - 1).endMs();
            boolean successful = theirEnd <= t + cfg.interruptionSuccessWithinMs() && s.endMs() > theirEnd;
            return new Bid(overlap >= cfg.interruptionMinOverlapMs(), overlap, successful, theirEnd);
        }

        /**
         * Where a stretch taking the floor started within the turn it ends: its first spurt
         * starting at or after {@code turnStart} (what it said before belongs to its own earlier turn).
         */
        private static long firstStartFrom(Stretch taking, long turnStart) {
            for (Spurt s : taking.spurts()) {
                if (s.startMs() >= turnStart) {
                    return s.startMs();
                }
            }
            return turnStart;
        }

        /** Who held the floor just before {@code t}; null before anybody took it. */
        Role holderBefore(long t) {
            int lo = 0;
            int hi = changes.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (changes.get(mid) < t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo == 0 ? firstHolder : takers.get(lo - 1);
        }

        /** The end of {@code role}'s last claim speech, here or before; {@link #NO_END} if none. */
        long claimEnd(Role role) {
            return speech(role).lastEnd();
        }

        Timeline speech(Role role) {
            return role == Role.AGENT ? agent : customer;
        }

        List<Stretch> stretches(Role role) {
            return role == Role.AGENT ? agentStretches : customerStretches;
        }

        /** The stretch of {@code role} whose span covers {@code t}; null in its own silences. */
        Stretch stretchCovering(Role role, long t) {
            List<Stretch> list = stretches(role);
            int lo = 0;
            int hi = list.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (list.get(mid).startMs() <= t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo > 0 && list.get(lo - 1).endMs() > t ? list.get(lo - 1) : null;
        }
    }

    /**
     * One party's spurts sorted by start, and their merged stretches, for lookups by time in
     * logarithmic time: the running summaries of a long call ask these questions thousands
     * of times.
     */
    static final class Timeline {
        private final long[] starts;
        private final List<Spurt> merged;
        private final long[] mergedStarts;
        /** Where the party's speech before these spurts ended, or {@link #NO_END}. */
        private final long priorEnd;

        Timeline(List<Spurt> spurts) {
            this(spurts, NO_END);
        }

        Timeline(List<Spurt> spurts, long priorEnd) {
            List<Spurt> sorted = spurts;
            for (int i = 1; i < spurts.size(); i++) {
                if (spurts.get(i).startMs() < spurts.get(i - 1).startMs()) {
                    sorted = new ArrayList<>(spurts);
                    sorted.sort(Comparator.comparingLong(Spurt::startMs)); // stable, as the order of equal starts matters
                    break;
                }
            }
            this.starts = new long[sorted.size()];
            for (int i = 0; i < starts.length; i++) {
                starts[i] = sorted.get(i).startMs();
            }
            this.merged = union(sorted);
            this.mergedStarts = new long[merged.size()];
            for (int i = 0; i < mergedStarts.length; i++) {
                mergedStarts[i] = merged.get(i).startMs();
            }
            this.priorEnd = priorEnd;
        }

        /** The end of the party's last speech, here or before; {@link #NO_END} if none. */
        long lastEnd() {
            return merged.isEmpty() ? priorEnd : merged.get(merged.size() - 1).endMs();
        }

        long firstStart() {
            return starts.length == 0 ? Long.MAX_VALUE : starts[0];
        }

        /** The earliest spurt start at or after {@code t}, or {@code Long.MAX_VALUE}. */
        long firstStartAtOrAfter(long t) {
            int i = lowerBound(starts, t);
            return i < starts.length ? starts[i] : Long.MAX_VALUE;
        }

        /** The merged stretch covering {@code t}, or null. */
        Spurt stretchCovering(long t) {
            int i = lowerBound(mergedStarts, t + 1) - 1; // last stretch starting at or before t
            return i >= 0 && merged.get(i).covers(t) ? merged.get(i) : null;
        }

        boolean covers(long t) {
            return stretchCovering(t) != null;
        }

        /** The end of this party's last speech that started before {@code t}; {@code Long.MIN_VALUE} if none. */
        long lastEndBefore(long t) {
            int i = lowerBound(mergedStarts, t) - 1;
            return i >= 0 ? merged.get(i).endMs() : Long.MIN_VALUE;
        }

        /** The latest end of this party's speech that started before {@code t}; {@code t} itself if none. */
        long lastEndAtOrBefore(long t) {
            int i = lowerBound(mergedStarts, t) - 1; // last merged speech starting before t
            return i >= 0 ? merged.get(i).endMs() : priorEnd != NO_END ? priorEnd : t;
        }

        /**
         * This party's merged speech from the piece covering or starting at {@code t} on, while
         * its own silences stay under {@code continuationMs}: what it says before it stops.
         */
        List<Spurt> stretchFrom(long t, long continuationMs) {
            List<Spurt> out = new ArrayList<>();
            for (int i = Math.max(0, lowerBound(mergedStarts, t + 1) - 1); i < merged.size(); i++) {
                if (merged.get(i).endMs() <= t) {
                    continue;
                }
                if (!out.isEmpty() && merged.get(i).startMs() - out.get(out.size() - 1).endMs() >= continuationMs) {
                    break;
                }
                out.add(merged.get(i));
            }
            return out;
        }
    }

    /** Each party's words sorted by start: the words spoken within a span, and which spurts have none. */
    static final class Words {
        /** Longest word the lookup allows for; a recogniser's words are far shorter. */
        private static final long MAX_WORD_MS = 10_000;
        private final Party agent;
        private final Party customer;
        /** Whether each party has words in the call, here or in another part of it. */
        private final boolean agentInCall;
        private final boolean customerInCall;

        /**
         * One party's words in order of start: lower-cased once, with their times, and the
         * latest end among the words up to each one, so a lookup skips the words that end
         * before its span without reading them.
         */
        private static final class Party {
            final String[] words;
            final long[] starts;
            final long[] ends;
            final long[] maxEnds;

            Party(List<TimedWord> sorted) {
                int n = sorted.size();
                words = new String[n];
                starts = new long[n];
                ends = new long[n];
                maxEnds = new long[n];
                long max = Long.MIN_VALUE;
                for (int i = 0; i < n; i++) {
                    TimedWord w = sorted.get(i);
                    words[i] = w.word().toLowerCase(Locale.ROOT);
                    starts[i] = w.startMs();
                    ends[i] = w.endMs();
                    max = Math.max(max, w.endMs());
                    maxEnds[i] = max;
                }
            }

            /**
             * The first word that can overlap a span from {@code from}: none before it ends at or
             * after {@code from}, and none before it starts within {@link #MAX_WORD_MS} of it.
             */
            int firstFrom(long from) {
                return Math.max(lowerBound(starts, from - MAX_WORD_MS), lowerBound(maxEnds, from));
            }
        }

        Words(List<TimedWord> words) {
            this(words, hasWords(words, Role.AGENT), hasWords(words, Role.CUSTOMER));
        }

        Words(List<TimedWord> words, boolean agentInCall, boolean customerInCall) {
            this.agentInCall = agentInCall;
            this.customerInCall = customerInCall;
            Comparator<TimedWord> byStart = Comparator.comparingLong(TimedWord::startMs);
            List<TimedWord> a = new ArrayList<>();
            List<TimedWord> c = new ArrayList<>();
            for (TimedWord w : words) {
                (w.role() == Role.AGENT ? a : c).add(w);
            }
            a.sort(byStart);
            c.sort(byStart);
            agent = new Party(a);
            customer = new Party(c);
        }

        private Party party(Role role) {
            return role == Role.AGENT ? agent : customer;
        }

        /** The lower-cased words of {@code role} that overlap {@code [from, to)}, in order. */
        List<String> in(Role role, long from, long to) {
            Party p = party(role);
            List<String> out = new ArrayList<>();
            for (int i = p.firstFrom(from); i < p.starts.length && p.starts[i] < to; i++) {
                if (p.ends[i] > from) {
                    out.add(p.words[i]);
                }
            }
            return out;
        }

        String text(Role role, long from, long to) {
            return String.join(" ", in(role, from, to));
        }

        /**
         * The words said in these spurts (one party's, sorted), in order: a word belongs to the
         * spurt it starts in, or that holds at least half of it. A recogniser stretches a word's
         * end more than its start, so the last word of "okay got it" belongs to its spurt even
         * when it runs past the end, while a word spilling over into a neighbouring breath does
         * not give the breath words.
         */
        List<String> of(List<Spurt> spurts) {
            List<String> out = new ArrayList<>();
            for (Spurt s : spurts) {
                Party p = party(s.role());
                for (int i = p.firstFrom(s.startMs()); i < p.starts.length && p.starts[i] < s.endMs(); i++) {
                    if (belongs(p.starts[i], p.ends[i], s)) {
                        out.add(p.words[i]);
                    }
                }
            }
            return out;
        }

        /** Whether any word belongs to spurt {@code s} (see {@link #of}). */
        private boolean hasWord(Spurt s) {
            Party p = party(s.role());
            for (int i = p.firstFrom(s.startMs()); i < p.starts.length && p.starts[i] < s.endMs(); i++) {
                if (belongs(p.starts[i], p.ends[i], s)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Whether a word belongs to the spurt. A word that ends before the spurt starts never
         * does (it neither starts in it nor shares any of it), which is what lets a lookup start
         * at {@link Party#firstFrom}.
         */
        private static boolean belongs(long startMs, long endMs, Spurt s) {
            long length = endMs - startMs;
            long shared = Math.min(endMs, s.endMs()) - Math.max(startMs, s.startMs());
            return s.covers(startMs) || length > 0 && 2 * shared >= length;
        }

        /**
         * Whether the recogniser went over the spurt and found no word in it: the party has words,
         * and the transcript is complete or already holds a word starting at or after the spurt's end.
         */
        boolean wordless(Spurt s, boolean transcriptComplete) {
            long[] starts = party(s.role()).starts;
            if (!(s.role() == Role.AGENT ? agentInCall : customerInCall)) {
                return false;
            }
            boolean heard = transcriptComplete || starts.length > 0 && starts[starts.length - 1] >= s.endMs();
            return heard && !hasWord(s);
        }

    }

    /** The first index whose value is at least {@code key} (values sorted ascending). */
    private static int lowerBound(long[] values, long key) {
        int lo = 0;
        int hi = values.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The parts of {@code a} (merged, sorted) not covered by {@code b} (merged, sorted). */
    private static List<Spurt> minus(List<Spurt> a, List<Spurt> b) {
        List<Spurt> out = new ArrayList<>();
        int j = 0;
        for (Spurt s : a) {
            long from = s.startMs();
            while (j < b.size() && b.get(j).endMs() <= from) {
                j++;
            }
            int k = j;
            while (k < b.size() && b.get(k).startMs() < s.endMs()) {
                if (b.get(k).startMs() > from) {
                    out.add(new Spurt(s.role(), from, b.get(k).startMs()));
                }
                from = Math.max(from, b.get(k).endMs());
                k++;
            }
            if (from < s.endMs()) {
                out.add(new Spurt(s.role(), from, s.endMs()));
            }
        }
        return out;
    }

    /** The customer-to-agent turn changes, each with its response gap. */
    private static List<ResponseGap> responseGaps(List<Turn> turns, MetricsConfig cfg) {
        List<ResponseGap> gaps = new ArrayList<>();
        for (int i = 1; i < turns.size(); i++) {
            Turn before = turns.get(i - 1);
            Turn after = turns.get(i);
            if (before.role() == Role.CUSTOMER && after.role() == Role.AGENT) {
                long gap = after.startMs() - before.endMs();
                gaps.add(new ResponseGap(before.endMs(), after.startMs(), gap, gap >= cfg.pauseRespectMinGapMs()));
            }
        }
        return gaps;
    }

    /** Dead air among the spurts (sorted), after speech that ended at {@code speechEnd} (-1: none). */
    static List<Silence> deadAir(List<Spurt> sorted, MetricsConfig cfg, long speechEnd) {
        List<Silence> out = new ArrayList<>();
        for (Spurt s : sorted) {
            if (speechEnd >= 0 && s.startMs() - speechEnd >= cfg.deadAirMinMs()) {
                out.add(new Silence(speechEnd, s.startMs()));
            }
            speechEnd = Math.max(speechEnd, s.endMs());
        }
        return out;
    }

    private static boolean hasWords(List<TimedWord> words, Role role) {
        for (TimedWord w : words) {
            if (w.role() == role) {
                return true;
            }
        }
        return false;
    }

    private static Role other(Role role) {
        return role == Role.AGENT ? Role.CUSTOMER : Role.AGENT;
    }

    /** The spurts of {@code role}, in the order given (a list of its own, which no caller changes). */
    private static List<Spurt> of(List<Spurt> sorted, Role role) {
        List<Spurt> out = new ArrayList<>();
        for (Spurt s : sorted) {
            if (s.role() == role) {
                out.add(s);
            }
        }
        return out;
    }

    private static long total(List<Spurt> spurts) {
        long total = 0;
        for (Spurt s : union(spurts)) {
            total += s.durationMs();
        }
        return total;
    }

    /** Spurts of one role merged where they overlap, so no time counts twice. */
    private static List<Spurt> union(List<Spurt> spurts) {
        List<Spurt> out = new ArrayList<>();
        for (Spurt s : spurts) {
            if (!out.isEmpty() && s.startMs() <= out.get(out.size() - 1).endMs()) {
                Spurt last = out.remove(out.size() - 1);
                out.add(new Spurt(last.role(), last.startMs(), Math.max(last.endMs(), s.endMs())));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** Total time covered by both lists (each sorted by start). */
    static long intersection(List<Spurt> a, List<Spurt> b) {
        List<Spurt> ua = union(a);
        List<Spurt> ub = union(b);
        long total = 0;
        int i = 0;
        int j = 0;
        while (i < ua.size() && j < ub.size()) {
            long from = Math.max(ua.get(i).startMs(), ub.get(j).startMs());
            long to = Math.min(ua.get(i).endMs(), ub.get(j).endMs());
            total += Math.max(0, to - from);
            if (ua.get(i).endMs() < ub.get(j).endMs()) {
                i++;
            } else {
                j++;
            }
        }
        return total;
    }
}
