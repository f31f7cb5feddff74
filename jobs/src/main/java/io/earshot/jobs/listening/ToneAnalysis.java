package io.earshot.jobs.listening;

import io.earshot.jobs.common.SegmentItem;
import io.earshot.jobs.common.UtteranceItem;
import io.earshot.schemas.Role;
import java.util.List;

/**
 * The tone of a call from its spurts' pitch and loudness and its words' timings.
 *
 * <p>Placeholder of the shared interface; its content is being written.
 */
public final class ToneAnalysis {

    private ToneAnalysis() {
    }

    /** Baselines and tone events of the call so far, from its spurts and final utterances (sorted by start). */
    public static ToneResult analyze(List<SegmentItem> segments, List<UtteranceItem> utterances, ToneConfig config) {
        return new ToneResult(VoiceBaseline.unknown(Role.AGENT), VoiceBaseline.unknown(Role.CUSTOMER), List.of());
    }
}
