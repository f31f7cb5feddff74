package io.earshot.analysis.events;

/** A recognised word: media-time span and confidence. */
public record WordItem(String word, long startMs, long endMs, double conf) {
}
