package io.earshot.pipeline.api;

import java.time.Instant;
import java.util.List;

/**
 * What an agent does well and where to coach, over a range ({@code GET /api/agents/{id}/coaching}):
 * from the listening score of the agent's summed calls, the components that earned at least
 * {@link CallQueries#STRENGTH_MIN_FRACTION} of their weight (strengths) or at most
 * {@link CallQueries#GAP_MAX_FRACTION} (gaps), components without data being neither; and the
 * kinds of coaching note the calls got, most frequent first.
 *
 * @param calls          the calls summed
 * @param listeningScore the score of the summed calls
 */
public record AgentCoaching(String agentId, Instant from, Instant to, long calls, ListeningScoreView listeningScore,
        List<ListeningScoreView.Component> strengths, List<ListeningScoreView.Component> gaps, List<NoteKind> notes) {

    public AgentCoaching {
        strengths = List.copyOf(strengths);
        gaps = List.copyOf(gaps);
        notes = List.copyOf(notes);
    }

    /**
     * One kind of coaching note.
     *
     * @param count   how many notes of this kind the calls got
     * @param example the most recent one: latest call, then latest in the call
     */
    public record NoteKind(String kind, long count, Example example) {
    }

    public record Example(String callId, long atMs, String message) {
    }
}
