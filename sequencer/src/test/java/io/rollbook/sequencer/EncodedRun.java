package io.rollbook.sequencer;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Commands encoded end to end for {@link CommandPublisher#tryPublishRun}: command {@code n} has source
 * {@code base + n}.
 */
final class EncodedRun implements CommandRun
{
    /**
     * Writes command {@code n} at {@code offset} and returns its length.
     */
    @FunctionalInterface
    interface Encoder
    {
        int encode(int n, MutableDirectBuffer buffer, int offset);
    }

    final int[] lengths;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1 << 12);
    private final int[] offsets;
    private final long base;

    EncodedRun(final int count, final long base, final Encoder encoder)
    {
        this.base = base;
        offsets = new int[count];
        lengths = new int[count];
        int offset = 0;
        for (int n = 0; n < count; n++)
        {
            offsets[n] = offset;
            lengths[n] = encoder.encode(n, buffer, offset);
            offset += lengths[n];
        }
    }

    @Override
    public DirectBuffer buffer()
    {
        return buffer;
    }

    @Override
    public long source(final int index)
    {
        return base + index;
    }

    @Override
    public int offset(final int index)
    {
        return offsets[index];
    }

    @Override
    public int length(final int index)
    {
        return lengths[index];
    }
}
