package io.breachwatch.detect;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A small set of strings kept sorted (natural order, as a {@code TreeSet<String>} iterates) in one array: the few
 * field names, countries or networks of a window or session. A {@code TreeSet} costs a map and an entry object per
 * name, and the rules decode and rebuild such sets for every event of an entity (a seventh of what replay
 * allocated); this costs one array, none while empty. Not for large sets: an insertion moves the names after it.
 */
final class SortedNames extends AbstractSet<String> {
    private static final String[] EMPTY = new String[0];

    private String[] names = EMPTY;
    private int size;

    SortedNames() {
    }

    /** A copy of {@code other}, sharing nothing mutable with it. */
    SortedNames(SortedNames other) {
        names = other.size == 0 ? EMPTY : Arrays.copyOf(other.names, other.size);
        size = other.size;
    }

    @Override
    public boolean add(String name) {
        var at = Arrays.binarySearch(names, 0, size, name);
        if (at >= 0) {
            return false;
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, Math.max(4, size * 2));
        }
        var insert = -at - 1;
        System.arraycopy(names, insert, names, insert + 1, size - insert);
        names[insert] = name;
        size++;
        return true;
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof String s && Arrays.binarySearch(names, 0, size, s) >= 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Iterator<String> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public String next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                return names[next++];
            }
        };
    }
}
