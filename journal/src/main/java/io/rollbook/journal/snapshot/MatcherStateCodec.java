package io.rollbook.journal.snapshot;

import io.rollbook.matcher.Matcher;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Turns a matcher's complete state into bytes and back. The bytes must be canonical (the same state always gives
 * the same bytes), so that their SHA-256 is a state hash that a replay can be compared with.
 *
 * <p>Implementations run on the thread that owns the matcher.
 */
public interface MatcherStateCodec
{
    /**
     * The matcher's own canonical snapshot encoding ({@link Matcher#writeSnapshot}, {@link Matcher#readSnapshot}).
     */
    MatcherStateCodec MATCHER = new MatcherStateCodec()
    {
        @Override
        public int write(final Matcher matcher, final MutableDirectBuffer buffer, final int offset)
        {
            return matcher.writeSnapshot(buffer, offset);
        }

        @Override
        public Matcher read(final DirectBuffer buffer, final int offset, final int length)
        {
            return Matcher.readSnapshot(buffer, offset, length);
        }
    };

    /**
     * Writes the complete state.
     *
     * @return the number of bytes written
     */
    int write(Matcher matcher, MutableDirectBuffer buffer, int offset);

    /**
     * Builds a matcher in exactly the state that was written, its context included.
     */
    Matcher read(DirectBuffer buffer, int offset, int length);
}
