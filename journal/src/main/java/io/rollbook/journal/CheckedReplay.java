package io.rollbook.journal;

import java.util.Arrays;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Executes a journaled batch's commands again through a matcher and compares each command's events, byte for byte,
 * with the ones the journal holds: recovery does it for the batches after its snapshot, the snapshot follower for
 * every batch it follows. A matcher that gives other events is not in the state the journal describes, and nothing
 * may be built on it.
 *
 * <p>One thread; reuses its buffers, allocating nothing per command.
 */
public final class CheckedReplay
{
    private final EventWriter events = new EventWriter();
    private final ExpandableArrayBuffer replayed = new ExpandableArrayBuffer(64 * 1024);
    private final RecordView record = new RecordView();

    /**
     * @return how many commands the batch held
     * @throws Diverged at the first command whose events differ from the journaled ones
     */
    public int replay(final Matcher matcher, final JournalDocument batch)
    {
        batch.records(record);
        int commands = 0;
        while (record.next())
        {
            events.wrap(replayed, 0);
            matcher.execute(record.sequence(), record.timestampNs(), record.buffer(), record.commandOffset(),
                record.commandLength(), events);
            if (events.position() != record.eventsLength() ||
                !sameBytes(replayed, 0, record.buffer(), record.eventsOffset(), record.eventsLength()))
            {
                throw new Diverged("replay diverges from the journal at sequence " + record.sequence() +
                    " (batch " + batch.batchNumber() + "): the matcher produced " + events.position() +
                    " bytes of events, the journal holds " + record.eventsLength() + " different ones");
            }
            commands++;
        }
        return commands;
    }

    /**
     * @return whether the two ranges hold the same bytes
     */
    public static boolean sameBytes(
        final DirectBuffer a, final int aOffset, final DirectBuffer b, final int bOffset, final int length)
    {
        if (a.byteArray() != null && b.byteArray() != null)
        {
            final int aFrom = a.wrapAdjustment() + aOffset;
            final int bFrom = b.wrapAdjustment() + bOffset;
            return Arrays.equals(a.byteArray(), aFrom, aFrom + length, b.byteArray(), bFrom, bFrom + length);
        }
        for (int i = 0; i < length; i++)
        {
            if (a.getByte(aOffset + i) != b.getByte(bOffset + i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The matcher gave other events than the journal holds.
     */
    public static final class Diverged extends JournalException
    {
        private static final long serialVersionUID = 1L;

        Diverged(final String message)
        {
            super(message);
        }
    }
}
