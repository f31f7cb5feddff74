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
        int moved = 0;
        for (int call = 0; call < 200; call++) {
            List<Entry> state = new ArrayList<>();
            CallDynamicsFunction.Known<String> known = new CallDynamicsFunction.Known<>();
            long watermark = 0;
            List<String> last = List.of();
            long lastKnownBy = Long.MIN_VALUE;
            boolean readAgain = false; // an earlier time than the last read it all again since the last taken
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
                readAgain |= knownBy < lastKnownBy;
                lastKnownBy = knownBy;
                if (random.nextInt(8) == 0) { // a summary that failed after taking the items:
                    continue; // what is unchanged is still counted from the last one taken
                }
                assertThat(taken).as("call %d round %d", call, round).isEqualTo(everyEntry(state, knownBy));
                // what it reports unchanged is the last list's, item for item; all of it when
                // the new items all came after it
                int unchanged = known.unchanged();
                assertThat(unchanged).as("call %d round %d", call, round).isBetween(0, Math.min(last.size(),
                        taken.size()));
                for (int i = 0; i < unchanged; i++) {
                    assertThat(taken.get(i)).as("call %d round %d at %d", call, round, i).isSameAs(last.get(i));
                }
                if (!readAgain && taken.size() >= last.size()
                        && taken.subList(0, last.size()).equals(last)) {
                    assertThat(unchanged).as("call %d round %d", call, round).isEqualTo(last.size());
                } else {
                    moved++;
                }
                last = List.copyOf(taken);
                readAgain = false;
                known.taken();
            }
            assertThat(known.upTo(given(state, asList), Entry::knownAtMs, Entry::item, Long.MAX_VALUE))
                    .isEqualTo(everyEntry(state, Long.MAX_VALUE));
        }
        assertThat(moved).as("summaries in which a late entry moved others").isGreaterThan(100);
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
