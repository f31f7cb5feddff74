package io.earshot.pipeline.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.events.SegmentItem;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.events.WordItem;
import io.earshot.analysis.listening.Behaviour;
import io.earshot.analysis.listening.CallListening;
import io.earshot.analysis.listening.CoachingNote;
import io.earshot.analysis.listening.ListeningScore;
import io.earshot.analysis.listening.ScoreComponent;
import io.earshot.analysis.listening.ToneEvent;
import io.earshot.analysis.listening.VoiceBaseline;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.ConversationEvents;
import io.earshot.analysis.metrics.MetricsConfig;

/** The JSON view of a call summary: field names are a contract with analysts and integrators. */
final class SummaryJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SummaryJson() {
    }

    static ObjectNode of(CallSummary s) {
        CallMetrics m = s.metrics();
        ObjectNode root = F.objectNode();
        root.put("callId", s.callId());
        root.put("agentId", s.agentId());
        root.put("team", s.team());
        root.put("queue", s.queue());
        root.put("durationMs", m.durationMs());
        root.put("agentTalkMs", m.agentTalkMs());
        root.put("customerTalkMs", m.customerTalkMs());
        root.put("overlapMs", m.overlapMs());
        root.put("silenceMs", m.silenceMs());
        number(root, "agentTalkShare", m.agentTalkShare(), 4);
        ArrayNode segments = root.putArray("segments");
        for (SegmentItem seg : s.segments()) {
            ObjectNode n = segments.addObject();
            n.put("role", seg.role().name());
            n.put("startMs", seg.startMs());
            n.put("endMs", seg.endMs());
            number(n, "pitchMedianHz", seg.pitchMedianHz(), 1);
            number(n, "pitchRangeSemitones", seg.pitchRangeSemitones(), 2);
            number(n, "loudnessDbfs", seg.loudnessDbfs(), 2);
        }
        ArrayNode interruptions = root.putArray("interruptions");
        for (ConversationEvents.Interruption i : m.interruptions()) {
            ObjectNode n = interruptions.addObject();
            n.put("by", i.by().name());
            n.put("of", i.of().name());
            n.put("startMs", i.startMs());
            n.put("overlapMs", i.overlapMs());
            n.put("successful", i.successful());
            n.put("byWords", i.byWords());
            n.put("ofWords", i.ofWords());
        }
        ArrayNode backchannels = root.putArray("backchannels");
        for (ConversationEvents.Backchannel b : m.backchannels()) {
            ObjectNode n = backchannels.addObject();
            n.put("by", b.by().name());
            n.put("startMs", b.startMs());
            n.put("endMs", b.endMs());
            n.put("text", b.text());
        }
        ArrayNode gaps = root.putArray("responseGaps");
        for (ConversationEvents.ResponseGap g : m.responseGaps()) {
            ObjectNode n = gaps.addObject();
            n.put("customerEndMs", g.customerEndMs());
            n.put("agentStartMs", g.agentStartMs());
            n.put("gapMs", g.gapMs());
            n.put("respected", g.respected());
        }
        ArrayNode intrusions = root.putArray("pauseIntrusions");
        for (ConversationEvents.PauseIntrusion p : m.pauseIntrusions()) {
            ObjectNode n = intrusions.addObject();
            n.put("customerPauseStartMs", p.customerPauseStartMs());
            n.put("agentStartMs", p.agentStartMs());
            n.put("customerResumeMs", p.customerResumeMs());
        }
        ArrayNode dead = root.putArray("deadAir");
        for (ConversationEvents.Silence d : m.deadAir()) {
            ObjectNode n = dead.addObject();
            n.put("startMs", d.startMs());
            n.put("endMs", d.endMs());
        }
        number(root, "pauseRespectRate", m.pauseRespectRate(), 4);
        number(root, "meanResponseGapMs", m.meanResponseGapMs(), 1);
        number(root, "agentInterruptionsPer10Min", m.agentInterruptionsPer10Min(), 3);
        root.put("agentInterruptions", m.interruptions().stream().filter(i -> i.by() == io.earshot.schemas.Role.AGENT).count());
        root.put("longestAgentMonologueMs", m.longestAgentMonologueMs());
        root.put("longestCustomerStoryMs", m.longestCustomerStoryMs());
        root.set("transcript", transcript(s.transcript()));
        root.set("thresholds", thresholds(m.config()));
        if (s.listening() != null) {
            listening(root, s.listening());
        }
        root.put("redaction", s.redaction());
        return root;
    }

    /** Behaviours, tone, the listening score and coaching notes (docs/metrics.md). */
    static void listening(ObjectNode root, CallListening l) {
        ArrayNode behaviours = root.putArray("behaviours");
        for (Behaviour b : l.behaviours()) {
            ObjectNode n = behaviours.addObject();
            n.put("by", b.by().name());
            n.put("kind", b.kind().label());
            n.put("startMs", b.startMs());
            n.put("endMs", b.endMs());
            n.put("text", b.text());
            n.put("reason", b.reason());
        }
        ArrayNode tone = root.putArray("toneEvents");
        for (ToneEvent e : l.tone().events()) {
            ObjectNode n = tone.addObject();
            n.put("by", e.by().name());
            n.put("kind", e.kind().label());
            n.put("startMs", e.startMs());
            n.put("endMs", e.endMs());
            e.values().forEach((k, v) -> number(n, k, v, 2));
        }
        ObjectNode rate = root.putObject("speakingRateWpm");
        number(rate, "AGENT", l.tone().agent().speakingRateWpm(), 1);
        number(rate, "CUSTOMER", l.tone().customer().speakingRateWpm(), 1);
        ArrayNode baselines = root.putArray("voiceBaselines");
        for (VoiceBaseline b : java.util.List.of(l.tone().agent(), l.tone().customer())) {
            ObjectNode n = baselines.addObject();
            n.put("role", b.role().name());
            number(n, "pitchSemitones", b.pitchSemitones(), 2);
            number(n, "loudnessDbfs", b.loudnessDbfs(), 2);
            number(n, "speakingRateWpm", b.speakingRateWpm(), 1);
            n.put("speechMs", b.speechMs());
            n.put("words", b.words());
        }
        root.set("listeningScore", score(l.score()));
        ArrayNode coaching = root.putArray("coaching");
        for (CoachingNote c : l.coaching()) {
            ObjectNode n = coaching.addObject();
            n.put("kind", c.kind());
            n.put("atMs", c.atMs());
            n.put("message", c.message());
        }
    }

    /** A listening score: the score, each component's value, weight and points, the thresholds. */
    static ObjectNode score(ListeningScore score) {
        ObjectNode n = F.objectNode();
        number(n, "score", score.score(), 1);
        ArrayNode components = n.putArray("components");
        for (ScoreComponent c : score.components()) {
            ObjectNode k = components.addObject();
            k.put("name", c.name());
            number(k, "value", c.value(), 4);
            k.put("weight", c.weight());
            number(k, "points", c.points(), 2);
        }
        ObjectNode thresholds = n.putObject("thresholds");
        score.thresholds().forEach(thresholds::put);
        return n;
    }

    /** Utterances with their words: the same shape in {@code segments} and {@code analyze} output. */
    static ArrayNode transcript(java.util.List<UtteranceItem> utterances) {
        ArrayNode transcript = F.arrayNode();
        for (UtteranceItem u : utterances) {
            ObjectNode n = transcript.addObject();
            n.put("role", u.role().name());
            n.put("startMs", u.startMs());
            n.put("endMs", u.endMs());
            n.put("text", u.text());
            ArrayNode words = n.putArray("words");
            for (WordItem w : u.words()) {
                ObjectNode wn = words.addObject();
                wn.put("word", w.word());
                wn.put("startMs", w.startMs());
                wn.put("endMs", w.endMs());
                number(wn, "conf", w.conf(), 3);
            }
        }
        return transcript;
    }

    /** One agent, team or queue window: sums kept so analysts can re-divide, rates derived. */
    static ObjectNode window(io.earshot.analysis.windows.WindowMetrics w) {
        ObjectNode n = F.objectNode();
        n.put("scope", w.scope().name());
        n.put("key", w.key());
        n.put("window", w.window().name());
        n.put("windowStart", java.time.Instant.ofEpochMilli(w.windowStartMs()).toString());
        n.put("windowEnd", java.time.Instant.ofEpochMilli(w.windowEndMs()).toString());
        n.set("totals", new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(w.totals()));
        number(n, "agentTalkShare", w.agentTalkShare(), 4);
        number(n, "agentInterruptionsPer10Min", w.agentInterruptionsPer10Min(), 3);
        number(n, "pauseRespectRate", w.pauseRespectRate(), 4);
        number(n, "meanResponseGapMs", w.meanResponseGapMs(), 1);
        if (w.listeningScore() != null) {
            n.set("listeningScore", score(w.listeningScore()));
        }
        return n;
    }

    static ObjectNode thresholds(MetricsConfig c) {
        ObjectNode n = F.objectNode();
        n.put("interruptionMinOnsetMs", c.interruptionMinOnsetMs());
        n.put("interruptionMinOverlapMs", c.interruptionMinOverlapMs());
        n.put("interruptionSuccessWithinMs", c.interruptionSuccessWithinMs());
        n.put("backchannelMaxMs", c.backchannelMaxMs());
        n.put("backchannelTokenMaxMs", c.backchannelTokenMaxMs());
        n.put("continuationMs", c.continuationMs());
        ArrayNode tokens = n.putArray("backchannelTokens");
        c.backchannelTokens().forEach(tokens::add);
        n.put("pauseRespectMinGapMs", c.pauseRespectMinGapMs());
        n.put("pauseIntrusionResumeWithinMs", c.pauseIntrusionResumeWithinMs());
        n.put("deadAirMinMs", c.deadAirMinMs());
        n.put("talkShareLow", c.talkShareLow());
        n.put("talkShareHigh", c.talkShareHigh());
        return n;
    }

    static void number(ObjectNode n, String field, double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            n.putNull(field);
        } else {
            double scale = Math.pow(10, decimals);
            n.put(field, Math.round(v * scale) / scale);
        }
    }
}
