package io.earshot.analysis.metrics;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A read-only list of a call's events so far that shares its leading items with the lists of
 * the call's earlier summaries: a running value of a long call so holds the call's hundreds of
 * interruptions, turns and behaviours without copying them, and what it adds costs what is new.
 *
 * <p>The leading items live in a store shared by the lists of one call's summaries, which only
 * ever grows at its end: a list reads the store's first {@code shared} items, which no later
 * write changes, then a few items of its own. {@link #joined} makes a list of another one's
 * leading items followed by new ones without touching the store (a running value: the call's
 * settled events, then those computed again); {@link #appended} makes one for the store's
 * owner to build on (the settled events, grown by a newly settled part), writing the new items
 * into the store when the list it extends is the store's latest, and copying otherwise. Every
 * list keeps its last item out of the store, so the next one may end before it (a turn that
 * goes on in the next part) and still extend the store in place.
 *
 * <p>Not synchronized: one call's summaries are computed in turn, and a list handed to another
 * thread is handed over as any other object is (its items are written before it is made).
 * {@link #add} exists for deserializers, which fill an empty list; nothing else changes one.
 */
public final class SharedList<T> extends AbstractList<T> implements RandomAccess, Serializable {
    private static final long serialVersionUID = 1L;
    private static final Object[] NONE = {};

    /** The items shared by the lists of one call's summaries; {@link #size} only grows. */
    private static final class Store {
        Object[] items;
        int size;

        Store(int capacity) {
            items = capacity == 0 ? NONE : new Object[capacity];
        }

        void push(Object item) {
            if (size == items.length) {
                // a bigger copy: the lists made before keep reading the old array, the same up to their size
                items = Arrays.copyOf(items, Math.max(16, 2 * size));
            }
            items[size++] = item;
        }
    }

    private transient Store store;
    /** The store's array when this list was made: its first {@link #shared} items are this list's first. */
    private transient Object[] items;
    private transient int shared;
    /** This list's own items after the shared ones: never the array of another list. */
    private transient Object[] own;
    private transient int ownSize;

    /** An empty list (for deserializers: fill it with {@link #add}). */
    public SharedList() {
        this(null, NONE, 0, NONE, 0);
    }

    private SharedList(Store store, Object[] items, int shared, Object[] own, int ownSize) {
        this.store = store;
        this.items = items;
        this.shared = shared;
        this.own = own;
        this.ownSize = ownSize;
    }

    /** {@code list} itself when it is a shared list (read-only already), otherwise a copy of it. */
    @SuppressWarnings("unchecked")
    public static <T> List<T> of(List<? extends T> list) {
        if (list instanceof SharedList<?>) {
            return (List<T>) list;
        }
        Object[] copy = list.toArray();
        return new SharedList<>(null, NONE, 0, copy, copy.length);
    }

    /**
     * The first {@code keep} items of {@code first}, then {@code then}'s: shares {@code first}'s
     * store and copies only its own items and {@code then}'s, when {@code first} is a shared
     * list and {@code keep} is at least what it shares; otherwise a copy. Nothing is written to
     * a store.
     */
    public static <T> List<T> joined(List<? extends T> first, int keep, List<? extends T> then) {
        Objects.checkIndex(keep, first.size() + 1);
        if (first instanceof SharedList<?> s && keep >= s.shared) {
            Object[] own = new Object[keep - s.shared + then.size()];
            System.arraycopy(s.own, 0, own, 0, keep - s.shared);
            int n = keep - s.shared;
            for (Object item : then) {
                own[n++] = item;
            }
            return new SharedList<>(s.store, s.items, s.shared, own, n);
        }
        Object[] all = new Object[keep + then.size()];
        int n = 0;
        for (int i = 0; i < keep; i++) {
            all[n++] = first.get(i);
        }
        for (Object item : then) {
            all[n++] = item;
        }
        return new SharedList<>(null, NONE, 0, all, n);
    }

    /**
     * The same items as {@link #joined}, for the one who builds on the result next: all but its
     * last item go into a store, {@code first}'s when {@code first} is its latest list (nothing
     * was stored after it) and {@code keep} is at least what it shares, so the store grows by
     * the new items alone; otherwise into a new store holding all of them.
     */
    public static <T> List<T> appended(List<? extends T> first, int keep, List<? extends T> then) {
        Objects.checkIndex(keep, first.size() + 1);
        int total = keep + then.size();
        Store store;
        int from;
        if (first instanceof SharedList<?> s && s.store != null && keep >= s.shared && s.store.size == s.shared) {
            store = s.store;
            from = s.shared;
        } else {
            store = new Store(total);
            from = 0;
        }
        Object last = null;
        int n = from;
        for (int i = from; i < keep; i++) {
            Object item = first.get(i);
            if (n++ < total - 1) {
                store.push(item);
            } else {
                last = item;
            }
        }
        for (Object item : then) {
            if (n++ < total - 1) {
                store.push(item);
            } else {
                last = item;
            }
        }
        if (total - 1 < from) { // nothing new: the store holds them all already
            return new SharedList<>(store, store.items, total, NONE, 0);
        }
        return new SharedList<>(store, store.items, total - 1, new Object[] {last}, 1);
    }

    /**
     * How many leading items {@code a} and {@code b} have in common ({@link Object#equals}): the
     * items two lists of one store both share are the same objects, so only those after them
     * are compared, and those first by identity. A call's successive running values so cost
     * what changed between them, not their length.
     */
    public static int commonPrefix(List<?> a, List<?> b) {
        int n = Math.min(a.size(), b.size());
        if (a == b) {
            return n;
        }
        int k = 0;
        if (a instanceof SharedList<?> x && b instanceof SharedList<?> y && x.store != null && x.store == y.store) {
            k = Math.min(Math.min(x.shared, y.shared), n);
        }
        while (k < n && (a.get(k) == b.get(k) || Objects.equals(a.get(k), b.get(k)))) {
            k++;
        }
        return k;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get(int index) {
        Objects.checkIndex(index, shared + ownSize);
        return (T) (index < shared ? items[index] : own[index - shared]);
    }

    @Override
    public int size() {
        return shared + ownSize;
    }

    /** Adds at the end of this list alone (its own items), as a deserializer fills an empty list. */
    @Override
    public boolean add(T item) {
        if (ownSize == own.length) {
            own = Arrays.copyOf(own, Math.max(8, 2 * ownSize));
        }
        own[ownSize++] = item;
        modCount++;
        return true;
    }

    @Override
    public Object[] toArray() {
        Object[] out = Arrays.copyOf(items, shared + ownSize, Object[].class);
        System.arraycopy(own, 0, out, shared, ownSize);
        return out;
    }

    /** Written as a plain list of its items: the store's other items are not this list's. */
    private Object writeReplace() {
        return new ArrayList<>(this);
    }
}
