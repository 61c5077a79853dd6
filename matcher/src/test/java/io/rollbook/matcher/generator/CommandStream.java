package io.rollbook.matcher.generator;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * A seeded random command stream, generated once and kept as encoded engine commands in one off-heap buffer, for
 * tests that replay the same commands several times (snapshot + journal replay against replay from genesis, the
 * matcher against its reference). Each command is stored behind a 4-byte length, because some are deliberately
 * malformed and their headers cannot be trusted to say how long they are.
 *
 * <p>{@link #generate} runs every command through a fresh {@link Matcher} as it goes, so that cancels and amends
 * name orders that are live at that point; since the matcher is deterministic, replaying the stream on a fresh
 * matcher built from {@link StreamProfile#context()} meets exactly the same books. Command {@code i} (from 0)
 * must be executed with sequence number {@code i + 1}.
 *
 * <p>Immutable once generated; {@link #forEach} may be called from any one thread at a time.
 */
public final class CommandStream
{
    private static final int LENGTH_PREFIX = Integer.BYTES;

    private final StreamProfile profile;
    private final long seed;
    private final ExpandableDirectByteBuffer buffer;
    private final int length;
    private final int count;

    private CommandStream(
        final StreamProfile profile, final long seed, final ExpandableDirectByteBuffer buffer, final int length,
        final int count)
    {
        this.profile = profile;
        this.seed = seed;
        this.buffer = buffer;
        this.length = length;
        this.count = count;
    }

    /**
     * @param profile  the markets, accounts and capacities
     * @param seed     the random seed
     * @param commands how many commands, the setup (market definitions, deposits, oracle prices) included
     */
    public static CommandStream generate(final StreamProfile profile, final long seed, final int commands)
    {
        final CommandGenerator generator = new CommandGenerator(profile, seed);
        final Matcher matcher = new Matcher(profile.context());
        final EventWriter events = new EventWriter();
        final ExpandableArrayBuffer eventBuffer = new ExpandableArrayBuffer(64 * 1024);
        final ExpandableDirectByteBuffer out = new ExpandableDirectByteBuffer(Math.max(1024, commands * 64));
        int position = 0;
        for (int i = 0; i < commands; i++)
        {
            final int commandOffset = position + LENGTH_PREFIX;
            out.checkLimit(commandOffset + 256);
            final int commandLength = generator.next(out, commandOffset);
            out.putInt(position, commandLength);
            events.wrap(eventBuffer, 0);
            matcher.execute(i + 1, i + 1, out, commandOffset, commandLength, events);
            generator.onEvents(eventBuffer, 0, events.position());
            position = commandOffset + commandLength;
        }

        return new CommandStream(profile, seed, out, position, commands);
    }

    public StreamProfile profile()
    {
        return profile;
    }

    public long seed()
    {
        return seed;
    }

    /**
     * @return how many commands
     */
    public int count()
    {
        return count;
    }

    /**
     * @return the bytes the stream occupies, length prefixes included
     */
    public int length()
    {
        return length;
    }

    /**
     * Hands every command, in order, to {@code consumer}.
     */
    public void forEach(final CommandConsumer consumer)
    {
        int position = 0;
        long sequence = 0;
        while (position < length)
        {
            final int commandLength = buffer.getInt(position);
            consumer.accept(++sequence, buffer, position + LENGTH_PREFIX, commandLength);
            position += LENGTH_PREFIX + commandLength;
        }
    }

    /**
     * Receives one command of a stream.
     */
    @FunctionalInterface
    public interface CommandConsumer
    {
        /**
         * @param sequence the sequence number to execute it with: 1 for the first command
         * @param buffer   holds the command
         * @param offset   where its header starts
         * @param length   its length, header included
         */
        void accept(long sequence, DirectBuffer buffer, int offset, int length);
    }
}
