package io.rollbook.client;

/**
 * Where an execution report sits in the journal: the sequence of the command that produced it and the index of the
 * event among the command's events. This is a report's durable identity; a client that keeps the position of the
 * last report it processed can have every later one retransmitted after any reconnect, even to another server
 * process over the same journal.
 */
public final class JournalPosition implements Comparable<JournalPosition>
{
    /** Before every report: asks for everything. */
    public static final JournalPosition START = new JournalPosition(0, 0xFFFF);

    private final long sequence;
    private final int eventIndex;

    public JournalPosition(final long sequence, final int eventIndex)
    {
        this.sequence = sequence;
        this.eventIndex = eventIndex;
    }

    public long sequence()
    {
        return sequence;
    }

    public int eventIndex()
    {
        return eventIndex;
    }

    static int compare(final long sequenceA, final int eventA, final long sequenceB, final int eventB)
    {
        final int bySequence = Long.compare(sequenceA, sequenceB);
        return bySequence != 0 ? bySequence : Integer.compare(eventA, eventB);
    }

    @Override
    public int compareTo(final JournalPosition other)
    {
        return compare(sequence, eventIndex, other.sequence, other.eventIndex);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof JournalPosition && ((JournalPosition)other).sequence == sequence &&
            ((JournalPosition)other).eventIndex == eventIndex;
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(sequence) * 31 + eventIndex;
    }

    @Override
    public String toString()
    {
        return sequence + "/" + eventIndex;
    }
}
