package io.earshot.jobs.listening;

import io.earshot.jobs.common.UtteranceItem;
import java.io.Serializable;
import java.util.List;

/**
 * Finds listening behaviours in a call's transcript.
 *
 * <p>Placeholder of the shared interface; its content is being written.
 */
public final class BehaviourDetector implements Serializable {

    private static final long serialVersionUID = 1L;

    private final PhraseBook phrases;

    public BehaviourDetector(PhraseBook phrases) {
        this.phrases = phrases;
    }

    /**
     * The behaviours in {@code utterances} (final ones, sorted by start), in order of startMs.
     * An utterance's hits depend only on it and the utterances that started before it, so the
     * behaviours of a call so far never change when later speech arrives.
     */
    public List<Behaviour> detect(List<UtteranceItem> utterances) {
        return List.of();
    }
}
