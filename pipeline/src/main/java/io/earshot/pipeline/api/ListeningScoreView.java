package io.earshot.pipeline.api;

import io.earshot.analysis.listening.ListeningScore;
import io.earshot.analysis.listening.ScoreComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A listening score as the API shows it (docs/metrics.md, "Listening score"): the same fields
 * as {@code analyze --format json}, with null wherever the score or a component's value cannot
 * be judged yet (JSON has no NaN).
 *
 * @param score      0 to 100, or null when no component could be judged
 * @param components every component in the score's order, counted or not
 * @param thresholds the thresholds and talk-share band the score was computed with
 */
public record ListeningScoreView(Double score, List<Component> components, Map<String, Double> thresholds) {

    public ListeningScoreView {
        components = List.copyOf(components);
        thresholds = thresholds == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
    }

    /**
     * One component.
     *
     * @param value  what was measured, null when there is nothing to judge yet
     * @param points what it earned, 0 to {@code weight}
     */
    public record Component(String name, Double value, double weight, double points) {

        /** Whether it counts in the score: it has a value and a weight. */
        boolean counted() {
            return value != null && weight > 0;
        }
    }

    /** The view of a score the API computed itself (aggregates, rankings). */
    static ListeningScoreView of(ListeningScore s) {
        return new ListeningScoreView(orNull(s.score()), s.components().stream()
                .map(ListeningScoreView::component).toList(), s.thresholds());
    }

    private static Component component(ScoreComponent c) {
        return new Component(c.name(), orNull(c.value()), c.weight(), c.points());
    }

    static Double orNull(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}
