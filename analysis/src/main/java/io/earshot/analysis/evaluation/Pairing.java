package io.earshot.analysis.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.ToLongBiFunction;

/**
 * One-to-one matching of labelled events to detected ones: a maximum matching (as many pairs
 * as the allowed pairings permit), so an early greedy pair can never cost a later event its
 * only partner. Among a truth event's candidates the nearest is tried first, and truth events
 * are taken in the order given (callers pass them in time order), so ties resolve the same way
 * every run.
 */
final class Pairing {

    private Pairing() {
    }

    /**
     * @return for each truth event the index of its detected partner, or -1 when it has none
     */
    static <T, D> int[] maximum(List<T> truth, List<D> detected, BiPredicate<T, D> allowed,
            ToLongBiFunction<T, D> distance) {
        List<int[]> candidates = new ArrayList<>();
        for (T t : truth) {
            List<Integer> c = new ArrayList<>();
            for (int j = 0; j < detected.size(); j++) {
                if (allowed.test(t, detected.get(j))) {
                    c.add(j);
                }
            }
            c.sort(Comparator.comparingLong((Integer j) -> distance.applyAsLong(t, detected.get(j))).thenComparing(j -> j));
            candidates.add(c.stream().mapToInt(Integer::intValue).toArray());
        }
        int[] partnerOfDetected = new int[detected.size()];
        Arrays.fill(partnerOfDetected, -1);
        for (int i = 0; i < truth.size(); i++) {
            augment(i, candidates, partnerOfDetected, new boolean[detected.size()]);
        }
        int[] partnerOfTruth = new int[truth.size()];
        Arrays.fill(partnerOfTruth, -1);
        for (int j = 0; j < partnerOfDetected.length; j++) {
            if (partnerOfDetected[j] >= 0) {
                partnerOfTruth[partnerOfDetected[j]] = j;
            }
        }
        return partnerOfTruth;
    }

    /** Kuhn's augmenting path from truth event {@code i}. */
    private static boolean augment(int i, List<int[]> candidates, int[] partnerOfDetected, boolean[] visited) {
        for (int j : candidates.get(i)) {
            if (!visited[j]) {
                visited[j] = true;
                if (partnerOfDetected[j] < 0 || augment(partnerOfDetected[j], candidates, partnerOfDetected, visited)) {
                    partnerOfDetected[j] = i;
                    return true;
                }
            }
        }
        return false;
    }
}
