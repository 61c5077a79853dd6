package io.rollbook.sequencer;

import org.agrona.DirectBuffer;

/**
 * A run of encoded engine commands a producer has at hand at once, for {@link CommandPublisher#tryPublishRun}:
 * command {@code i} is {@code length(i)} bytes at {@code offset(i)} in {@link #buffer()}, with its own source tag.
 *
 * <p>Read only by the publishing thread, during the call.
 */
public interface CommandRun
{
    DirectBuffer buffer();

    long source(int index);

    int offset(int index);

    int length(int index);
}
