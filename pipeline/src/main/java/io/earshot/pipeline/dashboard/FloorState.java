package io.earshot.pipeline.dashboard;

import io.earshot.contracts.RunningValues;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.AggregationScope;
import io.earshot.schemas.AggregationWindow;
import io.earshot.schemas.BackchannelDetected;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.BehaviourDetected;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.CoachingNote;
import io.earshot.schemas.ToneEventDetected;
import io.earshot.schemas.DeadAirDetected;
import io.earshot.schemas.InterruptionDetected;
import io.earshot.schemas.Role;
import io.earshot.schemas.SpeechActivityChanged;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.UtteranceTranscribed;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * The live floor: what every agent is doing now and what each call looks like so far, built
 * from the pipeline's Kafka records ({@link FloorFeed} feeds it; tests call {@link #apply}).
 * Call positions are media milliseconds from the call's start, as in the records.
 *
 * <p>An agent's state comes from the speech edges ({@code SpeechActivityChanged}) of their
 * current call, the provisional ones (0.3 s sooner) and the decided ones ({@link SpeakingState}):
 * both parties speaking is overlapping, only the agent talking, only the
 * customer listening, neither on-call; no call is idle. The timeline's spurts are the
 * finished {@code SpeechSegmentDetected}s plus the spurt a party is in now (from its start
 * edge to the newest position heard); overlaps are their intersections. Interruptions,
 * backchannels, dead air and the running values are the metric job's, from the latest
 * {@code CallSummaryComputed} of the call, so the floor shows the job's numbers, never its
 * own re-computation. A running value carries only the evidence that changed since the call's
 * previous one; {@link RunningValues} makes it whole again.
 *
 * <p>The listening findings (behaviours, tone events, score, coaching notes) are the job's too,
 * from the same latest values; each agent's row carries the live window's listening score and
 * behaviour counts beside the current call's running score. The running values also feed the
 * {@link NudgeRules}, whose nudges the floor keeps (the newest {@value #KEPT_NUDGES}) for the
 * agents' streams.
 *
 * <p>Thread-safe: every read returns an immutable snapshot; {@link #version()} increases with
 * every change so a pusher can tell when to send. Ended calls are kept (the newest
 * {@value #KEPT_ENDED_CALLS}) so a supervisor can still open them; the series of each agent's
 * and team's live window keeps its newest {@value #SERIES_POINTS} points.
 */
public final class FloorState {

    /** What an agent is doing now. */
    public enum AgentState { IDLE, ON_CALL, TALKING, LISTENING, OVERLAPPING }

    static final int KEPT_ENDED_CALLS = 200;
    static final int SERIES_POINTS = 720;
    private static final int TRANSCRIPT_LINES = 500;
    static final int KEPT_NUDGES = 1000;
    /** The key of calls without a team in an agent's {@code activeUntil}. */
    private static final String NO_TEAM = "\u0000none";

    /** A stretch of a call in media ms. */
    public record Span(long startMs, long endMs) {
    }

    /** An interruption or backchannel on the timeline. */
    public record Marker(Role by, long startMs, long durationMs, String text) {
    }

    /** One transcript line: a final utterance, or the current partial one. */
    public record TranscriptLine(Role role, int index, long startMs, long endMs, String text, boolean isFinal) {
    }

    /** The metric job's running (or final) values of a call, as the grid shows them. */
    public record CallMetrics(long durationMs, Double agentTalkShare, long agentInterruptions,
                              long customerInterruptions, Double pauseRespectRate, long agentBackchannels,
                              long customerBackchannels, long deadAirMs, long overlapMs, boolean isFinal,
                              Double listeningScore) {
        static CallMetrics of(CallSummaryComputed s) {
            return new CallMetrics(s.getDurationMs(), s.getAgentTalkShare(), s.getAgentInterruptions(),
                    s.getInterruptions().stream().filter(i -> i.getBy() == Role.CUSTOMER).count(),
                    s.getPauseRespectRate(),
                    s.getBackchannels().stream().filter(b -> b.getBy() == Role.AGENT).count(),
                    s.getBackchannels().stream().filter(b -> b.getBy() == Role.CUSTOMER).count(),
                    s.getDeadAir().stream().mapToLong(d -> d.getEndMs() - d.getStartMs()).sum(),
                    s.getOverlapMs(), s.getIsFinal(),
                    s.getListeningScore() == null ? null : s.getListeningScore().getScore());
        }
    }

    /** A call in the grid's terms, without its timeline. */
    public record CallInfo(String callId, String agentId, String team, String queue, long mediaStartTime,
                           boolean live, String endReason, long positionMs, CallMetrics metrics) {
    }

    /**
     * A call with its two-lane timeline, transcript and the listening findings of its latest values.
     *
     * @param speakingRateWpm words per minute by role ({@code AGENT}, {@code CUSTOMER}) from the latest
     *                        values' voice baselines, as the query API's call timeline names them; a role
     *                        is missing until it has transcribed words
     */
    public record CallView(CallInfo call, List<Span> agentSpurts, List<Span> customerSpurts, List<Span> overlaps,
                           List<Marker> interruptions, List<Marker> backchannels, List<Span> deadAir,
                           List<TranscriptLine> transcript, List<Behaviour> behaviours, List<ToneEvent> toneEvents,
                           Score listeningScore, List<Note> coaching, Map<String, Double> speakingRateWpm) {
    }

    /** A listening behaviour as the API's call timeline names it ({@code kind} lower case, e.g. {@code open_question}). */
    public record Behaviour(Role by, String kind, long startMs, long endMs, String text, String reason) {
    }

    /** A tone event ({@code kind} e.g. {@code raised_voice}) with its measured values. */
    public record ToneEvent(Role by, String kind, long startMs, long endMs, Map<String, Double> values) {
    }

    /** One component of a listening score. */
    public record ScoreComponent(String name, Double value, double weight, double points) {
    }

    /** A listening score, its components and the thresholds it was computed with. */
    public record Score(Double score, List<ScoreComponent> components, Map<String, Double> thresholds) {
        static Score of(io.earshot.schemas.ListeningScore s) {
            if (s == null) {
                return null;
            }
            Map<String, Double> thresholds = new TreeMap<>();
            s.getThresholds().forEach((k, v) -> thresholds.put(k.toString(), v));
            return new Score(s.getScore(), s.getComponents().stream().map(c -> new ScoreComponent(
                    c.getName().toString(), c.getValue(), c.getWeight(), c.getPoints())).toList(), thresholds);
        }
    }

    /** A coaching note pointing at a media position. */
    public record Note(String kind, long atMs, String message) {
    }

    /**
     * An agent's listening behaviours and tone events in a live window (the window's totals).
     */
    public record BehaviourCounts(long paraphrases, long summaries, long empathy, long apologies, long openQuestions,
                                  long clarifyingQuestions, long closedQuestions, long followUps,
                                  long agentRaisedVoice, long agentMonotone, long agentFastSpeech,
                                  long customerRaisedVoice, long customerAgitation) {
        static BehaviourCounts of(io.earshot.schemas.ListeningTotals t) {
            return new BehaviourCounts(t.getAgentParaphrases(), t.getAgentSummaries(), t.getAgentEmpathy(),
                    t.getAgentApologies(), t.getAgentOpenQuestions(), t.getAgentClarifyingQuestions(),
                    t.getAgentClosedQuestions(), t.getAgentFollowUps(), t.getAgentRaisedVoice(), t.getAgentMonotone(),
                    t.getAgentFastSpeech(), t.getCustomerRaisedVoice(), t.getCustomerAgitation());
        }
    }

    /**
     * An agent's row of the grid.
     *
     * @param callId         the current call, or the last one when idle (null if none seen)
     * @param call           that call's values so far (null before the job's first record of it)
     * @param window         the agent's live window (the last 15 minutes by default), null before the first
     */
    public record AgentRow(String agentId, String team, AgentState state, String callId, CallMetrics call,
                           WindowPoint window) {
    }

    /**
     * One live-window value of an agent or team: the window's end and its measures.
     *
     * @param listeningScore the window's listening score (null until a component can be judged)
     * @param behaviours     the window's behaviour and tone counts
     */
    public record WindowPoint(long windowStart, long windowEnd, long callTimeMs, Double agentTalkShare,
                              long agentInterruptions, Double pauseRespectRate, long agentBackchannels,
                              Double agentInterruptionsPer10Min, long callsEnded, Double listeningScore,
                              BehaviourCounts behaviours) {
        static WindowPoint of(AgentMetricsComputed m) {
            var t = m.getTotals();
            return new WindowPoint(m.getWindowStart().toEpochMilli(), m.getWindowEnd().toEpochMilli(), t.getCallTimeMs(), m.getAgentTalkShare(),
                    t.getAgentInterruptions(), m.getPauseRespectRate(), t.getAgentBackchannels(),
                    m.getAgentInterruptionsPer10Min(), t.getCallsEnded(),
                    m.getListeningScore() == null ? null : m.getListeningScore().getScore(), BehaviourCounts.of(t));
        }
    }

    private static final class Call {
        final String callId;
        String agentId;
        String team;
        String queue;
        long mediaStartTime;
        boolean live = true;
        String endReason;
        long positionMs;
        CallSummaryComputed latest;
        final Map<Role, List<Span>> spurts = new EnumMap<>(Role.class);
        final Map<Role, SpeakingState> speaking = new EnumMap<>(Role.class);
        final TreeMap<String, TranscriptLine> transcript = new TreeMap<>();

        Call(String callId) {
            this.callId = callId;
            spurts.put(Role.AGENT, new ArrayList<>());
            spurts.put(Role.CUSTOMER, new ArrayList<>());
            speaking.put(Role.AGENT, new SpeakingState());
            speaking.put(Role.CUSTOMER, new SpeakingState());
        }

        boolean speaking(Role r) {
            return speaking.get(r).speaking();
        }

        CallInfo info() {
            return new CallInfo(callId, agentId, team, queue, mediaStartTime, live, endReason, positionMs,
                    latest == null ? null : CallMetrics.of(latest));
        }
    }

    private static final class Agent {
        final String agentId;
        String team;
        String callId;
        WindowPoint window;
        /** Per team of the agent's calls ({@link #NO_TEAM} for none): the media time the latest reached. */
        final Map<String, Long> activeUntil = new HashMap<>();

        Agent(String agentId) {
            this.agentId = agentId;
        }
    }

    private final AlertRules alerts;
    private final NudgeRules nudgeRules;
    private final Deque<NudgeRules.Nudge> nudges = new ArrayDeque<>();
    private final Map<String, Call> calls = new LinkedHashMap<>();
    /** The calls' running values with their evidence whole (the job sends each item once). */
    private final RunningValues running = new RunningValues();
    private final Deque<String> ended = new ArrayDeque<>();
    private final Map<String, Agent> agents = new HashMap<>();
    private final Map<String, Deque<WindowPoint>> series = new HashMap<>();
    private final Map<String, String> rosterTeams;
    private long version;

    public FloorState(AlertRules alerts, NudgeRules nudgeRules) {
        this(alerts, nudgeRules, Map.of());
    }

    /**
     * @param rosterTeams the team of each agent of the configured roster (empty without one): an
     *                    agent's team on the floor is the roster's, never what a call claims
     */
    public FloorState(AlertRules alerts, NudgeRules nudgeRules, Map<String, String> rosterTeams) {
        this.alerts = alerts;
        this.nudgeRules = nudgeRules;
        this.rosterTeams = Map.copyOf(rosterTeams);
    }

    /** A floor with the default nudges. */
    public FloorState(AlertRules alerts) {
        this(alerts, new NudgeRules(NudgeRules.Settings.DEFAULTS, java.time.Clock.systemUTC()));
    }

    public AlertRules alerts() {
        return alerts;
    }

    public NudgeRules.Settings nudgeSettings() {
        return nudgeRules.settings();
    }

    /** Increases with every change of the floor or its alerts. */
    public synchronized long version() {
        return version;
    }

    /** Takes in one record of the pipeline's topics; records the floor does not use are ignored. */
    public synchronized void apply(SpecificRecord record) {
        if (record instanceof CallStarted s) {
            started(s);
        } else if (record instanceof CallEnded e) {
            Call c = call(e.getCallId().toString());
            c.positionMs = Math.max(c.positionMs, e.getEndMs());
            end(c, e.getReason().toString());
        } else if (record instanceof SpeechActivityChanged a) {
            Call c = call(a.getCallId().toString());
            c.positionMs = Math.max(c.positionMs, a.getAtMs());
            c.speaking.get(a.getRole()).apply(a.getAtMs(), a.getSpeaking());
        } else if (record instanceof SpeechSegmentDetected seg) {
            Call c = call(seg.getCallId().toString());
            c.positionMs = Math.max(c.positionMs, seg.getEndMs());
            List<Span> lane = c.spurts.get(seg.getRole());
            lane.add(new Span(seg.getStartMs(), seg.getEndMs()));
            lane.sort(Comparator.comparingLong(Span::startMs));
        } else if (record instanceof UtteranceTranscribed u) {
            Call c = call(u.getCallId().toString());
            String key = u.getRole() + String.format("%08d", u.getUtteranceIndex());
            TranscriptLine prior = c.transcript.get(key);
            if (prior == null || !prior.isFinal() || u.getIsFinal()) {
                c.transcript.put(key, new TranscriptLine(u.getRole(), u.getUtteranceIndex(), u.getStartMs(),
                        u.getEndMs(), u.getText().toString(), u.getIsFinal()));
            }
            while (c.transcript.size() > TRANSCRIPT_LINES) {
                c.transcript.pollFirstEntry();
            }
        } else if (record instanceof CallSummaryComputed s) {
            summary(s);
        } else if (record instanceof AgentMetricsComputed m) {
            window(m);
        } else {
            return;
        }
        version++;
    }

    private void started(CallStarted s) {
        Call c = call(s.getCallId().toString());
        c.agentId = s.getAgentId().toString();
        c.team = s.getTeam() == null ? null : s.getTeam().toString();
        c.queue = s.getQueue() == null ? null : s.getQueue().toString();
        c.mediaStartTime = s.getMediaStartTime().toEpochMilli();
        Agent a = agents.computeIfAbsent(c.agentId, Agent::new);
        a.team = c.team;
        a.activeUntil.merge(teamKey(c.team), c.mediaStartTime, Math::max);
        if (c.live) {
            a.callId = c.callId;
        }
    }

    private void summary(CallSummaryComputed received) {
        CallSummaryComputed s = running.accept(received);
        if (s == null) {
            return; // continues a running value the floor never had: whole again with the call's next whole one
        }
        Call c = call(s.getCallId().toString());
        if (c.latest != null && c.latest.getIsFinal() && !s.getIsFinal()) {
            return; // a running value that lost the race with the final one
        }
        if (c.latest != null && !s.getIsFinal() && s.getEmittedAt().isBefore(c.latest.getEmittedAt())) {
            return; // a repeat after the job's restart
        }
        c.latest = s;
        if (c.agentId != null && !c.agentId.equals(s.getAgentId().toString())) {
            // assigned after it started (earshot.call-assignments): the call moves to its agent
            Agent before = agents.get(c.agentId);
            if (before != null && c.callId.equals(before.callId)) {
                before.callId = null;
            }
            c.agentId = null;
        }
        if (c.agentId == null) {
            // the floor was rebuilt after the call's start: the summary names its agent
            c.agentId = s.getAgentId().toString();
            c.team = s.getTeam() == null ? null : s.getTeam().toString();
            c.queue = s.getQueue() == null ? null : s.getQueue().toString();
            c.mediaStartTime = s.getMediaStartTime().toEpochMilli();
            Agent a = agents.computeIfAbsent(c.agentId, Agent::new);
            a.team = c.team;
            if (c.live && !s.getIsFinal()) {
                a.callId = c.callId;
            }
        }
        c.positionMs = Math.max(c.positionMs, s.getDurationMs());
        Agent worker = agents.get(c.agentId);
        if (worker != null) {
            worker.activeUntil.merge(teamKey(c.team), c.mediaStartTime + c.positionMs, Math::max);
        }
        if (s.getIsFinal()) {
            end(c, s.getEndReason() == null ? "ended" : s.getEndReason().toString());
        }
        alerts.onCallSummary(s);
        for (NudgeRules.Nudge n : nudgeRules.onCallValues(s)) {
            nudges.addLast(n);
            if (nudges.size() > KEPT_NUDGES) {
                nudges.pollFirst();
            }
        }
    }

    private void window(AgentMetricsComputed m) {
        if (m.getWindow() != AggregationWindow.LIVE) {
            return;
        }
        WindowPoint p = WindowPoint.of(m);
        Deque<WindowPoint> points = series.computeIfAbsent(m.getScope() + ":" + m.getKey(), k -> new ArrayDeque<>());
        if (points.isEmpty() || points.peekLast().windowEnd() < p.windowEnd()) {
            points.addLast(p);
        } else if (points.peekLast().windowEnd() == p.windowEnd()) {
            points.pollLast();
            points.addLast(p);
        }
        while (points.size() > SERIES_POINTS) {
            points.pollFirst();
        }
        if (m.getScope() == AggregationScope.AGENT) {
            Agent a = agents.computeIfAbsent(m.getKey().toString(), Agent::new);
            if (a.window == null || a.window.windowEnd() <= p.windowEnd()) {
                a.window = p;
            }
            // an alert goes to the agent's team: not about a window that also sums another team's calls
            String team = teamOf(a);
            if (windowVisible(a, p, t -> java.util.Objects.equals(t, team))) {
                alerts.onAgentWindow(m, team);
            }
        }
    }

    private Call call(String callId) {
        return calls.computeIfAbsent(callId, Call::new);
    }

    private void end(Call c, String reason) {
        if (!c.live) {
            return;
        }
        c.live = false;
        c.endReason = reason;
        c.speaking.values().forEach(SpeakingState::stop);
        ended.addLast(c.callId);
        while (ended.size() > KEPT_ENDED_CALLS) {
            String gone = ended.pollFirst();
            calls.remove(gone);
            running.forget(gone);
        }
    }

    /** Records that change nothing visible (e.g. an alert acknowledged) still need a push. */
    public synchronized void touch() {
        version++;
    }

    /** Every agent the floor has seen, by agent id. */
    public synchronized List<AgentRow> agents() {
        return agents(team -> true);
    }

    /**
     * The agents whose team {@code canSeeTeam} accepts, as such a viewer may see them: the
     * current call only if its team is visible too, and the live window only if the agent took
     * no call for another team during it (the window sums all the agent's calls).
     */
    public synchronized List<AgentRow> agents(Predicate<String> canSeeTeam) {
        List<AgentRow> rows = new ArrayList<>();
        for (Agent a : agents.values()) {
            String team = teamOf(a);
            if (!canSeeTeam.test(team)) {
                continue;
            }
            Call c = a.callId == null ? null : calls.get(a.callId);
            if (c != null && !canSeeTeam.test(c.team)) {
                c = null;
            }
            AgentState state = c == null || !c.live ? AgentState.IDLE : stateOf(c);
            WindowPoint window = a.window != null && windowVisible(a, a.window, canSeeTeam) ? a.window : null;
            rows.add(new AgentRow(a.agentId, team, state, c == null ? null : a.callId,
                    c == null || c.latest == null ? null : CallMetrics.of(c.latest), window));
        }
        rows.sort(Comparator.comparing(AgentRow::agentId));
        return rows;
    }

    /** Whether every call {@code a} took for a team {@code canSeeTeam} refuses ended before {@code p} began. */
    private static boolean windowVisible(Agent a, WindowPoint p, Predicate<String> canSeeTeam) {
        for (Map.Entry<String, Long> e : a.activeUntil.entrySet()) {
            String team = NO_TEAM.equals(e.getKey()) ? null : e.getKey();
            if (!canSeeTeam.test(team) && e.getValue() >= p.windowStart()) {
                return false;
            }
        }
        return true;
    }

    private static String teamKey(String team) {
        return team == null ? NO_TEAM : team;
    }

    private String teamOf(Agent a) {
        return rosterTeams.getOrDefault(a.agentId, a.team);
    }

    static AgentState stateOf(boolean agentSpeaking, boolean customerSpeaking) {
        if (agentSpeaking && customerSpeaking) {
            return AgentState.OVERLAPPING;
        }
        if (agentSpeaking) {
            return AgentState.TALKING;
        }
        return customerSpeaking ? AgentState.LISTENING : AgentState.ON_CALL;
    }

    private static AgentState stateOf(Call c) {
        return stateOf(c.speaking(Role.AGENT), c.speaking(Role.CUSTOMER));
    }

    /** The calls kept (live ones and the newest ended ones), newest first. */
    public synchronized List<CallInfo> calls() {
        List<CallInfo> out = new ArrayList<>();
        for (Call c : calls.values()) {
            if (c.agentId != null) {
                out.add(c.info());
            }
        }
        out.sort(Comparator.comparingLong(CallInfo::mediaStartTime).reversed().thenComparing(CallInfo::callId));
        return out;
    }

    /** One call with its timeline and transcript. */
    public synchronized Optional<CallView> callView(String callId) {
        Call c = calls.get(callId);
        if (c == null || c.agentId == null) {
            return Optional.empty();
        }
        List<Span> agent = lane(c, Role.AGENT);
        List<Span> customer = lane(c, Role.CUSTOMER);
        List<Marker> interruptions = new ArrayList<>();
        List<Marker> backchannels = new ArrayList<>();
        List<Span> deadAir = new ArrayList<>();
        if (c.latest != null) {
            for (InterruptionDetected i : c.latest.getInterruptions()) {
                interruptions.add(new Marker(i.getBy(), i.getStartMs(), i.getOverlapMs(), i.getByWords().toString()));
            }
            for (BackchannelDetected b : c.latest.getBackchannels()) {
                backchannels.add(new Marker(b.getBy(), b.getStartMs(), b.getEndMs() - b.getStartMs(),
                        b.getText().toString()));
            }
            for (DeadAirDetected d : c.latest.getDeadAir()) {
                deadAir.add(new Span(d.getStartMs(), d.getEndMs()));
            }
        }
        List<TranscriptLine> lines = new ArrayList<>(c.transcript.values());
        lines.sort(Comparator.comparingLong(TranscriptLine::startMs));
        List<Behaviour> behaviours = new ArrayList<>();
        List<ToneEvent> tones = new ArrayList<>();
        List<Note> coaching = new ArrayList<>();
        Score score = null;
        Map<String, Double> speakingRate = new TreeMap<>();
        if (c.latest != null) {
            for (io.earshot.schemas.VoiceBaseline b : c.latest.getVoiceBaselines()) {
                if (b.getSpeakingRateWpm() != null) {
                    speakingRate.put(b.getRole().name(), b.getSpeakingRateWpm());
                }
            }
            for (BehaviourDetected b : c.latest.getBehaviours()) {
                behaviours.add(new Behaviour(b.getBy(), b.getKind().toString(), b.getStartMs(), b.getEndMs(),
                        b.getText().toString(), b.getReason().toString()));
            }
            for (ToneEventDetected t : c.latest.getToneEvents()) {
                Map<String, Double> values = new TreeMap<>();
                t.getValues().forEach((k, v) -> values.put(k.toString(), v));
                tones.add(new ToneEvent(t.getBy(), t.getKind().toString(), t.getStartMs(), t.getEndMs(), values));
            }
            for (CoachingNote n : c.latest.getCoaching()) {
                coaching.add(new Note(n.getKind().toString(), n.getAtMs(), n.getMessage().toString()));
            }
            score = Score.of(c.latest.getListeningScore());
        }
        return Optional.of(new CallView(c.info(), agent, customer, overlaps(agent, customer), interruptions,
                backchannels, deadAir, lines, behaviours, tones, score, coaching, speakingRate));
    }

    /** The nudges for {@code agentId} after sequence number {@code afterSeq}, oldest first. */
    public synchronized List<NudgeRules.Nudge> nudgesAfter(String agentId, long afterSeq) {
        List<NudgeRules.Nudge> out = new ArrayList<>();
        for (NudgeRules.Nudge n : nudges) {
            if (n.seq() > afterSeq && n.agentId().equals(agentId)) {
                out.add(n);
            }
        }
        return out;
    }

    /** The sequence number of the newest nudge kept (0 before the first). */
    public synchronized long lastNudgeSeq() {
        return nudges.isEmpty() ? 0 : nudges.peekLast().seq();
    }

    private static List<Span> lane(Call c, Role role) {
        List<Span> spans = new ArrayList<>(c.spurts.get(role));
        Long open = c.speaking.get(role).openSinceMs();
        if (open != null && c.positionMs > open) {
            spans.add(new Span(open, c.positionMs));
        }
        return spans;
    }

    /** The stretches in which both lanes have speech; each lane sorted by start. */
    static List<Span> overlaps(List<Span> a, List<Span> b) {
        List<Span> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            long start = Math.max(a.get(i).startMs(), b.get(j).startMs());
            long end = Math.min(a.get(i).endMs(), b.get(j).endMs());
            if (start < end) {
                out.add(new Span(start, end));
            }
            if (a.get(i).endMs() < b.get(j).endMs()) {
                i++;
            } else {
                j++;
            }
        }
        return out;
    }

    /** The live-window series of an agent or team (oldest first); empty when none arrived. */
    public synchronized List<WindowPoint> series(AggregationScope scope, String key) {
        Deque<WindowPoint> points = series.get(scope + ":" + key);
        return points == null ? List.of() : List.copyOf(points);
    }

    /**
     * The live-window series of an agent or team as a viewer who sees the teams {@code canSeeTeam}
     * accepts may see it: an agent's points only while the agent took no call for another team.
     */
    public synchronized List<WindowPoint> series(AggregationScope scope, String key, Predicate<String> canSeeTeam) {
        List<WindowPoint> all = series(scope, key);
        Agent a = scope == AggregationScope.AGENT ? agents.get(key) : null;
        if (a == null) {
            return all;
        }
        return all.stream().filter(p -> windowVisible(a, p, canSeeTeam)).toList();
    }

    /**
     * The team of an agent: the roster's when one is configured and names the agent, else the
     * team of the agent's latest call, if the floor knows the agent.
     */
    public synchronized Optional<String> teamOf(String agentId) {
        String rostered = rosterTeams.get(agentId);
        if (rostered != null) {
            return Optional.of(rostered);
        }
        Agent a = agents.get(agentId);
        return a == null ? Optional.empty() : Optional.ofNullable(a.team);
    }
}
