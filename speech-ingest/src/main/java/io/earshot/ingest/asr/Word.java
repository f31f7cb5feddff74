package io.earshot.ingest.asr;

/** A recognised word with its media-time span and the recogniser's confidence (0..1). */
public record Word(String word, long startMs, long endMs, double conf) {
}
