package io.earshot.analysis.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SharedList} against plain lists: seeded random sequences of lists made from lists made
 * before (as a call's settled part grows and each running value joins it with the rest), every
 * list checked after every step, so a write into a shared store that changed a list made earlier
 * fails; and the common prefix of any two of them, as a running value counts what it keeps of
 * the one before.
 */
class SharedListTest {

    private record Made(List<Integer> list, List<Integer> expected) {
    }

    @Test
    void everyListKeepsItsItemsWhateverIsMadeFromItOrItsStoreLater() {
        Random random = new Random(42);
        int next = 0;
        for (int round = 0; round < 300; round++) {
            List<Made> made = new ArrayList<>();
            List<Integer> start = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                start.add(next++);
            }
            made.add(new Made(SharedList.of(start), List.copyOf(start)));
            Made latest = made.get(0); // the one the store's owner builds on, as the memo's settled part
            for (int step = 0; step < 40; step++) {
                // mostly the latest, sometimes an older one (its store has moved on: must copy)
                Made from = random.nextInt(5) == 0 ? made.get(random.nextInt(made.size())) : latest;
                int keep = from.expected.size() - (from.expected.isEmpty() || random.nextBoolean() ? 0
                        : random.nextInt(Math.min(2, from.expected.size()) + 1));
                List<Integer> then = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    then.add(next++);
                }
                List<Integer> expected = new ArrayList<>(from.expected.subList(0, keep));
                expected.addAll(then);
                boolean build = random.nextBoolean();
                List<Integer> list = build ? SharedList.appended(from.list, keep, then)
                        : SharedList.joined(from.list, keep, then);
                Made m = new Made(list, List.copyOf(expected));
                made.add(m);
                if (build) {
                    latest = m;
                }
                then.clear(); // the caller's list is not the new one's
                for (Made each : made) {
                    assertThat(each.list).isEqualTo(each.expected);
                    assertThat(each.list.toArray()).containsExactly(each.expected.toArray());
                    // what a running value keeps of an earlier one, whichever lists they are
                    assertThat(SharedList.commonPrefix(each.list, m.list))
                            .isEqualTo(common(each.expected, m.expected))
                            .isEqualTo(SharedList.commonPrefix(m.list, each.list));
                }
            }
        }
    }

    @Test
    void theCommonPrefixComparesEqualItemsAfterTheSharedOnesAndStopsAtTheFirstDifference() {
        List<String> settled = SharedList.appended(SharedList.of(List.of()), 0, List.of("a", "b", "c"));
        // equal but not the same objects after the shared items: they still count
        List<String> one = SharedList.joined(settled, 3, List.of(new String("d"), "e", "f"));
        List<String> two = SharedList.joined(settled, 3, List.of(new String("d"), "e", "g", "h"));
        assertThat(SharedList.commonPrefix(one, two)).isEqualTo(5);
        assertThat(SharedList.commonPrefix(one, one)).isEqualTo(6);
        assertThat(SharedList.commonPrefix(one, settled)).isEqualTo(3);
        assertThat(SharedList.commonPrefix(List.of("x", "b"), two)).isZero();
        assertThat(SharedList.commonPrefix(new ArrayList<>(two), two)).isEqualTo(7);
        assertThat(SharedList.commonPrefix(List.of(), two)).isZero();
    }

    private static int common(List<?> a, List<?> b) {
        int n = 0;
        while (n < a.size() && n < b.size() && a.get(n).equals(b.get(n))) {
            n++;
        }
        return n;
    }

    @Test
    void aListOfAnotherKindIsCopiedAndASharedOneIsKept() {
        List<String> plain = new ArrayList<>(List.of("a", "b"));
        List<String> shared = SharedList.of(plain);
        plain.add("c");
        assertThat(shared).containsExactly("a", "b");
        assertThat(SharedList.of(shared)).isSameAs(shared);
        assertThatThrownBy(() -> shared.set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> shared.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SharedList.joined(shared, 3, List.of())).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SharedList.appended(shared, -1, List.of()))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aDeserializerFillsAnEmptyListAndJavaSerializationWritesThePlainItems() throws Exception {
        SharedList<String> filled = new SharedList<>();
        for (int i = 0; i < 20; i++) {
            filled.add("w" + i);
        }
        assertThat(filled).hasSize(20).startsWith("w0", "w1").endsWith("w19");

        List<String> grown = SharedList.appended(SharedList.appended(filled, 20, List.of("x", "y")), 22, List.of("z"));
        List<String> running = SharedList.joined(grown, 22, List.of("q"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(running);
        }
        Object back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = in.readObject();
        }
        assertThat(back).isInstanceOf(ArrayList.class).isEqualTo(running);
        assertThat(running).hasSize(23).endsWith("x", "y", "q");
    }
}
