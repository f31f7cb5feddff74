package io.earshot.analysis.listening;

/**
 * One component of a listening score.
 *
 * @param name   the component ({@link ScoreConfig#COMPONENTS})
 * @param value  what was measured, in the component's unit (a rate, a share, a count per 10
 *               minutes); NaN when there is nothing to judge yet
 * @param weight the configured weight
 * @param points what the value earned, from 0 to {@code weight}; 0 and left out of the score when
 *               the value is NaN
 */
public record ScoreComponent(String name, double value, double weight, double points)
        implements java.io.Serializable {

    /** Whether the component counts in the score: it has a value and a weight. */
    public boolean counted() {
        return !Double.isNaN(value) && weight > 0;
    }
}
