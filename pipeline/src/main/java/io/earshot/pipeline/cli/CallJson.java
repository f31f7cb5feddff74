package io.earshot.pipeline.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.dsp.SpeechSegment;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.pipeline.analyze.CallEvents;

/** The JSON view of a call's speech: field names are a contract with integrators. */
final class CallJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private CallJson() {
    }

    static ObjectNode of(CallAnalysis a) {
        ObjectNode root = F.objectNode();
        root.put("source", a.source());
        root.put("sampleRate", a.sampleRate());
        root.put("durationMs", a.durationMs());
        ArrayNode segments = root.putArray("segments");
        for (SpeechSegment s : a.segments()) {
            ObjectNode n = segments.addObject();
            n.put("role", s.role().name());
            n.put("startMs", s.startMs());
            n.put("endMs", s.endMs());
            number(n, "pitchMedianHz", s.pitchMedianHz(), 1);
            number(n, "pitchMedianSemitones", s.pitchMedianSemitones(), 2);
            number(n, "pitchRangeSemitones", s.pitchRangeSemitones(), 2);
            number(n, "loudnessDbfs", s.loudnessDbfs(), 2);
            number(n, "voicedRatio", s.voicedRatio(), 3);
        }
        root.set("transcript", SummaryJson.transcript(a.transcript().stream().map(CallEvents::item).toList()));
        root.set("vad", vad(a.vad()));
        return root;
    }

    static ObjectNode vad(VadConfig v) {
        ObjectNode n = F.objectNode();
        n.put("frameMs", v.frameMs());
        n.put("onsetAboveFloorDb", v.onsetAboveFloorDb());
        n.put("sustainAboveFloorDb", v.sustainAboveFloorDb());
        n.put("voicedReachMs", v.voicedReachMs());
        n.put("closureMs", v.closureMs());
        n.put("noiseWindowMs", v.noiseWindowMs());
        n.put("noiseFloorCeilingDbfs", v.noiseFloorCeilingDbfs());
        n.put("echoLagMs", v.echoLagMs());
        n.put("anchorBelowSpeechDb", v.anchorBelowSpeechDb());
        n.put("bridgeGapMs", v.bridgeGapMs());
        n.put("minSpurtMs", v.minSpurtMs());
        return n;
    }

    private static void number(ObjectNode n, String field, double v, int decimals) {
        SummaryJson.number(n, field, v, decimals);
    }
}
