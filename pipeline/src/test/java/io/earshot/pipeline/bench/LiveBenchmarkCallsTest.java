package io.earshot.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.pipeline.simulate.SimulatedCall;
import io.earshot.pipeline.simulate.SimulatedCall.Recording;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveBenchmarkCallsTest {

    private static final int RATE = SimulatedCall.SAMPLE_RATE;

    @Test
    void shouldRepeatACallWholeUntilItLastsAtLeastTheSecondsAsked() {
        short[] agent = new short[RATE * 7 + 3];
        short[] customer = new short[agent.length];
        for (int i = 0; i < agent.length; i++) {
            agent[i] = (short) i;
            customer[i] = (short) -i;
        }
        Recording r = new Recording("call", agent, customer);

        Recording longer = LiveBenchmark.lengthened(r, 20);

        // three whole copies: two would be 14 s
        assertThat(longer.samples()).isEqualTo(3 * agent.length);
        assertThat(longer.stem()).isEqualTo("call");
        for (int copy = 0; copy < 3; copy++) {
            int from = copy * agent.length;
            assertThat(Arrays.copyOfRange(longer.agent(), from, from + agent.length)).isEqualTo(agent);
            assertThat(Arrays.copyOfRange(longer.customer(), from, from + agent.length)).isEqualTo(customer);
        }
    }

    @Test
    void shouldKeepACallThatIsLongEnoughAsItIs() {
        Recording r = new Recording("call", new short[RATE * 30], new short[RATE * 30]);

        assertThat(LiveBenchmark.lengthened(r, 30)).isSameAs(r);
        assertThat(LiveBenchmark.lengthened(r, 0)).isSameAs(r);
        assertThat(LiveBenchmark.lengthened(r, 31).samples()).isEqualTo(2 * RATE * 30);
    }

    @Test
    void shouldStartEachCopyOfARecordingAtAnotherPointOfItWithBothPartiesShiftedAlike() {
        Recording a = ramp("a", 1000);
        Recording b = ramp("b", 600);

        // seven calls over two recordings: a four times (calls 0, 2, 4, 6), b three times
        List<Recording> calls = LiveBenchmark.staggeredCopies(List.of(a, b), 7);

        assertThat(calls).hasSize(7);
        assertThat(calls).extracting(Recording::stem).containsExactly("a", "b", "a", "b", "a", "b", "a");
        assertThat(calls.get(0)).isSameAs(a);
        assertThat(calls.get(1)).isSameAs(b);
        int[] startsOfA = {0, 250, 500, 750};
        for (int copy = 0; copy < 4; copy++) {
            assertRotation(calls.get(2 * copy), a, startsOfA[copy]);
        }
        int[] startsOfB = {0, 200, 400};
        for (int copy = 0; copy < 3; copy++) {
            assertRotation(calls.get(2 * copy + 1), b, startsOfB[copy]);
        }
    }

    @Test
    void shouldStreamTheRecordingsAsTheyAreWhenEachIsUsedOnce() {
        Recording a = ramp("a", 100);
        Recording b = ramp("b", 100);

        assertThat(LiveBenchmark.staggeredCopies(List.of(a, b), 2)).containsExactly(a, b);
        assertThat(LiveBenchmark.staggeredCopies(List.of(a, b), 1)).containsExactly(a);
    }

    /** A recording whose agent sample i is i and customer sample -i. */
    private static Recording ramp(String stem, int samples) {
        short[] agent = new short[samples];
        short[] customer = new short[samples];
        for (int i = 0; i < samples; i++) {
            agent[i] = (short) i;
            customer[i] = (short) -i;
        }
        return new Recording(stem, agent, customer);
    }

    private static void assertRotation(Recording copy, Recording of, int start) {
        int n = of.samples();
        assertThat(copy.samples()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(copy.agent()[i]).as("agent sample %d of the copy from %d", i, start)
                    .isEqualTo(of.agent()[(start + i) % n]);
            assertThat(copy.customer()[i]).as("customer sample %d of the copy from %d", i, start)
                    .isEqualTo(of.customer()[(start + i) % n]);
        }
    }

    @Test
    void shouldRefuseNegativeSeconds() {
        assertThatThrownBy(() -> new LiveBenchmark(null, null, null).withCallSeconds(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }
}
