package io.rollbook.sequencer;

/**
 * When a periodic snapshot falls due: once {@code everyBatches} batches or {@code everyCommands} commands have passed
 * since the last one (0 turns a bound off). Either bound reached is enough: the count of batches bounds a replay's
 * cost per batch (a quiet service writes a batch per command), the count of commands its cost per command (a busy one
 * writes a thousand and more a batch). A snapshot that cannot be taken yet (the writer still has the last one) stays
 * due, counting on.
 *
 * <p>One thread: the one that takes the snapshots.
 */
final class SnapshotSchedule
{
    private final long everyBatches;
    private final long everyCommands;
    private long batchesSince;
    private long commandsSince;

    SnapshotSchedule(final long everyBatches, final long everyCommands)
    {
        this.everyBatches = everyBatches;
        this.everyCommands = everyCommands;
    }

    /**
     * @return whether either bound is on
     */
    static boolean periodic(final long everyBatches, final long everyCommands)
    {
        return everyBatches > 0 || everyCommands > 0;
    }

    void onBatch(final long commands)
    {
        batchesSince++;
        commandsSince += commands;
    }

    boolean due()
    {
        return (everyBatches > 0 && batchesSince >= everyBatches) ||
            (everyCommands > 0 && commandsSince >= everyCommands);
    }

    void taken()
    {
        batchesSince = 0;
        commandsSince = 0;
    }
}
