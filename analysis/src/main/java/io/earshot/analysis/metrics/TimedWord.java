package io.earshot.analysis.metrics;

import io.earshot.schemas.Role;

/** A recognised word of one party with its media-time span. */
public record TimedWord(Role role, String word, long startMs, long endMs) {
}
