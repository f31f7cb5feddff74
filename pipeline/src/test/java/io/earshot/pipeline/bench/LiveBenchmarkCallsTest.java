package io.earshot.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.pipeline.simulate.SimulatedCall;
import io.earshot.pipeline.simulate.SimulatedCall.Recording;
import java.util.Arrays;
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
    void shouldRefuseNegativeSeconds() {
        assertThatThrownBy(() -> new LiveBenchmark(null, null, null).withCallSeconds(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }
}
