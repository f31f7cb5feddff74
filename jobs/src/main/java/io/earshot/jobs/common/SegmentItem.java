package io.earshot.jobs.common;

import io.earshot.schemas.Role;

/** A talk spurt with its tone, as kept in a call's state and shown in its summary. */
public record SegmentItem(Role role, long startMs, long endMs, double pitchMedianHz, double pitchRangeSemitones,
        double loudnessDbfs) {
}
