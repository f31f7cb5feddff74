package io.earshot.jobs.calls.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link CallDynamicsFunction.Known}: the items known by a time, against reading every entry. */
class KnownEntriesTest {

    private record Entry(long knownAtMs, String item) {
    }

    private static List<String> everyEntry(List<Entry> state, long knownBy) {
        List<String> out = new ArrayList<>();
        for (Entry e : state) {
            if (e.knownAtMs() <= knownBy) {
                out.add(e.item());
            }
        }
        return out;
    }

    /** The state as a list (a state on the heap gives one) or only as entries to walk (as others do). */
    private static Iterable<Entry> given(List<Entry> state, boolean asList) {
        return asList ? state : state::iterator;
    }

    @Test
    void entriesArrivingOutOfOrderAreTakenWhenTheirTimeComes() {
        entriesArrivingOutOfOrder(true);
        entriesArrivingOutOfOrder(false);
    }

    private void entriesArrivingOutOfOrder(boolean asList) {
        Random random = new Random(11);
        for (int call = 0; call < 200; call++) {
            List<Entry> state = new ArrayList<>();
            CallDynamicsFunction.Known<String> known = new CallDynamicsFunction.Known<>();
            long watermark = 0;
            for (int round = 0; round < 60; round++) {
                // entries arrive up to 2 s ahead of the summaries' time and up to 1 s behind it
                int arriving = random.nextInt(4);
                for (int i = 0; i < arriving; i++) {
                    long at = watermark - 1000 + random.nextInt(3000);
                    state.add(new Entry(at, call + ":" + state.size()));
                }
                // mostly later times, sometimes the same, now and then an earlier one
                int step = random.nextInt(10);
                long knownBy = step == 0 ? watermark - random.nextInt(1500) : step == 1 ? watermark
                        : watermark + random.nextInt(600);
                watermark = Math.max(watermark, knownBy);
                List<String> taken = known.upTo(given(state, asList), Entry::knownAtMs, Entry::item, knownBy);
                assertThat(taken).as("call %d round %d", call, round).isEqualTo(everyEntry(state, knownBy));
            }
            assertThat(known.upTo(given(state, asList), Entry::knownAtMs, Entry::item, Long.MAX_VALUE))
                    .isEqualTo(everyEntry(state, Long.MAX_VALUE));
        }
    }

    @Test
    void aStateWithFewerEntriesThanTakenIsReadAgain() {
        for (boolean asList : new boolean[] {true, false}) {
            CallDynamicsFunction.Known<String> known = new CallDynamicsFunction.Known<>();
            List<Entry> state = List.of(new Entry(1, "a"), new Entry(2, "b"), new Entry(3, "c"));
            assertThat(known.upTo(given(state, asList), Entry::knownAtMs, Entry::item, 10))
                    .containsExactly("a", "b", "c");

            List<Entry> other = List.of(new Entry(5, "x"), new Entry(20, "y"));
            assertThat(known.upTo(given(other, asList), Entry::knownAtMs, Entry::item, 10)).containsExactly("x");
            assertThat(known.upTo(given(other, asList), Entry::knownAtMs, Entry::item, 30))
                    .containsExactly("x", "y");
        }
    }
}
