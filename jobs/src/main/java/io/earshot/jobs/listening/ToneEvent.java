package io.earshot.jobs.listening;

import io.earshot.jobs.common.NamedValues;
import io.earshot.schemas.Role;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A tone event with the values it was measured from (for a raised voice, say, the level, the
 * speaker's baseline and the excess in dB), in a stable order.
 */
public record ToneEvent(Role by, ToneKind kind, long startMs, long endMs,
        @TypeInfo(NamedValues.Factory.class) LinkedHashMap<String, Double> values)
        implements java.io.Serializable {

    public ToneEvent {
        values = new LinkedHashMap<>(values);
    }

    public ToneEvent(Role by, ToneKind kind, long startMs, long endMs, Map<String, Double> values) {
        this(by, kind, startMs, endMs, new LinkedHashMap<>(values));
    }
}
