package io.rollbook.gateway.view;

import java.nio.ByteOrder;
import java.util.Objects;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Where the views' encoding is in a buffer: little-endian values one after another, written into a buffer that
 * grows if it must ({@link org.agrona.ExpandableArrayBuffer}) or read from a file's bytes, every read checked
 * against the end of the encoding so that a short or damaged file is refused with the place it ran out, never read
 * beyond.
 *
 * <p>Single-threaded; reused from one snapshot to the next.
 */
final class ViewSnapshotCursor
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** A long[]'s memory is its values' little-endian encoding, one after another: copied whole. */
    private static final boolean COPY_LONGS = ByteOrder.nativeOrder() == ORDER;
    private static final long LONG_ARRAY_BASE = UnsafeApi.arrayBaseOffset(long[].class);

    private MutableDirectBuffer out;
    private DirectBuffer in;
    private int position;
    private int limit;

    ViewSnapshotCursor forWriting(final MutableDirectBuffer buffer, final int offset)
    {
        out = buffer;
        in = null;
        position = offset;
        limit = Integer.MAX_VALUE;
        return this;
    }

    ViewSnapshotCursor forReading(final DirectBuffer buffer, final int offset, final int length)
    {
        in = buffer;
        out = null;
        position = offset;
        limit = offset + length;
        return this;
    }

    int position()
    {
        return position;
    }

    /**
     * @return true if every byte of the encoding was read
     */
    boolean atEnd()
    {
        return position == limit;
    }

    void putByte(final int value)
    {
        out.putByte(position, (byte)value);
        position += Byte.BYTES;
    }

    void putInt(final int value)
    {
        out.putInt(position, value, ORDER);
        position += Integer.BYTES;
    }

    /**
     * Writes a count whose value is known only after what it counts was written.
     */
    void putIntAt(final int at, final int value)
    {
        out.putInt(at, value, ORDER);
    }

    void putLong(final long value)
    {
        out.putLong(position, value, ORDER);
        position += Long.BYTES;
    }

    /**
     * Writes {@code count} values of {@code values} from {@code from}, as as many {@link #putLong} would: on a
     * little-endian machine by one copy of their memory (the accounts' fill rings are a third of the views).
     */
    void putLongs(final long[] values, final int from, final int count)
    {
        Objects.checkFromIndexSize(from, count, values.length);
        if (!COPY_LONGS)
        {
            for (int i = from; i < from + count; i++)
            {
                putLong(values[i]);
            }
            return;
        }
        final int bytes = Math.multiplyExact(count, Long.BYTES);
        final int end = Math.addExact(position, bytes);
        // Grows an expandable buffer, refuses beyond a fixed one: the copy below is checked by nothing else.
        out.checkLimit(end);
        UnsafeApi.copyMemory(values, LONG_ARRAY_BASE + (long)from * Long.BYTES, out.byteArray(),
            out.addressOffset() + position, bytes);
        position = end;
    }

    void putString(final String value)
    {
        position += out.putStringUtf8(position, value, ORDER);
    }

    int getByte()
    {
        need(Byte.BYTES);
        final int value = in.getByte(position);
        position += Byte.BYTES;
        return value;
    }

    int getInt()
    {
        need(Integer.BYTES);
        final int value = in.getInt(position, ORDER);
        position += Integer.BYTES;
        return value;
    }

    long getLong()
    {
        need(Long.BYTES);
        final long value = in.getLong(position, ORDER);
        position += Long.BYTES;
        return value;
    }

    String getString()
    {
        final int length = count(1);
        final String value = in.getStringWithoutLengthUtf8(position, length);
        position += length;
        return value;
    }

    /**
     * Reads a count of things that take at least {@code bytesEach} each: a count the rest of the encoding cannot
     * hold is refused before anything is allocated for it.
     */
    int count(final int bytesEach)
    {
        final int count = getInt();
        if (count < 0 || (long)count * bytesEach > limit - position)
        {
            throw new ViewSnapshotException("a count of " + count + " at byte " + (position - Integer.BYTES) +
                " does not fit the " + (limit - position) + " bytes left");
        }
        return count;
    }

    private void need(final int bytes)
    {
        if (limit - position < bytes)
        {
            throw new ViewSnapshotException("the encoding ends at byte " + limit + ", " + bytes + " more needed at " +
                position);
        }
    }
}
