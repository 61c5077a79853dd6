package io.rollbook.sequencer;

import org.agrona.DirectBuffer;

/**
 * A {@link ReleaseListener} that needs only the released batches, not their commands one by one.
 */
public interface BatchReleaseListener extends ReleaseListener
{
    /**
     * Nothing: the listener works per batch.
     */
    @Override
    default void onReleased(
        final long sequence,
        final long timestampNs,
        final long source,
        final DirectBuffer buffer,
        final int commandOffset,
        final int commandLength,
        final int eventsOffset,
        final int eventsLength)
    {
    }
}
