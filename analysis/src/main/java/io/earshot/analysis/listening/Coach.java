package io.earshot.analysis.listening;

import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.events.WordItem;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.ConversationEvents.Interruption;
import io.earshot.analysis.metrics.ConversationEvents.ResponseGap;
import io.earshot.analysis.metrics.ConversationEvents.Turn;
import io.earshot.analysis.metrics.Tally;
import io.earshot.analysis.metrics.SharedList;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Coaching notes of one call (docs/metrics.md, "Coaching"): the few most useful observations,
 * each in plain language addressed to the agent and pointing at the second of audio it comes
 * from. Gaps come first, most important first, then one strength (more when there are fewer
 * gaps), so an agent always hears what went well too.
 *
 * <p>Every note is derived from events already in the call's results (an interruption with its
 * words, a tone event, a behaviour with its text), so a supervisor can check it against the
 * timeline; none is a judgement the metrics do not show.
 */
public final class Coach {

    /** Words quoted from the transcript at most, so a note stays one line. */
    static final int QUOTE_WORDS = 8;

    /** An agent acknowledging a customer's raised voice within this counts as a response to it. */
    static final long ACKNOWLEDGE_WITHIN_MS = 30_000;

    /** A word that began this much before an onset (the detector and the recogniser disagree slightly) still counts from it. */
    static final long ONSET_SLACK_MS = 300;

    private Coach() {
    }

    /**
     * A note that may be given; its message is written only for the notes chosen, since a long
     * call has a candidate for every tone event of the agent. {@code made} is what its message is
     * made from besides its kind and moment (equal values give the same message), so a call's
     * next summary can reuse the note instead of writing it again ({@link Kept#notes}).
     */
    private record Candidate(int priority, boolean strength, String kind, long atMs, Object made,
            java.util.function.Supplier<String> message) {
        CoachingNote note() {
            return new CoachingNote(kind, atMs, message.get());
        }

        /** Whether this candidate's note is {@code note}, made from {@code made}. */
        boolean wrote(CoachingNote note, Object made) {
            return note.kind().equals(kind) && note.atMs() == atMs && made.equals(this.made);
        }
    }

    /**
     * The notes for a call (or the call so far).
     *
     * @param behaviours the call's behaviours in order of start, as {@link BehaviourDetector} gives them
     * @param isFinal  whether the call has ended: notes about something never done ("you asked no
     *                 open question") wait for the end
     * @param maxNotes at most this many notes
     */
    public static List<CoachingNote> notes(CallMetrics m, List<UtteranceItem> utterances, List<Behaviour> behaviours,
            ToneResult tone, ScoreConfig config, boolean isFinal, int maxNotes) {
        return notes(m, Tally.of(m), utterances, latestEnds(utterances, new long[0], 0), behaviours,
                tone, config, isFinal, maxNotes);
    }

    /**
     * The same, given the latest end among the utterances up to each one ({@link #latestEnds}),
     * so a quote looks only at the utterances that can reach its moment.
     */
    static List<CoachingNote> notes(CallMetrics m, Tally tally, List<UtteranceItem> utterances,
            long[] latestEnds, List<Behaviour> behaviours, ToneResult tone, ScoreConfig config, boolean isFinal,
            int maxNotes) {
        return notes(m, tally, utterances, latestEnds, behaviours, tone, config, isFinal, maxNotes, null);
    }

    /**
     * The same, reusing from {@code kept} (the call's, or null) what was read from the same lists
     * of behaviours and tone events at its earlier summaries.
     */
    static List<CoachingNote> notes(CallMetrics m, Tally tally, List<UtteranceItem> utterances,
            long[] latestEnds, List<Behaviour> behaviours, ToneResult tone, ScoreConfig config, boolean isFinal,
            int maxNotes, Kept kept) {
        List<Candidate> all = new ArrayList<>();
        Firsts agent = kept == null ? Firsts.of(behaviours) : kept.firsts(behaviours);
        boolean judged = m.durationMs() >= config.behavioursMinCallMs();

        interruption(tally, utterances, latestEnds, kept).ifPresent(all::add);
        Optional<Behaviour> firstFollowUp = agent.first(BehaviourKind.FOLLOW_UP);
        Optional<Behaviour> firstConfirmation = agent.firstConfirmation();
        if (firstFollowUp.isPresent()
                && (firstConfirmation.isEmpty() || firstConfirmation.get().startMs() > firstFollowUp.get().startMs())) {
            all.add(new Candidate(90, false, "no_confirmation", firstFollowUp.get().startMs(), firstFollowUp.get(),
                    () -> "At " + clock(firstFollowUp.get().startMs()) + " you committed to '"
                            + quote(firstFollowUp.get().text()) + "' without first confirming what the customer"
                            + " asked for: restate their request before you resolve it."));
        } else if (isFinal && judged && firstConfirmation.isEmpty()) {
            all.add(new Candidate(88, false, "no_confirmation", m.durationMs(), NOTHING,
                    () -> "You never confirmed what the customer asked for: restate it in your own words"
                            + " (\"so what you need is...\") before you resolve it."));
        }
        (kept == null ? customerVoice(tone.events(), behaviours) : kept.customerVoice(tone.events(), behaviours))
                .ifPresent(all::add);
        AgentTone agentTone = kept == null ? AgentTone.of(tone.events(), maxNotes)
                : kept.agentTone(tone.events(), maxNotes);
        for (ToneEvent e : agentTone.raised()) {
            all.add(new Candidate(80, false, "raised_voice", e.startMs(), e,
                    () -> "At " + clock(e.startMs()) + " your voice rose" + excess(e)
                            + " above your usual level for "
                            + seconds(e.endMs() - e.startMs()) + ": keep it calm, whatever the customer's tone."));
        }
        for (ToneEvent e : agentTone.flat()) {
            if (e.kind() == ToneKind.MONOTONE) {
                all.add(new Candidate(50, false, "monotone", e.startMs(), e,
                        () -> "From " + clock(e.startMs()) + " to " + clock(e.endMs())
                                + " your voice hardly changed pitch: vary your tone so you sound engaged."));
            } else {
                all.add(new Candidate(50, false, "fast_speech", e.startMs(), e,
                        () -> "At " + clock(e.startMs()) + " you spoke" + rate(e)
                                + ": slow down so the customer can follow."));
            }
        }
        pauses(m, tally).ifPresent(all::add);
        double share = m.agentTalkShare();
        double high = m.config().talkShareHigh();
        Optional<Turn> longest = Optional.ofNullable(tally.longestAgentTurn());
        if (judged && !Double.isNaN(share) && share > high) {
            all.add(new Candidate(60, false, "talk_share", longest.map(Turn::startMs).orElse(0L),
                    List.of(share, m.config().talkShareLow(), high),
                    () -> "You talked " + percent(share) + " of the time (target " + percent(m.config().talkShareLow())
                            + "-" + percent(high) + "): ask, then let the customer talk."));
        }
        if (longest.isPresent() && longest.get().durationMs() >= 60_000) {
            all.add(new Candidate(55, false, "monologue", longest.get().startMs(), longest.get(),
                    () -> "At " + clock(longest.get().startMs()) + " you spoke for "
                            + seconds(longest.get().durationMs())
                            + " without handing over: check in with the customer."));
        }
        Optional<Behaviour> open = agent.first(BehaviourKind.OPEN_QUESTION);
        if (isFinal && judged && open.isEmpty()) {
            all.add(new Candidate(40, false, "no_open_question", 0, NOTHING,
                    () -> "You asked no open question: invite the customer to explain (\"can you tell me what"
                            + " happened?\")."));
        }

        agent.first(BehaviourKind.PARAPHRASE).ifPresent(b -> all.add(strength(49, "good_paraphrase", b,
                "you checked your understanding")));
        open.ifPresent(b -> all.add(strength(48, "good_open_question", b, "you asked an open question")));
        agent.first(BehaviourKind.EMPATHY).ifPresent(b -> all.add(strength(47, "good_empathy", b,
                "you acknowledged how the customer felt")));
        agent.first(BehaviourKind.SUMMARY).ifPresent(b -> all.add(strength(46, "good_summary", b,
                "you summarised the call")));
        firstFollowUp.ifPresent(b -> all.add(strength(45, "good_follow_up", b, "you committed to a follow-up")));
        if (m.responseGaps().size() >= 3 && m.pauseRespectRate() >= 0.8) {
            ResponseGap g = m.responseGaps().get(0);
            all.add(new Candidate(44, true, "good_pause_respect", g.agentStartMs(), m.pauseRespectRate(),
                    () -> "Good: you let the customer finish before answering (" + percent(m.pauseRespectRate())
                            + " of your answers left a pause)."));
        }
        return choose(all, maxNotes, kept);
    }

    /** Higher priority first, then earlier. */
    private static final Comparator<Candidate> BY_PRIORITY = Comparator.comparingInt(Candidate::priority).reversed()
            .thenComparingLong(Candidate::atMs);

    /** What the message of a note made from its kind and moment alone is made from. */
    private static final Object NOTHING = List.of();

    private static List<CoachingNote> choose(List<Candidate> all, int maxNotes, Kept kept) {
        List<Candidate> gaps = best(all, false, maxNotes);
        List<Candidate> strengths = best(all, true, maxNotes);
        List<Candidate> chosen = new ArrayList<>(maxNotes);
        int gapSlots = strengths.isEmpty() ? maxNotes : maxNotes - 1;
        chosen.addAll(gaps.subList(0, Math.max(0, Math.min(gapSlots, gaps.size()))));
        chosen.addAll(strengths.subList(0, Math.max(0, Math.min(maxNotes - chosen.size(), strengths.size()))));
        if (kept != null) {
            return kept.notes(chosen);
        }
        List<CoachingNote> notes = new ArrayList<>(chosen.size());
        for (Candidate c : chosen) {
            notes.add(c.note());
        }
        return notes;
    }

    /**
     * The first {@code n} gaps (or strengths) by priority, then time, candidates alike in both
     * in the order given: what a stable sort would put first, without sorting them all.
     */
    private static List<Candidate> best(List<Candidate> all, boolean strength, int n) {
        List<Candidate> top = new ArrayList<>(n + 1);
        for (Candidate c : all) {
            if (c.strength() != strength) {
                continue;
            }
            int at = top.size();
            while (at > 0 && BY_PRIORITY.compare(top.get(at - 1), c) > 0) {
                at--;
            }
            if (at < n) {
                top.add(at, c);
                if (top.size() > n) {
                    top.remove(n);
                }
            }
        }
        return top;
    }

    private static Optional<Candidate> interruption(Tally tally, List<UtteranceItem> utterances, long[] latestEnds,
            Kept kept) {
        // the longest overlap, the earliest of equal ones
        Interruption worst = tally.worstAgentInterruption();
        long byAgent = tally.agentInterruptions();
        if (worst == null) {
            return Optional.empty();
        }
        String started = kept == null ? wordsFrom(utterances, latestEnds, Role.AGENT, worst.startMs()).words()
                : kept.quote(utterances, latestEnds, worst);
        if (started.isEmpty() && worst.byWords() != null) {
            started = worst.byWords();
        }
        String by = started;
        String of = worst.ofWords() == null ? "" : worst.ofWords(); // none and blank read alike
        Interruption at = worst;
        return Optional.of(new Candidate(100, false, "interruption", at.startMs(), List.of(by, of, byAgent), () -> {
            String said = by.isBlank() ? "speaking" : "'" + quote(by) + "'";
            String their = of.isBlank() ? "was still talking" : "was saying '" + quote(of) + "'";
            String more = byAgent > 1 ? " (" + byAgent + " interruptions in this call)" : "";
            return "At " + clock(at.startMs()) + " you started " + said + " while the customer " + their + more
                    + ": let them finish.";
        }));
    }

    private static Optional<Candidate> customerVoice(List<ToneEvent> tone, List<Behaviour> behaviours) {
        ToneEvent e = null;
        for (ToneEvent t : tone) {
            if (t.by() == Role.CUSTOMER && (t.kind() == ToneKind.RAISED_VOICE || t.kind() == ToneKind.AGITATION)) {
                e = t;
                break;
            }
        }
        if (e == null) {
            return Optional.empty();
        }
        ToneEvent raised = e;
        java.util.function.Supplier<String> what = () -> raised.kind() == ToneKind.RAISED_VOICE
                ? "the customer's voice rose" + excess(raised) : "the customer grew agitated";
        Optional<Behaviour> answer = Optional.empty();
        // the behaviours come in order of start: only those starting within the reach are read
        for (int i = firstStartingAtOrAfter(behaviours, e.startMs()); i < behaviours.size(); i++) {
            Behaviour b = behaviours.get(i);
            if (b.startMs() > e.endMs() + ACKNOWLEDGE_WITHIN_MS) {
                break;
            }
            if (b.by() == Role.AGENT && (b.kind() == BehaviourKind.EMPATHY || b.kind() == BehaviourKind.APOLOGY)) {
                answer = Optional.of(b);
                break;
            }
        }
        if (answer.isPresent()) {
            Behaviour b = answer.get();
            return Optional.of(new Candidate(47, true, "good_acknowledged_tone", b.startMs(), List.of(raised, b),
                    () -> "Good: at " + clock(raised.startMs()) + " " + what.get() + " and at "
                            + clock(b.startMs()) + " you acknowledged it ('" + quote(b.text()) + "')."));
        }
        return Optional.of(new Candidate(85, false, "customer_" + e.kind().label(), e.startMs(), raised,
                () -> "At " + clock(raised.startMs()) + " " + what.get()
                        + ": acknowledge how they feel before moving on."));
    }

    /** The place of the first of {@code sorted} (in order of start) starting at or after {@code ms}. */
    static int firstStartingAtOrAfter(List<Behaviour> sorted, long ms) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted.get(mid).startMs() < ms) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static Optional<Candidate> pauses(CallMetrics m, Tally tally) {
        List<ResponseGap> gaps = m.responseGaps();
        if (gaps.size() < 3 || m.pauseRespectRate() >= 0.5) {
            return Optional.empty();
        }
        // the shortest gap, the earliest answer of equal ones
        ResponseGap q = tally.quickestGap();
        long hurriedCount = gaps.size() - tally.respectedGaps();
        String when = q.gapMs() < 0 ? seconds(-q.gapMs()) + " before the customer stopped"
                : seconds(q.gapMs()) + " after the customer stopped";
        return Optional.of(new Candidate(70, false, "pause_respect", q.agentStartMs(),
                List.of(q, hurriedCount, gaps.size()),
                () -> "At " + clock(q.agentStartMs()) + " you answered " + when + "; " + hurriedCount + " of "
                        + gaps.size() + " answers left no pause: let the customer finish their thought."));
    }

    /**
     * What {@code role} said from {@code atMs} on: the words starting within a word's length of it
     * and after, up to {@link #QUOTE_WORDS}, so a note quotes the start of the interrupting
     * sentence rather than only the words under the overlap.
     */
    static Quoted wordsFrom(List<UtteranceItem> utterances, long[] latestEnds, Role role, long atMs) {
        // the utterances up to the last one whose latest end so far is before the moment all end before it
        int lo = 0;
        int hi = utterances.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (latestEnds[mid] < atMs) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = lo; i < utterances.size(); i++) {
            UtteranceItem u = utterances.get(i);
            if (out.size() > QUOTE_WORDS) {
                return new Quoted(String.join(" ", out), i); // no more words are taken
            }
            if (u.role() != role || u.endMs() < atMs) {
                continue;
            }
            for (WordItem w : u.words()) {
                if (w.endMs() > atMs && w.startMs() >= atMs - ONSET_SLACK_MS && out.size() < QUOTE_WORDS + 1) {
                    out.add(w.word());
                }
            }
        }
        return new Quoted(String.join(" ", out), -1);
    }

    /**
     * The words quoted, and how many leading utterances they were read from: {@code -1} when the
     * reading ran out of utterances before it had all it takes, so later ones may add to it.
     */
    record Quoted(String words, int readTo) {
    }

    /**
     * The latest end among the utterances up to each one, in the first {@code utterances.size()}
     * places, reusing {@code kept} (the same for an earlier list) up to {@code same} utterances,
     * the leading ones unchanged since: written into {@code kept} itself when it has room (a
     * call's utterances are not copied at every summary), else into a copy twice as long.
     */
    static long[] latestEnds(List<UtteranceItem> utterances, long[] kept, int same) {
        long[] ends = kept.length >= utterances.size() ? kept
                : java.util.Arrays.copyOf(kept, Math.max(utterances.size(), 2 * kept.length));
        for (int i = Math.min(same, kept.length); i < utterances.size(); i++) {
            long end = utterances.get(i).endMs();
            ends[i] = i == 0 ? end : Math.max(ends[i - 1], end);
        }
        return ends;
    }

    private static Candidate strength(int priority, String kind, Behaviour b, String what) {
        return new Candidate(priority, true, kind, b.startMs(), List.of(what, b),
                () -> "Good: at " + clock(b.startMs()) + " " + what + " ('" + quote(b.text()) + "').");
    }

    /**
     * The first of the agent's behaviours of each kind, in the order given, from one pass that
     * stops once every kind the notes ask for is found.
     */
    /**
     * The agent's first behaviour of each kind the notes ask about, read in order until each of
     * them is found.
     *
     * @param index   where each one is in the list read ({@code -1}: none)
     * @param stopped where the reading stopped, every kind asked about found; the list's size
     *                when it read them all
     */
    record Firsts(Behaviour[] byKind, int[] index, int stopped) {
        private static final List<BehaviourKind> ASKED = List.of(BehaviourKind.FOLLOW_UP, BehaviourKind.PARAPHRASE,
                BehaviourKind.SUMMARY, BehaviourKind.OPEN_QUESTION, BehaviourKind.EMPATHY);

        static Firsts of(List<Behaviour> behaviours) {
            int[] index = new int[BehaviourKind.values().length];
            java.util.Arrays.fill(index, -1);
            return read(behaviours, 0, new Behaviour[index.length], index);
        }

        /**
         * The firsts of {@code behaviours}, whose first {@code same} items are those of the list
         * these were read from: the same when the reading stopped inside them; otherwise what was
         * found in them, and the rest read from there.
         */
        Firsts continued(List<Behaviour> behaviours, int same) {
            if (stopped < same) {
                return this;
            }
            Behaviour[] kinds = byKind.clone();
            int[] at = index.clone();
            for (int k = 0; k < at.length; k++) {
                if (at[k] >= same) {
                    kinds[k] = null;
                    at[k] = -1;
                }
            }
            return read(behaviours, same, kinds, at);
        }

        private static Firsts read(List<Behaviour> behaviours, int from, Behaviour[] byKind, int[] index) {
            int missing = 0;
            for (BehaviourKind k : ASKED) {
                missing += byKind[k.ordinal()] == null ? 1 : 0;
            }
            for (int i = from; i < behaviours.size(); i++) {
                Behaviour b = behaviours.get(i);
                if (b.by() != Role.AGENT || byKind[b.kind().ordinal()] != null) {
                    continue;
                }
                byKind[b.kind().ordinal()] = b;
                index[b.kind().ordinal()] = i;
                if (ASKED.contains(b.kind()) && --missing == 0) {
                    return new Firsts(byKind, index, i);
                }
            }
            return new Firsts(byKind, index, behaviours.size());
        }

        Optional<Behaviour> first(BehaviourKind kind) {
            return Optional.ofNullable(byKind[kind.ordinal()]);
        }

        /** The first paraphrase or summary. */
        Optional<Behaviour> firstConfirmation() {
            int p = index[BehaviourKind.PARAPHRASE.ordinal()];
            int s = index[BehaviourKind.SUMMARY.ordinal()];
            if (p < 0 && s < 0) {
                return Optional.empty();
            }
            return Optional.of(s < 0 || (p >= 0 && p < s) ? byKind[BehaviourKind.PARAPHRASE.ordinal()]
                    : byKind[BehaviourKind.SUMMARY.ordinal()]);
        }
    }

    /**
     * The agent's earliest raised-voice events, and the earliest monotone and fast-speech ones,
     * at most {@code n} of each: of the agent's tone events only the earliest few of each
     * priority can be chosen, and a long call has one for every stretch of raised voice,
     * monotone or fast speech.
     */
    private record AgentTone(List<ToneEvent> raised, List<ToneEvent> flat) {
        static AgentTone of(List<ToneEvent> events, int n) {
            List<ToneEvent> raised = new ArrayList<>(n + 1);
            List<ToneEvent> flat = new ArrayList<>(n + 1);
            for (ToneEvent e : events) {
                if (e.by() != Role.AGENT) {
                    continue;
                }
                switch (e.kind()) {
                    case RAISED_VOICE -> earliest(raised, e, n);
                    case MONOTONE, FAST_SPEECH -> earliest(flat, e, n);
                    default -> {
                    }
                }
            }
            return new AgentTone(raised, flat);
        }
    }

    /**
     * What one call's notes read from its lists of behaviours and tone events, kept with the
     * lists they were read from: a call's summaries hand on the same list objects while nothing
     * new is found in them (the behaviours and tone memos keep them), so a later summary with the
     * same list reads nothing again, and one with another list reads it whole, but for the
     * agent's first behaviours, read on from where the two lists part. The notes are the ones
     * the lists give either way. Not thread-safe: one per call.
     */
    static final class Kept {
        private List<Behaviour> firstsOf;
        private Firsts firsts;
        private List<ToneEvent> voiceTone;
        private List<Behaviour> voiceBehaviours;
        private Optional<Candidate> voice;
        private List<ToneEvent> agentToneOf;
        private int agentToneMax;
        private AgentTone agentTone;
        /** The notes of the last summary, and what each was made from ({@link Candidate#made}). */
        private List<CoachingNote> notesMade = List.of();
        private List<Object> madeFrom = List.of();

        /**
         * The notes of these candidates: a note of the last summary made from the same kind,
         * moment and values as it is, else written. A long call's notes mostly stay the same
         * from one summary to the next.
         */
        List<CoachingNote> notes(List<Candidate> chosen) {
            List<CoachingNote> notes = new ArrayList<>(chosen.size());
            List<Object> made = new ArrayList<>(chosen.size());
            for (Candidate c : chosen) {
                CoachingNote note = null;
                for (int i = 0; i < notesMade.size() && note == null; i++) {
                    if (c.wrote(notesMade.get(i), madeFrom.get(i))) {
                        note = notesMade.get(i);
                    }
                }
                notes.add(note != null ? note : c.note());
                made.add(c.made());
            }
            notesMade = List.copyOf(notes); // the caller's list may change
            madeFrom = made;
            return notes;
        }

        /** The interruption last quoted, and what of it ({@link #quote}); null once it may have changed. */
        private Interruption quotedAt;
        private Quoted quoted;

        /**
         * Told, before each summary's notes, how many leading utterances are the ones of the
         * summary before: the quote kept is dropped when any it was read from changed, or when
         * it was not whole (new utterances may add to it).
         */
        void utterancesKept(int same) {
            if (quoted != null && (quoted.readTo() < 0 || same < quoted.readTo())) {
                quoted = null;
            }
        }

        /**
         * The agent's words from the worst interruption on ({@link #wordsFrom}), quoted again only
         * when the interruption is another one, or when the utterances read for it changed or
         * ended before the quote was whole: the worst interruption of a long call lies mostly far
         * back, and lasts for many summaries.
         */
        String quote(List<UtteranceItem> utterances, long[] latestEnds, Interruption worst) {
            if (quoted == null || !worst.equals(quotedAt)) {
                quoted = wordsFrom(utterances, latestEnds, Role.AGENT, worst.startMs());
                quotedAt = worst;
            }
            return quoted.words();
        }

        /** The last quote taken (for the tests: whether the next one is kept). */
        Quoted lastQuoted() {
            return quoted;
        }

        Firsts firsts(List<Behaviour> behaviours) {
            if (behaviours != firstsOf) {
                // a summary's list shares its leading items with the one before: read on from there
                firsts = firstsOf == null ? Firsts.of(behaviours)
                        : firsts.continued(behaviours, SharedList.commonPrefix(firstsOf, behaviours));
                firstsOf = behaviours;
            }
            return firsts;
        }

        Optional<Candidate> customerVoice(List<ToneEvent> tone, List<Behaviour> behaviours) {
            if (tone != voiceTone || behaviours != voiceBehaviours) {
                voice = Coach.customerVoice(tone, behaviours);
                voiceTone = tone;
                voiceBehaviours = behaviours;
            }
            return voice;
        }

        AgentTone agentTone(List<ToneEvent> tone, int n) {
            if (tone != agentToneOf || n != agentToneMax) {
                agentTone = AgentTone.of(tone, n);
                agentToneOf = tone;
                agentToneMax = n;
            }
            return agentTone;
        }
    }

    /**
     * Puts {@code e} among the {@code n} earliest events in {@code top} (sorted by start, equal
     * starts in the order given), as {@link #best} would rank their notes.
     */
    private static void earliest(List<ToneEvent> top, ToneEvent e, int n) {
        int at = top.size();
        while (at > 0 && top.get(at - 1).startMs() > e.startMs()) {
            at--;
        }
        if (at < n) {
            top.add(at, e);
            if (top.size() > n) {
                top.remove(n);
            }
        }
    }

    private static String excess(ToneEvent e) {
        Double db = e.values().get("excessDb");
        return db == null ? "" : " " + whole(db) + " dB";
    }

    private static String rate(ToneEvent e) {
        Double wpm = e.values().get("wordsPerMinute");
        return wpm == null ? " fast" : " at " + whole(wpm) + " words per minute";
    }

    /**
     * {@code value} as {@code %.0f} writes it. The values are rounded to hundredths when
     * measured, and those are written without the formatter: a note is written for every running
     * value.
     */
    static String whole(double value) {
        double cents = Math.rint(value * 100);
        if (Math.abs(cents) < 1e15 && cents / 100 == value) {
            // half away from zero, as the formatter rounds the value's shortest decimal
            long c = (long) Math.abs(cents);
            long units = (c + 50) / 100;
            boolean negative = value < 0 || value == 0 && 1 / value < 0;
            return negative ? "-" + units : Long.toString(units);
        }
        return String.format(Locale.ROOT, "%.0f", value);
    }

    /** A media position as a clock: 0:05, 12:40, 1:02:03. */
    public static String clock(long ms) {
        long s = Math.max(0, ms) / 1000;
        StringBuilder out = new StringBuilder();
        if (s >= 3600) {
            out.append(s / 3600).append(':');
            twoDigits(out, s / 60 % 60);
        } else {
            out.append(s / 60);
        }
        out.append(':');
        twoDigits(out, s % 60);
        return out.toString();
    }

    private static void twoDigits(StringBuilder out, long n) {
        out.append(n < 10 ? "0" : "").append(n);
    }

    static String seconds(long ms) {
        if (ms >= 10_000) {
            return (ms + 500) / 1000 + " s";
        }
        if (ms < 0) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long tenths = (ms + 50) / 100; // half up, as the formatter rounds
        return tenths / 10 + "." + tenths % 10 + " s";
    }

    private static String percent(double share) {
        return Math.round(share * 100) + "%";
    }

    /**
     * The text's first {@link #QUOTE_WORDS} words (runs of characters between whitespace, as
     * {@code \s+} splits them) joined by one space with "..." after, or the trimmed text when it
     * has no more words than that. Read word by word up to the one after the last quoted: every
     * running value quotes the call's worst interruption.
     */
    static String quote(String text) {
        String trimmed = text.trim();
        int[] starts = new int[QUOTE_WORDS];
        int[] ends = new int[QUOTE_WORDS];
        int words = 0;
        int i = 0;
        int n = trimmed.length();
        while (i < n) {
            while (i < n && isSpace(trimmed.charAt(i))) {
                i++;
            }
            if (i == n) {
                break;
            }
            if (words == QUOTE_WORDS) {
                // a word after the last quoted one: the quote is cut
                StringBuilder out = new StringBuilder();
                for (int w = 0; w < QUOTE_WORDS; w++) {
                    out.append(w == 0 ? "" : " ").append(trimmed, starts[w], ends[w]);
                }
                return out.append("...").toString();
            }
            starts[words] = i;
            while (i < n && !isSpace(trimmed.charAt(i))) {
                i++;
            }
            ends[words++] = i;
        }
        return trimmed;
    }

    /** The characters {@code \s} matches. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }
}
