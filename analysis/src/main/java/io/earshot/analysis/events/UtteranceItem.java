package io.earshot.analysis.events;

import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;

/** A transcribed utterance with its words (lists are plain ArrayLists for Flink's Kryo). */
public record UtteranceItem(Role role, long startMs, long endMs, String text, List<WordItem> words) {

    public UtteranceItem {
        words = new ArrayList<>(words);
    }
}
