package io.rollbook.sequencer;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One entry of the command ring: a publisher's encoded command and its routing tag, copied in by the publishing
 * thread and read by the matcher thread. Preallocated; each slot owns a fixed region of one off-heap block.
 */
final class CommandSlot
{
    /** The length of a slot that was claimed and then refused: it holds no command and is skipped. */
    static final int VOID = 0;

    final UnsafeBuffer command;
    long source;
    /** The command's length, or {@link #VOID}. */
    int length;
    /** {@code System.nanoTime()} at publication, for the publish-to-match latency; stamped on sampled slots only. */
    long publishedNs;

    CommandSlot(final UnsafeBuffer command)
    {
        this.command = command;
    }
}
