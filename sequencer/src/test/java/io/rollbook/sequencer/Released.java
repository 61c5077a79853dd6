package io.rollbook.sequencer;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;

/**
 * A release listener for tests that keeps a copy of everything released, in order.
 */
final class Released implements ReleaseListener
{
    record Command(long sequence, long timestampNs, long source, byte[] command, byte[] events)
    {
    }

    final List<Command> commands = new ArrayList<>();
    final List<long[]> batches = new ArrayList<>();

    @Override
    public synchronized void onReleased(
        final long sequence,
        final long timestampNs,
        final long source,
        final DirectBuffer buffer,
        final int commandOffset,
        final int commandLength,
        final int eventsOffset,
        final int eventsLength)
    {
        final byte[] command = new byte[commandLength];
        buffer.getBytes(commandOffset, command);
        final byte[] events = new byte[eventsLength];
        buffer.getBytes(eventsOffset, events);
        commands.add(new Command(sequence, timestampNs, source, command, events));
    }

    @Override
    public synchronized void onBatchReleased(final long batchNumber, final long firstSequence, final long lastSequence)
    {
        batches.add(new long[] {batchNumber, firstSequence, lastSequence});
    }

    synchronized int count()
    {
        return commands.size();
    }

    synchronized List<Command> snapshot()
    {
        return new ArrayList<>(commands);
    }
}
