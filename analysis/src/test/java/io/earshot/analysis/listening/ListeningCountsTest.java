package io.earshot.analysis.listening;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.metrics.SharedList;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The counts a call's summaries keep ({@link ListeningCounts.Kept}) against counting each
 * summary's lists whole: seeded sequences of lists as a call's summaries give them, growing at
 * the end, their last items revised or dropped, sometimes shared from a store of settled items,
 * sometimes plain copies, sometimes the same list again.
 */
class ListeningCountsTest {

    @Test
    void keptCountsEqualTheWholeCountAfterEverySummary() {
        Random random = new Random(7);
        for (int call = 0; call < 100; call++) {
            ListeningCounts.Kept kept = new ListeningCounts.Kept();
            List<Behaviour> behaviours = SharedList.of(List.of());
            List<ToneEvent> tone = SharedList.of(List.of());
            for (int summary = 0; summary < 60; summary++) {
                behaviours = next(behaviours, random, ListeningCountsTest::behaviour);
                tone = next(tone, random, ListeningCountsTest::toneEvent);
                assertThat(kept.of(behaviours, tone)).as("call %d, summary %d", call, summary)
                        .isEqualTo(ListeningCounts.of(behaviours, tone));
            }
        }
    }

    /**
     * The list of the next summary: the same one, or some of its last items revised or dropped
     * and new ones added.
     */
    static <T> List<T> next(List<T> list, Random random, java.util.function.Function<Random, T> item) {
        if (random.nextInt(4) == 0) {
            return list;
        }
        int keep = Math.max(0, list.size() - random.nextInt(3));
        List<T> then = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            then.add(item.apply(random));
        }
        return switch (random.nextInt(3)) {
            case 0 -> SharedList.appended(list, keep, then);
            case 1 -> SharedList.joined(list, keep, then);
            default -> {
                List<T> copy = new ArrayList<>(list.subList(0, keep));
                copy.addAll(then);
                yield copy;
            }
        };
    }

    static Behaviour behaviour(Random random) {
        BehaviourKind[] kinds = BehaviourKind.values();
        long at = random.nextInt(600_000);
        return new Behaviour(random.nextBoolean() ? Role.AGENT : Role.CUSTOMER, kinds[random.nextInt(kinds.length)],
                at, at + 900, "words", "rule");
    }

    private static ToneEvent toneEvent(Random random) {
        ToneKind[] kinds = ToneKind.values();
        long at = random.nextInt(600_000);
        LinkedHashMap<String, Double> values = new LinkedHashMap<>();
        values.put("excessDb", (double) random.nextInt(12));
        return new ToneEvent(random.nextBoolean() ? Role.AGENT : Role.CUSTOMER, kinds[random.nextInt(kinds.length)],
                at, at + 2_000, values);
    }
}
