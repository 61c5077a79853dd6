package io.rollbook.gateway.core;

/**
 * How far the release thread has got: the sequence number of the command whose outputs it is handing out now.
 *
 * <p>This is the cut between what a newly started session receives live and what it must ask to have
 * retransmitted. The release thread writes the sequence ({@link #beginRelease}) before it checks any loop's
 * {@link InterestSet}; a loop adds its interest before it reads the sequence ({@link #releasing()}). Both are
 * volatile, so either the loop reads a sequence at or beyond the one being released, and counts it as history, or
 * the release thread sees the interest and hands the loop every output from that sequence on. A session therefore
 * receives live exactly the outputs of sequences above the value it read, and everything at or below it is in the
 * journal already.
 */
public final class ReleaseProgress
{
    private volatile long releasing;

    /**
     * @param initialSequence the last sequence before the first one this run releases (the journal's last at start)
     */
    public ReleaseProgress(final long initialSequence)
    {
        this.releasing = initialSequence;
    }

    /**
     * Release thread: the outputs of {@code sequence} are about to be handed out.
     */
    public void beginRelease(final long sequence)
    {
        releasing = sequence;
    }

    /**
     * @return the sequence being released, or the last one released; every later one reaches a loop that registered
     *         its interest before this call
     */
    public long releasing()
    {
        return releasing;
    }
}
