package io.earshot.jobs.metrics;

import io.earshot.jobs.metrics.ConversationEvents.Backchannel;
import io.earshot.jobs.metrics.ConversationEvents.Interruption;
import io.earshot.jobs.metrics.ConversationEvents.PauseIntrusion;
import io.earshot.jobs.metrics.ConversationEvents.ResponseGap;
import io.earshot.jobs.metrics.ConversationEvents.Silence;
import io.earshot.jobs.metrics.ConversationEvents.Turn;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The metric math of METRICS.md over one call's talk spurts and words: pure functions, no
 * Flink, so the operator that keeps a call's state and the tests share one definition.
 *
 * <p>Where METRICS.md leaves room, the choices are:
 * <ul>
 *   <li>Backchannel: "the speaker keeps talking afterwards" means the other party is still
 *       speaking at the backchannel's end, or speaks again before the listener's next spurt;
 *       and the other party must have spoken before it.</li>
 *   <li>Turns are floor holding: scanning 20 ms frames, the floor passes to a party at the
 *       first frame where it has non-backchannel speech and the other has none. So an
 *       unsuccessful interruption (the interrupted party outlasts it) is not a transfer, and a
 *       successful one gives a negative response gap.</li>
 *   <li>Silence is counted over the whole call; dead air only between the first and last spurt,
 *       since leading and trailing silence of a recording is not a conversational pause.</li>
 * </ul>
 */
public final class ConversationAnalysis {

    /** Resolution of the floor-holding scan; spurts from ingest sit on this grid. */
    static final long FLOOR_STEP_MS = 20;

    private ConversationAnalysis() {
    }

    /** Computes every metric of a call from its spurts and recognised words. */
    public static CallMetrics analyze(long durationMs, List<Spurt> spurts, List<TimedWord> words, MetricsConfig cfg) {
        List<Spurt> sorted = spurts.stream().sorted(Comparator.comparingLong(Spurt::startMs)).toList();
        List<Spurt> agent = of(sorted, Role.AGENT);
        List<Spurt> customer = of(sorted, Role.CUSTOMER);
        long agentTalk = total(agent);
        long customerTalk = total(customer);
        long overlap = intersection(agent, customer);
        long speech = agentTalk + customerTalk - overlap;

        Words byRole = new Words(words);
        Set<Spurt> backchannelSpurts = backchannels(sorted, byRole, cfg);
        List<Backchannel> backchannels = sorted.stream().filter(backchannelSpurts::contains)
                .map(s -> new Backchannel(s.role(), s.startMs(), s.endMs(), byRole.text(s.role(), s.startMs(), s.endMs())))
                .toList();
        List<Spurt> claims = sorted.stream().filter(s -> !backchannelSpurts.contains(s)).toList();
        List<Interruption> interruptions = interruptions(claims, byRole, cfg);
        List<Turn> turns = turns(claims, durationMs);
        List<ResponseGap> gaps = new ArrayList<>();
        List<PauseIntrusion> intrusions = new ArrayList<>();
        transfers(turns, claims, cfg, gaps, intrusions);

        long agentInterruptions = interruptions.stream().filter(i -> i.by() == Role.AGENT).count();
        return new CallMetrics(durationMs, agentTalk, customerTalk, overlap, Math.max(0, durationMs - speech),
                agentTalk + customerTalk == 0 ? Double.NaN : (double) agentTalk / (agentTalk + customerTalk),
                interruptions, backchannels, gaps, intrusions, deadAir(sorted, cfg), turns,
                gaps.isEmpty() ? Double.NaN : gaps.stream().filter(ResponseGap::respected).count() / (double) gaps.size(),
                gaps.stream().mapToLong(ResponseGap::gapMs).average().orElse(Double.NaN),
                durationMs == 0 ? 0 : agentInterruptions * 600_000.0 / durationMs,
                longest(turns, Role.AGENT), longest(turns, Role.CUSTOMER), cfg);
    }

    static Set<Spurt> backchannels(List<Spurt> sorted, Words byRole, MetricsConfig cfg) {
        Timeline agent = new Timeline(of(sorted, Role.AGENT));
        Timeline customer = new Timeline(of(sorted, Role.CUSTOMER));
        Set<Spurt> out = new HashSet<>();
        for (Spurt s : sorted) {
            boolean short_ = s.durationMs() <= cfg.backchannelMaxMs();
            if (!short_ && !onlyTokens(byRole.in(s.role(), s.startMs(), s.endMs()), cfg)) {
                continue;
            }
            Timeline own = s.role() == Role.AGENT ? agent : customer;
            Timeline other = s.role() == Role.AGENT ? customer : agent;
            boolean spokeBefore = other.firstStart() < s.startMs();
            long nextOwn = own.firstStartAtOrAfter(s.endMs());
            boolean keepsTalking = other.covers(s.endMs()) || other.firstStartAtOrAfter(s.endMs()) < nextOwn;
            if (spokeBefore && keepsTalking) {
                out.add(s);
            }
        }
        return out;
    }

    /** Whether the words, read in order, are made up only of backchannel tokens. */
    static boolean onlyTokens(List<String> spoken, MetricsConfig cfg) {
        if (spoken.isEmpty()) {
            return false;
        }
        int i = 0;
        outer:
        while (i < spoken.size()) {
            for (String token : cfg.backchannelTokens()) {
                String[] parts = token.split(" ");
                if (i + parts.length <= spoken.size()) {
                    boolean match = true;
                    for (int k = 0; k < parts.length; k++) {
                        match &= parts[k].equals(spoken.get(i + k));
                    }
                    if (match) {
                        i += parts.length;
                        continue outer;
                    }
                }
            }
            return false;
        }
        return true;
    }

    /**
     * The interrupted party is judged by its speech as a whole (its non-backchannel spurts
     * merged where they touch or overlap), as METRICS.md words it: began 300 ms before, the
     * overlap lasts, stops within 2 s.
     */
    static List<Interruption> interruptions(List<Spurt> claims, Words byRole, MetricsConfig cfg) {
        Timeline agent = new Timeline(of(claims, Role.AGENT));
        Timeline customer = new Timeline(of(claims, Role.CUSTOMER));
        List<Interruption> out = new ArrayList<>();
        for (Spurt x : claims) {
            // the interrupted party's merged speech covering the onset (at most one stretch does)
            Spurt y = (x.role() == Role.AGENT ? customer : agent).stretchCovering(x.startMs());
            if (y == null || y.startMs() > x.startMs() - cfg.interruptionMinOnsetMs()) {
                continue;
            }
            long overlapEnd = Math.min(x.endMs(), y.endMs());
            long overlap = overlapEnd - x.startMs();
            if (overlap < cfg.interruptionMinOverlapMs()) {
                continue;
            }
            boolean successful = y.endMs() <= x.startMs() + cfg.interruptionSuccessWithinMs() && x.endMs() > y.endMs();
            out.add(new Interruption(x.role(), y.role(), x.startMs(), overlap, successful,
                    byRole.text(x.role(), x.startMs(), overlapEnd), byRole.text(y.role(), x.startMs(), overlapEnd)));
        }
        return out;
    }

    /**
     * One party's spurts sorted by start, and their merged stretches, for lookups by time in
     * logarithmic time: the running summaries of a long call ask these questions thousands
     * of times.
     */
    private static final class Timeline {
        private final long[] starts;
        private final List<Spurt> merged;
        private final long[] mergedStarts;

        Timeline(List<Spurt> spurts) {
            List<Spurt> sorted = spurts.stream().sorted(Comparator.comparingLong(Spurt::startMs)).toList();
            this.starts = sorted.stream().mapToLong(Spurt::startMs).toArray();
            this.merged = union(sorted);
            this.mergedStarts = merged.stream().mapToLong(Spurt::startMs).toArray();
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
    }

    /** Each party's words sorted by start, for the words spoken within a span. */
    private static final class Words {
        /** Longest word the lookup allows for; a recogniser's words are far shorter. */
        private static final long MAX_WORD_MS = 10_000;
        private final List<TimedWord> agent;
        private final List<TimedWord> customer;
        private final long[] agentStarts;
        private final long[] customerStarts;

        Words(List<TimedWord> words) {
            Comparator<TimedWord> byStart = Comparator.comparingLong(TimedWord::startMs);
            agent = words.stream().filter(w -> w.role() == Role.AGENT).sorted(byStart).toList();
            customer = words.stream().filter(w -> w.role() == Role.CUSTOMER).sorted(byStart).toList();
            agentStarts = agent.stream().mapToLong(TimedWord::startMs).toArray();
            customerStarts = customer.stream().mapToLong(TimedWord::startMs).toArray();
        }

        /** The lower-cased words of {@code role} that overlap {@code [from, to)}, in order. */
        List<String> in(Role role, long from, long to) {
            List<TimedWord> list = role == Role.AGENT ? agent : customer;
            long[] starts = role == Role.AGENT ? agentStarts : customerStarts;
            List<String> out = new ArrayList<>();
            for (int i = lowerBound(starts, from - MAX_WORD_MS); i < list.size() && list.get(i).startMs() < to; i++) {
                TimedWord w = list.get(i);
                if (w.endMs() > from) {
                    out.add(w.word().toLowerCase(Locale.ROOT));
                }
            }
            return out;
        }

        String text(Role role, long from, long to) {
            return String.join(" ", in(role, from, to));
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

    /**
     * Floor holding on the 20 ms grid (see the class comment), computed as a sweep over the
     * stretches where exactly one party has non-backchannel speech, so its cost grows with
     * the number of spurts, not with the length of the call.
     */
    static List<Turn> turns(List<Spurt> claims, long durationMs) {
        List<Spurt> agent = union(of(claims, Role.AGENT));
        List<Spurt> customer = union(of(claims, Role.CUSTOMER));
        List<Spurt> alone = new ArrayList<>(minus(agent, customer));
        alone.addAll(minus(customer, agent));
        alone.sort(Comparator.comparingLong(Spurt::startMs));
        List<Turn> turns = new ArrayList<>();
        Role holder = null;
        long turnStart = 0;
        for (Spurt stretch : alone) {
            // the first grid frame inside the stretch, as the frame scan would see it
            long t = (stretch.startMs() + FLOOR_STEP_MS - 1) / FLOOR_STEP_MS * FLOOR_STEP_MS;
            if (t >= stretch.endMs() || t >= durationMs || stretch.role() == holder) {
                continue;
            }
            long at = t;
            Spurt taking = claims.stream().filter(s -> s.role() == stretch.role() && s.covers(at)).findFirst().orElseThrow();
            if (holder != null) {
                turns.add(new Turn(holder, turnStart, lastEndBefore(claims, holder, at)));
            }
            holder = stretch.role();
            turnStart = taking.startMs();
        }
        if (holder != null) {
            turns.add(new Turn(holder, turnStart, lastEndBefore(claims, holder, Long.MAX_VALUE)));
        }
        return turns;
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

    private static long lastEndBefore(List<Spurt> claims, Role role, long t) {
        return claims.stream().filter(s -> s.role() == role && s.startMs() < t).mapToLong(Spurt::endMs).max().orElse(t);
    }

    private static void transfers(List<Turn> turns, List<Spurt> claims, MetricsConfig cfg, List<ResponseGap> gaps,
            List<PauseIntrusion> intrusions) {
        for (int i = 1; i < turns.size(); i++) {
            Turn before = turns.get(i - 1);
            Turn after = turns.get(i);
            if (before.role() != Role.CUSTOMER || after.role() != Role.AGENT) {
                continue;
            }
            long gap = after.startMs() - before.endMs();
            gaps.add(new ResponseGap(before.endMs(), after.startMs(), gap, gap >= cfg.pauseRespectMinGapMs()));
            if (gap >= 0) {
                claims.stream().filter(s -> s.role() == Role.CUSTOMER && s.startMs() > after.startMs()
                                && s.startMs() <= after.startMs() + cfg.pauseIntrusionResumeWithinMs())
                        .findFirst()
                        .ifPresent(r -> intrusions.add(new PauseIntrusion(before.endMs(), after.startMs(), r.startMs())));
            }
        }
    }

    static List<Silence> deadAir(List<Spurt> sorted, MetricsConfig cfg) {
        List<Silence> out = new ArrayList<>();
        long speechEnd = -1;
        for (Spurt s : sorted) {
            if (speechEnd >= 0 && s.startMs() - speechEnd >= cfg.deadAirMinMs()) {
                out.add(new Silence(speechEnd, s.startMs()));
            }
            speechEnd = Math.max(speechEnd, s.endMs());
        }
        return out;
    }

    private static long longest(List<Turn> turns, Role role) {
        return turns.stream().filter(t -> t.role() == role).mapToLong(Turn::durationMs).max().orElse(0);
    }

    private static List<Spurt> of(List<Spurt> sorted, Role role) {
        return sorted.stream().filter(s -> s.role() == role).toList();
    }

    private static long total(List<Spurt> spurts) {
        return union(spurts).stream().mapToLong(Spurt::durationMs).sum();
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
