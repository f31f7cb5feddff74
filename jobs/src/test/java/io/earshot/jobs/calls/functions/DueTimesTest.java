package io.earshot.jobs.calls.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@link CallDynamicsFunction.Due}: the event times known after a running value, against a sorted set. */
class DueTimesTest {

    @Test
    void keepsTheTimesInOrderAsTheyComeAndGo() {
        Random random = new Random(3);
        for (int call = 0; call < 300; call++) {
            TreeSet<Long> expected = new TreeSet<>();
            long[] due = null;
            long watermark = random.nextInt(1000) - 500; // some calls on negative times
            int rounds = 1 + random.nextInt(80);
            for (int round = 0; round < rounds; round++) {
                // a burst: mostly ahead of the watermark and in order, some behind, some repeated
                int burst = random.nextInt(random.nextInt(10) == 0 ? 500 : 6);
                long t = watermark;
                for (int i = 0; i < burst; i++) {
                    t += random.nextInt(5) == 0 ? -random.nextInt(300) : random.nextInt(50);
                    due = CallDynamicsFunction.Due.add(due, t);
                    expected.add(t);
                }
                watermark += random.nextInt(random.nextInt(4) == 0 ? 5000 : 200);
                due = CallDynamicsFunction.Due.dropUpTo(due, watermark);
                expected.headSet(watermark, true).clear();
                assertThat(CallDynamicsFunction.Due.first(due)).as("call %d round %d", call, round)
                        .isEqualTo(expected.isEmpty() ? Long.MAX_VALUE : expected.first());
                assertThat(times(due)).isEqualTo(expected.stream().mapToLong(Long::longValue).toArray());
            }
        }
    }

    @Test
    void noTimesHaveNoFirst() {
        assertThat(CallDynamicsFunction.Due.first(null)).isEqualTo(Long.MAX_VALUE);
        assertThat(CallDynamicsFunction.Due.dropUpTo(null, 5)).isNull();
        long[] due = CallDynamicsFunction.Due.add(null, 7);
        assertThat(CallDynamicsFunction.Due.first(CallDynamicsFunction.Due.dropUpTo(due, 7))).isEqualTo(Long.MAX_VALUE);
    }

    private static long[] times(long[] due) {
        if (due == null) {
            return new long[0];
        }
        return java.util.Arrays.copyOfRange(due, 2 + (int) due[0], 2 + (int) due[1]);
    }
}
