package io.rollbook.bench.matcher;

import io.rollbook.protocol.engine.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * Encoded engine commands laid end to end in one off-heap buffer, generated before a benchmark so that the timed
 * loop does nothing but feed them to the matcher. The first {@link #setupCount()} commands build the starting
 * state (markets, deposits, a resting book) and are not timed.
 */
public final class CommandStream
{
    private final ExpandableDirectByteBuffer buffer;
    private final int length;
    private final int count;
    private final int setupCount;
    private final int setupLength;
    private final int liquidations;

    CommandStream(
        final ExpandableDirectByteBuffer buffer,
        final int length,
        final int count,
        final int setupCount,
        final int setupLength,
        final int liquidations)
    {
        this.buffer = buffer;
        this.length = length;
        this.count = count;
        this.setupCount = setupCount;
        this.setupLength = setupLength;
        this.liquidations = liquidations;
    }

    /**
     * @return how many liquidations the timed commands start
     */
    public int liquidations()
    {
        return liquidations;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return total bytes of all commands
     */
    public int length()
    {
        return length;
    }

    /**
     * @return how many commands, setup included
     */
    public int count()
    {
        return count;
    }

    public int setupCount()
    {
        return setupCount;
    }

    /**
     * @return where the first timed command starts
     */
    public int setupLength()
    {
        return setupLength;
    }

    /**
     * @return the encoded length of the command at {@code offset}
     */
    public static int commandLength(final DirectBuffer buffer, final int offset)
    {
        return MessageHeaderDecoder.ENCODED_LENGTH +
            (buffer.getShort(offset + MessageHeaderDecoder.blockLengthEncodingOffset()) & 0xFFFF);
    }
}
