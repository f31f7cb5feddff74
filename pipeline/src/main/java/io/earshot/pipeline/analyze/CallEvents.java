package io.earshot.pipeline.analyze;

import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.asr.Word;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.dsp.SpeechSegment;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.ContourBlock;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.events.WordItem;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what speech ingest found in a recording into the events the metric job consumes,
 * stamped as a live call would have produced them: each spurt and utterance at the media
 * time it ended, counted from {@code mediaStartEpochMs}.
 */
public final class CallEvents {

    private CallEvents() {
    }

    /** An ingest utterance in the job's terms. */
    public static UtteranceItem item(Utterance u) {
        List<WordItem> words = new ArrayList<>();
        for (Word w : u.words()) {
            words.add(new WordItem(w.word(), w.startMs(), w.endMs(), w.conf()));
        }
        return new UtteranceItem(u.role(), u.startMs(), u.endMs(), u.text(), words);
    }

    /** An ingest spurt's tone contour in media time. */
    public static List<ContourBlock> contour(SpeechSegment s) {
        int n = s.contour().size();
        double[] loudness = new double[n];
        double[] pitch = new double[n];
        for (int i = 0; i < n; i++) {
            loudness[i] = s.contour().get(i).loudnessDbfs();
            pitch[i] = s.contour().get(i).pitchSemitones();
        }
        return ContourBlock.onGrid(s.startMs(), s.endMs(), s.contourBlockMs(), loudness, pitch);
    }

    public static List<CallEvent> of(String callId, String agentId, String team, String queue, long mediaStartEpochMs,
            CallAnalysis analysis) {
        List<CallEvent> events = new ArrayList<>();
        CallEvent started = CallEvent.started(callId, agentId, team, queue, mediaStartEpochMs);
        started.redaction = analysis.redaction();
        events.add(started);
        for (SpeechSegment s : analysis.segments()) {
            CallEvent e = CallEvent.segment(callId, mediaStartEpochMs, s.role(), s.startMs(), s.endMs(),
                    s.pitchMedianHz(), s.pitchRangeSemitones(), s.loudnessDbfs());
            e.index = s.index();
            e.voicedRatio = s.voicedRatio();
            e.contourBlockMs = s.contourBlockMs();
            e.contour = new ArrayList<>(contour(s));
            events.add(e);
        }
        // utterances numbered per role in order of start, as live ingest numbers them
        java.util.Map<io.earshot.schemas.Role, Integer> next = new java.util.EnumMap<>(io.earshot.schemas.Role.class);
        List<Utterance> transcript = new ArrayList<>(analysis.transcript());
        transcript.sort(java.util.Comparator.comparingLong(Utterance::startMs));
        for (Utterance u : transcript) {
            UtteranceItem item = item(u);
            CallEvent e = CallEvent.utterance(callId, mediaStartEpochMs, u.role(), u.startMs(), u.endMs(), u.text(),
                    item.words());
            e.index = next.merge(u.role(), 1, Integer::sum) - 1;
            events.add(e);
        }
        events.add(CallEvent.ended(callId, mediaStartEpochMs, analysis.durationMs(), "end of recording"));
        events.sort(java.util.Comparator.comparingLong(e -> e.eventTimeMs));
        return events;
    }
}
