package io.earshot.pipeline.dashboard;

import io.earshot.schemas.BehaviourDetected;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.InterruptionDetected;
import io.earshot.schemas.Role;
import io.earshot.schemas.ToneEventDetected;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The nudges an agent sees while on a call, from the metric job's running values of the call
 * ({@code earshot.call-live}): the monologue has reached a length, the agent interrupted, the
 * customer's voice is rising, the agent committed to a resolution without first confirming
 * what the customer asked for.
 *
 * <p>Running values repeat every event of the call so far about every 500 ms, so each event
 * nudges once: an event is known by what it is and where it starts (an interruption's start,
 * a tone event's kind and start, a follow-up's start). The monologue is judged from the call's
 * longest agent monologue so far, which includes the turn in progress: it nudges once per call,
 * when that first reaches the configured length (the running values do not say where the turn
 * in progress began, so a second long monologue of the same call is not told apart).
 *
 * <p>A nudge is useful within seconds: values older than {@link Settings#maxAgeMs()} (their
 * {@code emittedAt}, an event time, against the clock) mark their events as seen without
 * nudging, so a dashboard replaying the past hour at start does not nudge about it. Final
 * values end the call's state and never nudge. Not thread-safe: {@link FloorState} calls it
 * under its own lock.
 */
public final class NudgeRules {

    /** What a nudge is about. */
    public enum Kind { MONOLOGUE, INTERRUPTION, CUSTOMER_VOICE, NO_CONFIRMATION }

    /**
     * Which nudges fire and when; every one a default a deployment may change ({@code nudges:}).
     *
     * @param monologue     nudge when the agent's monologue reaches {@code monologueMs}
     * @param monologueMs   the monologue length that nudges
     * @param interruption  nudge on each new interruption by the agent
     * @param customerVoice nudge on each new raised voice or agitation of the customer
     * @param confirmation  nudge on each new follow-up (a commitment) by the agent with no
     *                      paraphrase or summary by the agent before it
     * @param maxAgeMs      running values older than this nudge no more
     */
    public record Settings(boolean monologue, long monologueMs, boolean interruption, boolean customerVoice,
                           boolean confirmation, long maxAgeMs) {
        public static final Settings DEFAULTS = new Settings(true, 90_000, true, true, true, 30_000);

        public Settings {
            if (monologueMs < 1_000 || maxAgeMs < 1_000) {
                throw new IllegalArgumentException("invalid nudge settings: " + this
                        + " (monologue and maximum age at least one second)");
            }
        }
    }

    /**
     * One nudge for an agent.
     *
     * @param seq      increases with every nudge of this dashboard run (the stream's event id)
     * @param atMs     media position in the call of what it is about
     * @param raisedAt wall-clock epoch ms when it was raised
     */
    public record Nudge(long seq, Kind kind, String agentId, String team, String callId, long atMs, String message,
                        long raisedAt) {
    }

    private static final int KEPT_CALLS = 2_000;
    private static final Set<String> CUSTOMER_TONES = Set.of("raised_voice", "agitation");

    private final Settings settings;
    private final Clock clock;
    /** Per live call: the identities of the events already nudged about (or seen too late). */
    private final Map<String, Set<String>> seen = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > KEPT_CALLS;
        }
    };
    private long sequence;

    public NudgeRules(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public Settings settings() {
        return settings;
    }

    /** Checks a call's running (or final) values; returns the nudges they raise, oldest event first. */
    public List<Nudge> onCallValues(CallSummaryComputed s) {
        String callId = s.getCallId().toString();
        if (s.getIsFinal()) {
            seen.remove(callId);
            return List.of();
        }
        Set<String> known = seen.computeIfAbsent(callId, k -> new HashSet<>());
        boolean fresh = clock.millis() - s.getEmittedAt().toEpochMilli() <= settings.maxAgeMs();
        List<Candidate> found = new ArrayList<>();
        if (settings.monologue() && s.getLongestAgentMonologueMs() >= settings.monologueMs()) {
            found.add(new Candidate("monologue", Kind.MONOLOGUE, s.getDurationMs(),
                    "You've talked for " + seconds(settings.monologueMs()) + ": let the customer in."));
        }
        if (settings.interruption()) {
            for (InterruptionDetected i : s.getInterruptions()) {
                if (i.getBy() == Role.AGENT) {
                    found.add(new Candidate("interruption:" + i.getStartMs(), Kind.INTERRUPTION, i.getStartMs(),
                            "You interrupted the customer at " + AlertRules.clock(i.getStartMs()) + "."));
                }
            }
        }
        if (settings.customerVoice()) {
            for (ToneEventDetected e : s.getToneEvents()) {
                String kind = e.getKind().toString();
                if (e.getBy() == Role.CUSTOMER && CUSTOMER_TONES.contains(kind)) {
                    found.add(new Candidate("tone:" + kind + ":" + e.getStartMs(), Kind.CUSTOMER_VOICE,
                            e.getStartMs(), "The customer's voice is rising: slow down and acknowledge it."));
                }
            }
        }
        if (settings.confirmation()) {
            long firstConfirmation = Long.MAX_VALUE;
            for (BehaviourDetected b : s.getBehaviours()) {
                String kind = b.getKind().toString();
                if (b.getBy() == Role.AGENT && (kind.equals("paraphrase") || kind.equals("summary"))) {
                    firstConfirmation = Math.min(firstConfirmation, b.getStartMs());
                }
            }
            for (BehaviourDetected b : s.getBehaviours()) {
                if (b.getBy() == Role.AGENT && b.getKind().toString().equals("follow_up")
                        && firstConfirmation > b.getStartMs()) {
                    found.add(new Candidate("follow_up:" + b.getStartMs(), Kind.NO_CONFIRMATION, b.getStartMs(),
                            "Ask before you resolve: confirm what the customer needs before you commit to '"
                                    + b.getText() + "'."));
                }
            }
        }
        found.sort(java.util.Comparator.comparingLong(Candidate::atMs));
        List<Nudge> out = new ArrayList<>();
        String agent = s.getAgentId().toString();
        String team = s.getTeam() == null ? null : s.getTeam().toString();
        for (Candidate c : found) {
            if (known.add(c.identity()) && fresh) {
                out.add(new Nudge(++sequence, c.kind(), agent, team, callId, c.atMs(), c.message(), clock.millis()));
            }
        }
        return out;
    }

    private record Candidate(String identity, Kind kind, long atMs, String message) {
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
