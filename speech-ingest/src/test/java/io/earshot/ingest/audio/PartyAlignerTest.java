package io.earshot.ingest.audio;

import static io.earshot.ingest.audio.TestSamples.concat;
import static io.earshot.ingest.audio.TestSamples.ramp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The aligner both two-party protocols share: Twilio's cases (millisecond jitter, a lagging
 * track, a stream of one track) and raw Kafka's (exact positions, a party that stops early, a
 * long gap, overlapping chunks).
 */
class PartyAlignerTest {

    private static final int RATE = 8000;
    private static final Set<Role> BOTH = EnumSet.allOf(Role.class);

    private final Released out = new Released();

    @Test
    void shouldReleaseOnlyWhatBothPartiesCover() {
        PartyAligner a = new PartyAligner(BOTH, RATE, 4000, 0);
        a.add(Role.AGENT, 0, ramp(1, 320));
        a.release(out);
        assertThat(out.blocks).isEmpty();
        assertThat(a.hasPending()).isTrue();

        a.add(Role.CUSTOMER, 0, ramp(1001, 160));
        a.release(out);

        assertThat(out.positions()).containsExactly(0L);
        assertThat(out.agent()).containsExactly(ramp(1, 160));
        assertThat(out.customer()).containsExactly(ramp(1001, 160));
        assertThat(a.releasedPosition()).isEqualTo(160);
    }

    @Test
    void shouldTakeAChunkWithinTheJitterOfItsPartysEndAsContiguous() {
        PartyAligner a = new PartyAligner(BOTH, RATE, 4000, 80);
        a.add(Role.AGENT, 0, ramp(1, 160));
        a.add(Role.CUSTOMER, 0, ramp(1001, 160));
        a.add(Role.AGENT, 168, ramp(161, 160)); // 1 ms late: appended where the agent ended
        a.add(Role.CUSTOMER, 152, ramp(1161, 160)); // 1 ms early: likewise, nothing doubled
        a.flush(out);

        assertThat(out.agent()).containsExactly(ramp(1, 320));
        assertThat(out.customer()).containsExactly(ramp(1001, 320));
        assertThat(out.contiguous()).isTrue();
    }

    @Test
    void shouldFillAGapWithSilenceWithoutStoringIt() {
        PartyAligner a = new PartyAligner(BOTH, RATE, 8000, 0);
        a.add(Role.AGENT, 0, ramp(1, 160));
        a.add(Role.CUSTOMER, 0, ramp(1001, 160));
        long gap = 60L * RATE; // a minute the source says was lost
        a.add(Role.AGENT, 160 + gap, ramp(161, 160));
        a.add(Role.CUSTOMER, 160 + gap, ramp(1161, 160));
        a.release(out);

        short[] agent = out.agent();
        assertThat(agent).hasSize((int) (320 + gap));
        assertThat(java.util.Arrays.copyOfRange(agent, 160, (int) (160 + gap))).containsOnly((short) 0);
        assertThat(java.util.Arrays.copyOfRange(agent, (int) (160 + gap), agent.length)).containsExactly(ramp(161, 160));
        assertThat(out.largestBlock()).as("silence made a second at a time").isLessThanOrEqualTo(RATE);
        assertThat(out.contiguous()).isTrue();
    }

    @Test
    void shouldReleaseTheLeadingPartyWithSilenceOnceTheOtherLagsBeyondTheBound() {
        PartyAligner a = new PartyAligner(BOTH, RATE, 4000, 0);
        for (int i = 0; i < 50; i++) { // a second of customer audio, nothing from the agent
            a.add(Role.CUSTOMER, 160L * i, ramp(1 + 160 * i, 160));
            a.release(out);
        }

        assertThat(a.releasedPosition()).isEqualTo(8000 - 4000);
        assertThat(out.customer()).containsExactly(ramp(1, 4000));
        assertThat(out.agent()).containsOnly((short) 0).hasSize(4000);
        assertThat(a.end(Role.AGENT)).as("the agent continues from the released position").isEqualTo(4000);
    }

    @Test
    void shouldDropOnlyTheLaggingPartysSamplesAlreadyGivenUpAndKeepTheRest() {
        PartyAligner a = new PartyAligner(BOTH, RATE, 4000, 0);
        for (int i = 0; i < 50; i++) {
            a.add(Role.CUSTOMER, 160L * i, ramp(1 + 160 * i, 160));
            a.release(out);
        }
        int dropped = a.add(Role.AGENT, 3920, ramp(1, 160)); // 3920..4080: 80 samples already released
        a.flush(out);

        assertThat(dropped).isEqualTo(80);
        short[] agent = out.agent();
        assertThat(java.util.Arrays.copyOfRange(agent, 0, 4000)).containsOnly((short) 0);
        assertThat(java.util.Arrays.copyOfRange(agent, 4000, 4080)).containsExactly(ramp(81, 80));
        assertThat(out.customer()).containsExactly(ramp(1, 8000));
    }

    @Test
    void shouldKeepTheFirstWriteWhenAPartysChunksOverlap() {
        PartyAligner a = new PartyAligner(BOTH, RATE, 4000, 8);
        a.add(Role.AGENT, 0, ramp(1, 160));
        int dropped = a.add(Role.AGENT, 100, ramp(5001, 160)); // overlaps 60 samples of its own audio

        a.add(Role.CUSTOMER, 0, new short[260]);
        a.flush(out);

        assertThat(dropped).isEqualTo(60);
        short[] agent = out.agent();
        assertThat(java.util.Arrays.copyOfRange(agent, 0, 160)).containsExactly(ramp(1, 160));
        assertThat(java.util.Arrays.copyOfRange(agent, 160, 260)).containsExactly(ramp(5061, 100));
        assertThat(a.add(Role.AGENT, 0, ramp(1, 160))).as("wholly released: all dropped").isEqualTo(160);
    }

    @Test
    void shouldFlowAheadOfAPartyThatEndedEarlyAndPadItAtTheEnd() {
        PartyAligner a = new PartyAligner(BOTH, RATE, 4000, 0);
        a.add(Role.AGENT, 0, ramp(1, 800));
        for (int i = 0; i < 100; i++) { // the agent hung up after 100 ms; the customer talks on for 2 s
            a.add(Role.CUSTOMER, 160L * i, ramp(1 + 160 * i, 160));
            a.release(out);
        }
        assertThat(a.releasedPosition()).isEqualTo(16_000 - 4000);
        a.flush(out);

        assertThat(out.customer()).containsExactly(ramp(1, 16_000));
        short[] agent = out.agent();
        assertThat(java.util.Arrays.copyOfRange(agent, 0, 800)).containsExactly(ramp(1, 800));
        assertThat(java.util.Arrays.copyOfRange(agent, 800, agent.length)).containsOnly((short) 0);
        assertThat(a.hasPending()).isFalse();
    }

    @Test
    void shouldNotWaitForAPartyTheStreamDoesNotCarry() {
        PartyAligner a = new PartyAligner(EnumSet.of(Role.CUSTOMER), RATE, 4000, 80);
        a.add(Role.CUSTOMER, 0, ramp(1, 160));
        a.release(out);

        assertThat(out.customer()).containsExactly(ramp(1, 160));
        assertThat(out.agent()).containsOnly((short) 0).hasSize(160);
        assertThatThrownBy(() -> a.add(Role.AGENT, 160, ramp(1, 160))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldHoldNoMoreThanTheLagBoundOfAnyParty() {
        PartyAligner a = new PartyAligner(BOTH, RATE, 4000, 0);
        for (int i = 0; i < 500; i++) { // ten seconds of agent audio, the customer silent
            a.add(Role.AGENT, 160L * i, ramp(1, 160));
            a.release(out);
            assertThat(a.end(Role.AGENT) - a.releasedPosition()).isLessThanOrEqualTo(4000);
        }
    }

    @Test
    void shouldRefuseANegativePosition() {
        PartyAligner a = new PartyAligner(BOTH, RATE, 4000, 0);
        assertThatThrownBy(() -> a.add(Role.AGENT, -1, ramp(1, 160))).isInstanceOf(IllegalArgumentException.class);
    }


    private static final class Released implements PartyAligner.Sink {
        final List<long[]> blocks = new ArrayList<>(); // position, length
        final List<short[]> agents = new ArrayList<>();
        final List<short[]> customers = new ArrayList<>();

        @Override
        public void accept(short[] agent, short[] customer, long positionSamples) {
            assertThat(agent).hasSameSizeAs(customer);
            blocks.add(new long[] {positionSamples, agent.length});
            agents.add(agent);
            customers.add(customer);
        }

        List<Long> positions() {
            return blocks.stream().map(b -> b[0]).toList();
        }

        boolean contiguous() {
            long next = 0;
            for (long[] b : blocks) {
                if (b[0] != next) {
                    return false;
                }
                next += b[1];
            }
            return true;
        }

        long largestBlock() {
            return blocks.stream().mapToLong(b -> b[1]).max().orElse(0);
        }

        short[] agent() {
            return concat(agents);
        }

        short[] customer() {
            return concat(customers);
        }
    }
}
