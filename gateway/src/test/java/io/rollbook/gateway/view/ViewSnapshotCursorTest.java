package io.rollbook.gateway.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@link ViewSnapshotCursor#putLongs} writes the bytes of as many {@link ViewSnapshotCursor#putLong}, grows a buffer
 * that can grow, and writes nothing outside the values given or beyond a buffer that cannot.
 */
class ViewSnapshotCursorTest
{
    @Test
    void putLongsWritesWhatPutLongWould()
    {
        final long seed = 20261204L;
        System.out.println("ViewSnapshotCursorTest seed " + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] values = new long[5_000];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = random.nextLong();
        }
        final ExpandableArrayBuffer expected = new ExpandableArrayBuffer(64);
        final ExpandableArrayBuffer actual = new ExpandableArrayBuffer(64);
        final ViewSnapshotCursor one = new ViewSnapshotCursor().forWriting(expected, 3);
        final ViewSnapshotCursor whole = new ViewSnapshotCursor().forWriting(actual, 3);
        for (int round = 0; round < 50; round++)
        {
            final int from = random.nextInt(values.length);
            final int count = random.nextInt(values.length - from + 1);
            one.putByte(round);
            whole.putByte(round);
            for (int i = from; i < from + count; i++)
            {
                one.putLong(values[i]);
            }
            whole.putLongs(values, from, count);
            assertEquals(one.position(), whole.position(), "seed " + seed + ", round " + round);
        }
        assertEquals(0, expected.compareTo(actual), "seed " + seed);
        for (int i = 0; i < one.position(); i++)
        {
            assertEquals(expected.getByte(i), actual.getByte(i), "seed " + seed + ", byte " + i);
        }
    }

    @Test
    void putLongsRefusesValuesItWasNotGivenAndRoomTheBufferLacks()
    {
        final UnsafeBuffer fixed = new UnsafeBuffer(new byte[64]);
        final ViewSnapshotCursor cursor = new ViewSnapshotCursor().forWriting(fixed, 8);
        final long[] values = new long[8];
        assertThrows(IndexOutOfBoundsException.class, () -> cursor.putLongs(values, 4, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> cursor.putLongs(values, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> cursor.putLongs(values, 0, 8));
        assertEquals(8, cursor.position());
        cursor.putLongs(values, 1, 7);
        assertEquals(64, cursor.position());
    }
}
