package io.earshot.pipeline.dashboard;

import io.earshot.pipeline.api.Principal;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.DeadAirDetected;
import io.earshot.schemas.Role;
import io.earshot.schemas.ToneEventDetected;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;

/**
 * The floor's alert conditions and the alerts they raised. Each condition is raised at most
 * once per call (talk share, dead air), once per tone event (a customer's raised voice: the
 * running values repeat every event of the call so far, so an event is known by its start),
 * or, for an agent's window, once while it holds (it can be raised again after the agent's
 * window has left the condition: interruptions below the threshold, the score back at or over
 * its floor). A
 * supervisor acknowledges an alert; alerts live in memory, and an optional hook receives
 * each raised and acknowledged alert (to persist it into the store's {@code alerts} table).
 * Thread-safe: all methods synchronise on this object.
 */
public final class AlertRules {

    /** What an alert is about. */
    public enum Kind { AGENT_INTERRUPTIONS, TALK_SHARE_OUT_OF_BAND, DEAD_AIR, CUSTOMER_RAISED_VOICE, LOW_LISTENING_SCORE }

    /**
     * Thresholds of the alert conditions; every one a default a deployment may change.
     *
     * @param agentInterruptions  an agent's interruptions in their live (15 min) window at which to alert
     * @param talkShareLow        lower bound of the agent talk-share band
     * @param talkShareHigh       upper bound of the band
     * @param talkShareMinCallMs  the call time before talk share is judged (a share over the first seconds means little)
     * @param deadAirMs           a silence at least this long raises an alert
     * @param customerRaisedVoice whether a customer's {@code raised_voice} tone event raises an alert
     * @param listeningScoreLow   an agent's live-window listening score below this raises an alert;
     *                            null: no score alert
     * @param listeningScoreMinCallMs the call time the live window must hold before its score is
     *                            judged, so one bad minute after a break does not alert
     */
    public record Thresholds(int agentInterruptions, double talkShareLow, double talkShareHigh,
                             long talkShareMinCallMs, long deadAirMs, boolean customerRaisedVoice,
                             Double listeningScoreLow, long listeningScoreMinCallMs) {
        public static final double DEFAULT_LISTENING_SCORE_LOW = 50;
        public static final long DEFAULT_LISTENING_SCORE_MIN_CALL_MS = 300_000;
        public static final Thresholds DEFAULTS = new Thresholds(3, 0.35, 0.55, 60_000, 10_000);

        public Thresholds {
            if (agentInterruptions < 1 || talkShareLow < 0 || talkShareHigh > 1 || talkShareLow > talkShareHigh
                    || talkShareMinCallMs < 0 || deadAirMs < 1 || listeningScoreMinCallMs < 0
                    || (listeningScoreLow != null && (listeningScoreLow <= 0 || listeningScoreLow > 100))) {
                throw new IllegalArgumentException("invalid alert thresholds: " + this);
            }
        }

        /** The talk, interruption and dead-air thresholds with the listening alerts at their defaults. */
        public Thresholds(int agentInterruptions, double talkShareLow, double talkShareHigh, long talkShareMinCallMs,
                long deadAirMs) {
            this(agentInterruptions, talkShareLow, talkShareHigh, talkShareMinCallMs, deadAirMs, true,
                    DEFAULT_LISTENING_SCORE_LOW, DEFAULT_LISTENING_SCORE_MIN_CALL_MS);
        }

        public Thresholds withListening(boolean raisedVoice, Double scoreLow, long scoreMinCallMs) {
            return new Thresholds(agentInterruptions, talkShareLow, talkShareHigh, talkShareMinCallMs, deadAirMs,
                    raisedVoice, scoreLow, scoreMinCallMs);
        }
    }

    /**
     * One raised alert.
     *
     * @param id           unique within this dashboard run
     * @param callId       the call it is about, null for an agent-window alert
     * @param raisedAt     wall-clock epoch ms when it was raised
     * @param atMs         media position in the call the condition was seen at (0 for agent windows)
     * @param acknowledgedBy token id of who acknowledged it, null while open
     */
    public record Alert(String id, Kind kind, String agentId, String team, String callId, String message,
                        long raisedAt, long atMs, String acknowledgedBy, Long acknowledgedAt) {
        public boolean acknowledged() {
            return acknowledgedBy != null;
        }

        Alert ack(String by, long at) {
            return new Alert(id, kind, agentId, team, callId, message, raisedAt, atMs, by, at);
        }
    }

    /** Receives each alert when raised and again when acknowledged (e.g. to write the store's table). */
    public interface Hook {
        Hook NONE = new Hook() {
        };

        default void raised(Alert alert) {
        }

        default void acknowledged(Alert alert) {
        }
    }

    /** The outcome of an acknowledgement. */
    public enum AckResult { ACKNOWLEDGED, ALREADY_ACKNOWLEDGED, NOT_FOUND, FORBIDDEN }

    private static final int MAX_ALERTS = 1000;
    private static final String RAISED_VOICE = "raised_voice";

    private final Thresholds thresholds;
    private final Hook hook;
    private final java.time.Clock clock;
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private final Set<String> raisedKeys = new HashSet<>();
    private long sequence;

    public AlertRules(Thresholds thresholds, Hook hook, java.time.Clock clock) {
        this.thresholds = thresholds;
        this.hook = hook;
        this.clock = clock;
    }

    public AlertRules(Thresholds thresholds) {
        this(thresholds, Hook.NONE, java.time.Clock.systemUTC());
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    /** Checks a call's running or final values; returns the alerts it raised. */
    public synchronized List<Alert> onCallSummary(CallSummaryComputed s) {
        List<Alert> raised = new ArrayList<>();
        String callId = s.getCallId().toString();
        String agent = s.getAgentId().toString();
        String team = s.getTeam() == null ? null : s.getTeam().toString();
        Double share = s.getAgentTalkShare();
        if (share != null && s.getDurationMs() >= thresholds.talkShareMinCallMs()
                && (share < thresholds.talkShareLow() || share > thresholds.talkShareHigh())) {
            raise(raised, "call:" + callId + ":talk", Kind.TALK_SHARE_OUT_OF_BAND, agent, team, callId,
                    String.format(java.util.Locale.ROOT, "%s talks %.0f%% of call %s (band %.0f-%.0f%%)", agent,
                            share * 100, callId, thresholds.talkShareLow() * 100, thresholds.talkShareHigh() * 100),
                    s.getDurationMs());
        }
        for (DeadAirDetected d : s.getDeadAir()) {
            long length = d.getEndMs() - d.getStartMs();
            if (length >= thresholds.deadAirMs()) {
                raise(raised, "call:" + callId + ":deadair", Kind.DEAD_AIR, agent, team, callId,
                        String.format(java.util.Locale.ROOT, "%.1f s of dead air on call %s of %s",
                                length / 1000.0, callId, agent), d.getStartMs());
                break;
            }
        }
        if (thresholds.customerRaisedVoice()) {
            for (ToneEventDetected e : s.getToneEvents()) {
                if (e.getBy() == Role.CUSTOMER && RAISED_VOICE.contentEquals(e.getKind())) {
                    raise(raised, "call:" + callId + ":voice:" + e.getStartMs(), Kind.CUSTOMER_RAISED_VOICE, agent,
                            team, callId, "The customer raised their voice at " + clock(e.getStartMs())
                                    + " of call " + callId + " of " + agent, e.getStartMs());
                }
            }
        }
        return raised;
    }

    /** A media position as the call view shows it: {@code m:ss}. */
    static String clock(long ms) {
        long s = ms / 1000;
        return String.format(java.util.Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /**
     * Checks an agent's live window; {@code team} is the agent's team as the floor knows it.
     * Windows of teams and queues, and the hourly and daily windows, are not alerted on.
     */
    public synchronized List<Alert> onAgentWindow(AgentMetricsComputed m, String team) {
        List<Alert> raised = new ArrayList<>();
        if (m.getScope() != io.earshot.schemas.AggregationScope.AGENT
                || m.getWindow() != io.earshot.schemas.AggregationWindow.LIVE) {
            return raised;
        }
        String agent = m.getKey().toString();
        String key = "agent:" + agent + ":interruptions";
        long count = m.getTotals().getAgentInterruptions();
        if (count >= thresholds.agentInterruptions()) {
            long minutes = Math.round((m.getWindowEnd().toEpochMilli() - m.getWindowStart().toEpochMilli()) / 60_000.0);
            raise(raised, key, Kind.AGENT_INTERRUPTIONS, agent, team, null,
                    agent + " interrupted " + count + (count == 1 ? " time" : " times") + " in the last " + minutes + " minutes", 0);
        } else {
            raisedKeys.remove(key);
        }
        String scoreKey = "agent:" + agent + ":score";
        Double score = m.getListeningScore() == null ? null : m.getListeningScore().getScore();
        Double low = thresholds.listeningScoreLow();
        if (low != null && score != null && score < low
                && m.getTotals().getCallTimeMs() >= thresholds.listeningScoreMinCallMs()) {
            raise(raised, scoreKey, Kind.LOW_LISTENING_SCORE, agent, team, null,
                    String.format(java.util.Locale.ROOT, "%s's listening score is %.0f in the last %d minutes (alert below %.0f)",
                            agent, score, Math.round((m.getWindowEnd().toEpochMilli()
                                    - m.getWindowStart().toEpochMilli()) / 60_000.0), low), 0);
        } else {
            raisedKeys.remove(scoreKey);
        }
        return raised;
    }

    private void raise(List<Alert> out, String key, Kind kind, String agent, String team, String callId,
            String message, long atMs) {
        if (!raisedKeys.add(key)) {
            return;
        }
        Alert a = new Alert("a" + (++sequence), kind, agent, team, callId, message, clock.millis(), atMs, null, null);
        alerts.put(a.id(), a);
        if (alerts.size() > MAX_ALERTS) {
            alerts.values().stream().filter(Alert::acknowledged).findFirst()
                    .or(() -> alerts.values().stream().findFirst())
                    .ifPresent(old -> alerts.remove(old.id()));
        }
        out.add(a);
        hook.raised(a);
    }

    /**
     * Acknowledges an alert for {@code who}: a supervisor of the alert's team or an admin may;
     * an analyst may not.
     */
    public synchronized AckResult acknowledge(String id, Principal who) {
        Alert a = alerts.get(id);
        if (a == null) {
            return AckResult.NOT_FOUND;
        }
        if (!io.earshot.pipeline.web.Access.mayAcknowledge(who, a.team())) {
            return AckResult.FORBIDDEN;
        }
        if (a.acknowledged()) {
            return AckResult.ALREADY_ACKNOWLEDGED;
        }
        Alert acked = a.ack(who.tokenId(), clock.millis());
        alerts.put(id, acked);
        hook.acknowledged(acked);
        return AckResult.ACKNOWLEDGED;
    }

    public synchronized Optional<Alert> get(String id) {
        return Optional.ofNullable(alerts.get(id));
    }

    /** Every alert kept, newest first. */
    public synchronized List<Alert> alerts() {
        List<Alert> all = new ArrayList<>(alerts.values());
        all.sort(Comparator.comparingLong(Alert::raisedAt).reversed()
                .thenComparing(Comparator.comparingLong((Alert a) -> Long.parseLong(a.id().substring(1))).reversed()));
        return all;
    }
}
