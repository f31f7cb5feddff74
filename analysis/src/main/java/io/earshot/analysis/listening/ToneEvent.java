package io.earshot.analysis.listening;

import io.earshot.schemas.Role;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tone event with the values it was measured from (for a raised voice, say, the level, the
 * speaker's baseline and the excess in dB), in a stable order. An ordered map of values is taken
 * as it is, not copied (every running value of a long call makes its tone events again, and the
 * accessor hands out the map anyway): whoever makes an event leaves its map alone afterwards.
 */
public record ToneEvent(Role by, ToneKind kind, long startMs, long endMs, LinkedHashMap<String, Double> values)
        implements java.io.Serializable {

    public ToneEvent {
        java.util.Objects.requireNonNull(values, "values");
    }

    /** An event with its values in the order {@code values} gives them (copied unless already ordered). */
    public ToneEvent(Role by, ToneKind kind, long startMs, long endMs, Map<String, Double> values) {
        this(by, kind, startMs, endMs, values instanceof LinkedHashMap<String, Double> ordered ? ordered
                : new LinkedHashMap<>(values));
    }
}
