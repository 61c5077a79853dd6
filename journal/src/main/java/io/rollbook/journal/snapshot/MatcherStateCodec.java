package io.rollbook.journal.snapshot;

import io.rollbook.matcher.Matcher;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Turns a matcher's complete state into bytes and back. The bytes must be deterministic (the same state always
 * gives the same bytes), so that their SHA-256 is a state hash that a replay can be compared with.
 *
 * <p>Implementations run on the thread that owns the matcher.
 */
public interface MatcherStateCodec
{
    /**
     * Writes the complete state.
     *
     * @return the number of bytes written
     */
    int write(Matcher matcher, MutableDirectBuffer buffer, int offset);

    /**
     * Builds a matcher in exactly the state that was written.
     */
    Matcher read(Matcher.Context context, DirectBuffer buffer, int offset, int length);
}
