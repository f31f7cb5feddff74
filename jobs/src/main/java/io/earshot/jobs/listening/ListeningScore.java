package io.earshot.jobs.listening;

import io.earshot.jobs.common.NamedValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A listening score from 0 to 100 with the components it is made of and the thresholds used.
 *
 * @param score      {@code 100 * sum(points) / sum(weight)} over the counted components, to one
 *                   decimal; NaN when no component can be judged yet
 * @param components every component, counted or not, in {@link ScoreConfig#COMPONENTS} order
 * @param thresholds the score's thresholds by configuration name ({@link ScoreConfig#thresholds()})
 *                   and the talk-share band it used
 */
public record ListeningScore(double score, List<ScoreComponent> components,
        @TypeInfo(NamedValues.Factory.class) LinkedHashMap<String, Double> thresholds)
        implements java.io.Serializable {

    public ListeningScore {
        components = new ArrayList<>(components);
        thresholds = new LinkedHashMap<>(thresholds);
    }

    /** The component of that name. */
    public ScoreComponent component(String name) {
        return components.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no component " + name));
    }
}
