package io.rollbook.client;

/**
 * Where an execution report sits in the journal: the sequence of the command that produced it and the index of the
 * event among the command's events. This is a report's durable identity; a client that keeps the position of the
 * last report it processed can have every later one retransmitted after any reconnect, even to another server
 * process over the same journal.
 *
 * <p>Immutable, so safe to hand to another thread (one that stores it, say) as it is.
 */
public final class JournalPosition implements Comparable<JournalPosition>
{
    /** Before every report: asks for everything. */
    public static final JournalPosition START = new JournalPosition(0, 0xFFFF);

    private final long sequence;
    private final int eventIndex;

    /**
     * @param sequence   a journal sequence, 0 for before the first
     * @param eventIndex 0..65535, 65535 meaning after every event of that sequence
     * @throws IllegalArgumentException if either is outside its range: the protocol carries the index as an unsigned
     *                                  16-bit number, and -1 sent as 65535 would skip the rest of the sequence
     */
    public JournalPosition(final long sequence, final int eventIndex)
    {
        if (sequence < 0 || eventIndex < 0 || eventIndex > 0xFFFF)
        {
            throw new IllegalArgumentException("a journal position is a sequence of at least 0 and an event index " +
                "within 0..65535, got " + sequence + "/" + eventIndex);
        }
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
