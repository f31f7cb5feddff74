package io.earshot.analysis.evaluation.corpus;

import io.earshot.analysis.evaluation.corpus.CallScript.Phrase;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedLine;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedNoise;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedPhrase;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Checks a realized call against the turn-taking rules' thresholds, so that the script's
 * intent is the only reading of every event: each comparison the rules make about a scripted
 * event must come out the intended way with at least {@code marginMs} to spare, and nothing
 * unscripted may happen (no stray interruption, backchannel or floor transfer).
 *
 * <p>Where the spurt rule could go either way (a pause near the 250 ms that splits spurts), the
 * checks take the reading that is harder on the intent: onsets are aged from the nearest phrase
 * start, overlaps that must be long count phrases only, overlaps that must be short count
 * merged spurts, and a listener's speech is widened by the margin before asking whether it
 * falls in the holder's pause. A listener speaking in the holder's pause needs a pause clearly
 * shorter than the stretch gap: whether a longer silence is still "a pause of the holder's turn"
 * is a reading the rules leave open, so the corpus keeps out of it.
 */
final class MarginCheck {

    /** The rules' defaults, stated here as the specification gives them. */
    static final long SPURT_BRIDGE_MS = 250;
    static final long MIN_SPURT_MS = 120;
    static final long CONTINUATION_MS = 1000;
    static final long MIN_ONSET_MS = 300;
    static final long MIN_OVERLAP_MS = 600;
    static final long SUCCESS_WITHIN_MS = 2000;
    static final long RESUME_WITHIN_MS = 1500;
    static final long TOKEN_MAX_MS = 2000;

    private final List<RealizedLine> lines;
    private final List<RealizedNoise> noises;
    private final long m;
    private final List<RealizedLine> floor;
    private long[] transfer;

    MarginCheck(List<RealizedLine> lines, List<RealizedNoise> noises, long marginMs) {
        this.lines = lines;
        this.noises = noises;
        this.m = marginMs;
        this.floor = lines.stream().filter(l -> l.kind().takesFloor()).toList();
    }

    void run() {
        lines.forEach(this::shape);
        opening();
        separation();
        noiseIsolation();
        spurtLengths();
        floorTransfers();
        holdingPeriods();
        onsets();
        backchannels();
    }

    /** Pauses clear of the stretch gap; listener lines one stretch; tokens only in backchannels. */
    private void shape(RealizedLine l) {
        List<Phrase> kept = l.line().kept();
        for (int i = 0; i + 1 < kept.size(); i++) {
            long pause = kept.get(i).pauseAfterMs();
            if (Math.abs(pause - CONTINUATION_MS) < m) {
                fail(l.id(), "pause of %d ms after phrase %d is within %d ms of the %d ms that ends a stretch", pause, i, m,
                        CONTINUATION_MS);
            }
            if (!l.kind().takesFloor() && pause >= CONTINUATION_MS) {
                fail(l.id(), "a listener's line must be one stretch, but pauses %d ms after phrase %d", pause, i);
            }
        }
        if (l.kind().backchannel()) {
            if (!Tokens.onlyTokens(words(l.phrases()))) {
                fail(l.id(), "backchannel '%s' has a word that is not a token", l.line().text());
            }
            return;
        }
        for (List<RealizedPhrase> stretch : stretches(l)) {
            if (Tokens.onlyTokens(words(stretch))) {
                fail(l.id(), "stretch '%s' has only backchannel tokens, so it could read as a backchannel",
                        String.join(" ", words(stretch)));
            }
        }
    }

    private void opening() {
        RealizedLine first = lines.get(0);
        if (first.kind() != LineKind.OPENING) {
            fail(first.id(), "the first line of a script must be its opening");
        }
        for (RealizedLine l : lines.subList(1, lines.size())) {
            if (l.kind() == LineKind.OPENING) {
                fail(l.id(), "a second opening");
            }
            if (l.startMs() < first.startMs() + m) {
                fail(l.id(), "starts at %d ms, not clearly after the opening at %d ms", l.startMs(), first.startMs());
            }
        }
    }

    /** Each line is its own stretch: a second or more (plus the margin) from the same party's other lines. */
    private void separation() {
        for (Role role : Role.values()) {
            List<RealizedLine> own = byStart(role);
            for (int i = 1; i < own.size(); i++) {
                long gap = own.get(i).startMs() - own.get(i - 1).endMs();
                if (gap < CONTINUATION_MS + m) {
                    fail(own.get(i).id(), "starts %d ms after the same party's line %s ends; lines need %d ms apart", gap,
                            own.get(i - 1).id(), CONTINUATION_MS + m);
                }
            }
        }
    }

    /**
     * A noise stays a spurt of its own, so it stays word-less; and whether it is a backchannel
     * (see {@link #listenerNoise}) is clear: it is either near its party's own speech with
     * words (within the continuation: then it is nothing), or far from it and well inside a
     * phrase of the other party (a backchannel).
     */
    private void noiseIsolation() {
        for (RealizedNoise n : noises) {
            long nearest = Long.MAX_VALUE;
            for (RealizedLine l : lines) {
                if (l.role() != n.role()) {
                    continue;
                }
                for (RealizedPhrase p : l.phrases()) {
                    long gap = p.span().gapTo(n.span());
                    if (gap < SPURT_BRIDGE_MS + m) {
                        fail(n.noise().id(), "is %d ms from phrase %d of %s; it would join that spurt", gap, p.index(), l.id());
                    }
                    nearest = Math.min(nearest, gap);
                }
            }
            if (Math.abs(nearest - CONTINUATION_MS) < m) {
                fail(n.noise().id(), "is %d ms from its party's speech, within %d ms of the continuation", nearest, m);
            }
            long length = n.endMs() - n.startMs();
            if (length >= MIN_SPURT_MS && length < MIN_SPURT_MS + m) {
                fail(n.noise().id(), "lasts %d ms, just over the %d ms below which it is no spurt", length, MIN_SPURT_MS);
            }
            if (length > MIN_SPURT_MS && nearest >= CONTINUATION_MS && !listenerNoise(lines, n, m)) {
                fail(n.noise().id(), "is on its own but not %d ms inside a phrase of the other party", m);
            }
        }
    }

    /**
     * Whether a noise on its own (its party silent for the continuation around it) lies inside
     * a phrase of the other party, {@code margin} ms clear of that phrase's edges: then it is a
     * short word-less response while the other keeps talking, a backchannel.
     */
    static boolean listenerNoise(List<RealizedLine> lines, RealizedNoise n, long margin) {
        for (RealizedLine l : lines) {
            if (l.role() == n.role()) {
                continue;
            }
            for (RealizedPhrase p : l.phrases()) {
                if (p.startMs() <= n.startMs() - margin && p.endMs() >= n.endMs() + margin) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The distance from a noise to its party's nearest phrase. */
    static long ownDistance(List<RealizedLine> lines, RealizedNoise n) {
        long nearest = Long.MAX_VALUE;
        for (RealizedLine l : lines) {
            if (l.role() == n.role()) {
                for (RealizedPhrase p : l.phrases()) {
                    nearest = Math.min(nearest, p.span().gapTo(n.span()));
                }
            }
        }
        return nearest;
    }

    /** Spurts with words must clearly outlast the click filter. */
    private void spurtLengths() {
        for (Role role : Role.values()) {
            List<Span> all = new ArrayList<>();
            for (RealizedLine l : byStart(role)) {
                l.phrases().forEach(p -> all.add(p.span()));
            }
            for (Span s : Span.merge(all, SPURT_BRIDGE_MS - m)) {
                if (s.length() < MIN_SPURT_MS + m) {
                    fail(lineOf(role, s.startMs()), "a spurt of %d ms is not clearly longer than the %d ms of a click",
                            s.length(), MIN_SPURT_MS);
                }
            }
        }
    }

    /**
     * Floor lines alternate parties; each reaches past the holder's end, and the holder does not
     * resume within 1.5 s of its onset while it still speaks (that would keep the floor with the
     * holder). Records when the floor passes: the first moment the taker speaks after the
     * holder's line ends.
     */
    private void floorTransfers() {
        transfer = new long[floor.size()];
        transfer[0] = floor.get(0).startMs();
        for (int k = 1; k < floor.size(); k++) {
            RealizedLine y = floor.get(k - 1);
            RealizedLine x = floor.get(k);
            if (x.role() == y.role()) {
                fail(x.id(), "takes the floor from its own party's line %s", y.id());
            }
            long t = x.startMs();
            Span s = firstStretch(x);
            if (t < transfer[k - 1] + m) {
                fail(x.id(), "starts at %d ms, before %s clearly took the floor at %d ms", t, y.id(), transfer[k - 1]);
            }
            if (s.endMs() < y.endMs() + m) {
                fail(x.id(), "its first stretch ends at %d ms, not clearly after %s ends at %d ms", s.endMs(), y.id(),
                        y.endMs());
            }
            transfer[k] = t >= y.endMs() ? t : firstSpeechFrom(x, y.endMs());
            RealizedLine resumed = nextClaim(y);
            if (resumed != null) {
                long r = resumed.startMs();
                if (r < transfer[k] + m) {
                    fail(resumed.id(), "starts at %d ms, before the floor clearly passed to %s at %d ms", r, x.id(),
                            transfer[k]);
                }
                if (!(r > t + RESUME_WITHIN_MS + m || r >= s.endMs() + m)) {
                    fail(x.id(), "%s resumes %d ms after its onset while it still speaks: the floor would stay", resumed.id(),
                            r - t);
                }
            }
        }
    }

    /**
     * While a party holds the floor, the other's claims (attempts and the next taker) must not
     * speak in the holder's pauses unless the holder clearly resumes within 1.5 s of that
     * claim's onset while it still speaks; and attempts give up clearly before the holder ends.
     */
    private void holdingPeriods() {
        for (int j = 0; j < floor.size(); j++) {
            RealizedLine holder = floor.get(j);
            long from = transfer[j];
            long to = j + 1 < floor.size() ? transfer[j + 1] : Long.MAX_VALUE;
            Role listener = other(holder.role());
            List<RealizedLine> claims = new ArrayList<>();
            for (RealizedLine l : lines) {
                if (l.role() == listener && !l.kind().backchannel() && !l.kind().takesFloor() && l.startMs() >= from
                        && l.startMs() < to) {
                    if (l.endMs() > holder.endMs() - m) {
                        fail(l.id(), "ends at %d ms, not clearly before %s ends at %d ms", l.endMs(), holder.id(),
                                holder.endMs());
                    }
                    claims.add(l);
                }
            }
            if (j + 1 < floor.size()) {
                claims.add(floor.get(j + 1));
            }
            for (int i = 0; i + 1 < holder.phrases().size(); i++) {
                long a = holder.phrase(i).endMs();
                long r = holder.phrase(i + 1).startMs();
                if (r <= from) {
                    continue;
                }
                for (RealizedLine c : claims) {
                    for (List<RealizedPhrase> stretch : stretches(c)) {
                        Span st = span(stretch);
                        boolean inPause = stretch.stream().anyMatch(p -> p.span().intersects(a - m, r + m));
                        if (inPause && r - a > CONTINUATION_MS - m) {
                            fail(c.id(), "speaks in a pause of %d ms of %s: not clearly a pause inside a stretch", r - a,
                                    holder.id());
                        }
                        if (inPause && (r > st.startMs() + RESUME_WITHIN_MS - m || r > st.endMs() - m)) {
                            fail(c.id(), "speaks in %s's pause [%d, %d) without %s clearly resuming within %d ms of its "
                                    + "onset at %d ms while it still speaks", holder.id(), a, r, holder.id(), RESUME_WITHIN_MS,
                                    st.startMs());
                        }
                    }
                }
            }
        }
    }

    /** Every claim's onset: an interruption exactly when the script says so, and ending as scripted. */
    private void onsets() {
        for (RealizedLine l : lines) {
            if (l.kind() == LineKind.OPENING || l.kind().backchannel()) {
                continue;
            }
            Role y = other(l.role());
            long t = l.startMs();
            Span s = firstStretch(l);
            RealizedLine holder;
            if (l.kind().takesFloor()) {
                holder = floor.get(floor.indexOf(l) - 1);
            } else {
                int j = floor.size() - 1;
                while (j > 0 && transfer[j] > t) {
                    j--;
                }
                holder = floor.get(j);
                if (holder.role() == l.role()) {
                    fail(l.id(), "a listener's line while its own party holds the floor");
                }
                if (t < transfer[j] + m) {
                    fail(l.id(), "starts at %d ms, before %s clearly took the floor at %d ms", t, holder.id(), transfer[j]);
                }
            }
            List<Span> theirs = claims(y);
            List<Span> mine = stretchSpans(l, s);
            if (!l.kind().interrupts()) {
                boolean near = theirs.stream().anyMatch(c -> c.intersects(t - m, Math.min(t + RESUME_WITHIN_MS + m,
                        s.endMs() + m)));
                long overlap = Span.overlap(Span.merge(mine, SPURT_BRIDGE_MS), Span.merge(theirs, SPURT_BRIDGE_MS), t);
                if (near && overlap > MIN_OVERLAP_MS - m) {
                    fail(l.id(), "overlaps the other party by %d ms in all from its onset: not clearly under %d ms",
                            overlap, MIN_OVERLAP_MS);
                }
                continue;
            }
            List<Span> stretches = Span.merge(theirs, CONTINUATION_MS);
            long e;
            if (l.kind().inPause()) {
                int i = 0;
                while (i + 1 < theirs.size() && theirs.get(i + 1).startMs() <= t) {
                    i++;
                }
                if (i + 1 >= theirs.size() || theirs.get(i).endMs() > t) {
                    fail(l.id(), "does not start in a pause of the other party");
                }
                long a = theirs.get(i).endMs();
                long r = theirs.get(i + 1).startMs();
                if (r - a < SPURT_BRIDGE_MS + m || r - a > CONTINUATION_MS - m || t - a < m || r - t < m) {
                    fail(l.id(), "starts %d ms into a pause of %d ms: not clearly inside a pause that splits spurts "
                            + "but not stretches", t - a, r - a);
                }
                if (r > t + RESUME_WITHIN_MS - m || r > s.endMs() - m) {
                    fail(l.id(), "the other party resumes %d ms after its onset and %d ms before it stops: not clearly "
                            + "within %d ms and while it speaks", r - t, s.endMs() - r, RESUME_WITHIN_MS);
                }
                e = containing(stretches, r).endMs();
            } else {
                Span speaking = theirs.stream().filter(c -> c.covers(t)).findFirst().orElse(null);
                if (speaking == null) {
                    fail(l.id(), "does not start while the other party speaks");
                }
                long since = containing(Span.merge(theirs, SPURT_BRIDGE_MS - m), t).startMs();
                if (t - since < MIN_ONSET_MS + m || speaking.endMs() - t < m) {
                    fail(l.id(), "starts %d ms into the other party's speech, %d ms before it pauses: not clearly %d ms in",
                            t - since, speaking.endMs() - t, MIN_ONSET_MS);
                }
                e = containing(stretches, t).endMs();
            }
            long overlap = Span.overlap(mine, theirs, t);
            if (overlap < MIN_OVERLAP_MS + m) {
                fail(l.id(), "overlaps the other party by %d ms from its onset: not clearly %d ms", overlap, MIN_OVERLAP_MS);
            }
            if (l.kind().onset() == LineKind.Onset.SUCCESSFUL) {
                if (e > t + SUCCESS_WITHIN_MS - m || s.endMs() < e + m) {
                    fail(l.id(), "the other party stops %d ms after its onset and it carries on %d ms past that: not "
                            + "clearly a yield within %d ms", e - t, s.endMs() - e, SUCCESS_WITHIN_MS);
                }
            } else {
                if (e < t + SUCCESS_WITHIN_MS + m) {
                    fail(l.id(), "the other party stops %d ms after its onset: not clearly past %d ms", e - t,
                            SUCCESS_WITHIN_MS);
                }
                boolean outlasts = s.endMs() >= e + m;
                boolean givesUp = s.endMs() <= e - m;
                if (l.kind().takesFloor() ? !outlasts : !givesUp) {
                    fail(l.id(), "ends %d ms from the other party's stretch end at %d ms", s.endMs() - e, e);
                }
            }
            if (l.kind().takesFloor() && e != holder.endMs()) {
                fail(l.id(), "%s's stretch ends at %d ms, before its line ends at %d ms", holder.id(), e, holder.endMs());
            }
        }
    }

    /** Clearly short, the other party spoke before it, and keeps talking after it. */
    private void backchannels() {
        for (RealizedLine l : lines) {
            if (!l.kind().backchannel()) {
                continue;
            }
            if (l.endMs() - l.startMs() > TOKEN_MAX_MS - m) {
                fail(l.id(), "lasts %d ms: not clearly within %d ms", l.endMs() - l.startMs(), TOKEN_MAX_MS);
            }
            List<Span> theirs = new ArrayList<>();
            byStart(other(l.role())).forEach(o -> o.phrases().forEach(p -> theirs.add(p.span())));
            if (theirs.isEmpty() || theirs.get(0).startMs() > l.startMs() - m) {
                fail(l.id(), "the other party has not clearly spoken before it");
            }
            long next = byStart(l.role()).stream().mapToLong(RealizedLine::startMs).filter(s -> s > l.startMs()).min()
                    .orElse(Long.MAX_VALUE);
            boolean keeps = theirs.stream().anyMatch(p -> p.endMs() >= l.endMs() + m && p.startMs() <= next - m);
            if (!keeps) {
                fail(l.id(), "the other party does not clearly speak on after it, before its party's next line");
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static List<String> words(List<RealizedPhrase> phrases) {
        List<String> words = new ArrayList<>();
        for (RealizedPhrase p : phrases) {
            words.addAll(List.of(p.text().split(" ")));
        }
        return words;
    }

    /** A line's kept phrases split where its own silence reaches the stretch gap. */
    static List<List<RealizedPhrase>> stretches(RealizedLine l) {
        List<List<RealizedPhrase>> out = new ArrayList<>();
        List<RealizedPhrase> current = new ArrayList<>();
        for (RealizedPhrase p : l.phrases()) {
            if (!current.isEmpty() && p.startMs() - current.get(current.size() - 1).endMs() >= CONTINUATION_MS) {
                out.add(current);
                current = new ArrayList<>();
            }
            current.add(p);
        }
        out.add(current);
        return out;
    }

    static Span firstStretch(RealizedLine l) {
        return span(stretches(l).get(0));
    }

    private static Span span(List<RealizedPhrase> phrases) {
        return new Span(phrases.get(0).startMs(), phrases.get(phrases.size() - 1).endMs());
    }

    private static List<Span> stretchSpans(RealizedLine l, Span stretch) {
        return l.phrases().stream().map(RealizedPhrase::span).filter(p -> p.endMs() <= stretch.endMs()).toList();
    }

    private static long firstSpeechFrom(RealizedLine l, long t) {
        for (RealizedPhrase p : l.phrases()) {
            if (p.endMs() > t) {
                return Math.max(p.startMs(), t);
            }
        }
        throw new IllegalStateException("line " + l.id() + " is silent after " + t);
    }

    private static Span containing(List<Span> spans, long t) {
        for (Span s : spans) {
            if (s.startMs() <= t && t <= s.endMs()) {
                return s;
            }
        }
        throw new IllegalStateException("no span holds " + t);
    }

    private List<RealizedLine> byStart(Role role) {
        return lines.stream().filter(l -> l.role() == role).sorted(Comparator.comparingLong(RealizedLine::startMs)).toList();
    }

    /** Phrase spans of the party's claims (lines that are not backchannels), in time order. */
    private List<Span> claims(Role role) {
        List<Span> out = new ArrayList<>();
        for (RealizedLine l : byStart(role)) {
            if (!l.kind().backchannel()) {
                l.phrases().forEach(p -> out.add(p.span()));
            }
        }
        return out;
    }

    private RealizedLine nextClaim(RealizedLine after) {
        return byStart(after.role()).stream().filter(l -> !l.kind().backchannel() && l.startMs() > after.startMs())
                .findFirst().orElse(null);
    }

    private String lineOf(Role role, long t) {
        return byStart(role).stream().filter(l -> l.startMs() <= t && t < l.endMs()).map(RealizedLine::id).findFirst()
                .orElse(role.name());
    }

    private static Role other(Role role) {
        return role == Role.AGENT ? Role.CUSTOMER : Role.AGENT;
    }

    private static void fail(String id, String format, Object... args) {
        throw new MarginViolation(id, String.format(Locale.ROOT, format, args));
    }
}
