package org.vettedaccess.kyc.sanctions;

import java.util.Arrays;

/** A growable array of ints, without boxing (the index's names and postings). */
final class Ints {

    private int[] values = new int[16];
    private int size;

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int get(int i) {
        return values[i];
    }

    int size() {
        return size;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
