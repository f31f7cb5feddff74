package io.earshot.analysis.listening;

import io.earshot.analysis.metrics.SharedList;
import java.util.ArrayList;
import java.util.List;

/**
 * How the agent listened on one call (or the call so far): the behaviours in the transcript,
 * the tone of both voices, the listening score and the coaching notes.
 */
public record CallListening(List<Behaviour> behaviours, ToneResult tone, ListeningScore score,
        List<CoachingNote> coaching, ListeningCounts counts) implements java.io.Serializable {

    /** The behaviours are kept read-only ({@link SharedList#of}: shared with the call's earlier summaries). */
    public CallListening {
        behaviours = SharedList.of(behaviours);
        coaching = new ArrayList<>(coaching);
    }
}
