package io.rollbook.sequencer;

/**
 * How much of the journal's reserve of free space ({@code journal.minFreeBytes}) is left, as the
 * {@link DiskSpaceGuard} last read it.
 */
final class DiskLevel
{
    /** At least the reserve: every command is taken. */
    static final int ENOUGH = 0;
    /** Below the reserve: orders and amendments are refused, what takes risk away is taken (cancel-only). */
    static final int CANCEL_ONLY = 1;
    /** Below a quarter of the reserve: every command is refused. */
    static final int EXHAUSTED = 2;

    private DiskLevel()
    {
    }

    static int of(final long usableBytes, final long reserveBytes)
    {
        return usableBytes >= reserveBytes ? ENOUGH : usableBytes >= reserveBytes / 4 ? CANCEL_ONLY : EXHAUSTED;
    }

    static String describe(final int level)
    {
        return level == ENOUGH ? "every command is taken" : level == CANCEL_ONLY ?
            "new orders and amendments are refused; cancels, mass cancels and the operator's commands are taken" :
            "every command is refused";
    }
}
