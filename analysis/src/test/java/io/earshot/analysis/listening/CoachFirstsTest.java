package io.earshot.analysis.listening;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.metrics.SharedList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The agent's first behaviours a call's coaching keeps from summary to summary
 * ({@link Coach.Kept#firsts}) against reading each summary's list from its start, over the
 * seeded list sequences of {@link ListeningCountsTest}.
 */
class CoachFirstsTest {

    @Test
    void keptFirstsEqualTheFirstsReadFromTheStartAfterEverySummary() {
        Random random = new Random(11);
        int continued = 0;
        for (int call = 0; call < 200; call++) {
            Coach.Kept kept = new Coach.Kept();
            List<Behaviour> behaviours = SharedList.of(List.of());
            for (int summary = 0; summary < 40; summary++) {
                List<Behaviour> next = ListeningCountsTest.next(behaviours, random, ListeningCountsTest::behaviour);
                continued += next != behaviours && summary > 0 ? 1 : 0;
                behaviours = next;
                Coach.Firsts got = kept.firsts(behaviours);
                Coach.Firsts want = Coach.Firsts.of(behaviours);
                for (BehaviourKind kind : BehaviourKind.values()) {
                    assertThat(got.first(kind)).as("call %d, summary %d, %s", call, summary, kind)
                            .isEqualTo(want.first(kind));
                }
                assertThat(got.firstConfirmation()).as("call %d, summary %d", call, summary)
                        .isEqualTo(want.firstConfirmation());
            }
        }
        assertThat(continued).isGreaterThan(4_000);
    }
}
