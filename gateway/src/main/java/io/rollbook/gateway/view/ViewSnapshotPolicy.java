package io.rollbook.gateway.view;

/**
 * When the release thread writes a view snapshot, and how many are kept: as the matcher's snapshots, every so many
 * batches, or sooner once so many commands were released since the last one (at full load a batch holds a thousand
 * commands and more, so a count of batches alone would let the journal read at start grow a thousandfold), and
 * always at a clean shutdown.
 *
 * @param everyBatches  a snapshot after every this many batches; 0 for none by batches
 * @param everyCommands a snapshot at the end of the batch that brings the commands since the last one to this many;
 *                      0 for none by commands
 * @param kept          how many view snapshot files to keep, newest first, 1 to 1000
 */
public record ViewSnapshotPolicy(long everyBatches, long everyCommands, int kept)
{
    /** As the matcher's snapshots by default. */
    public static final ViewSnapshotPolicy DEFAULT = new ViewSnapshotPolicy(100_000, 10_000_000, 3);

    /**
     * @throws IllegalArgumentException naming the setting out of range
     */
    public ViewSnapshotPolicy
    {
        if (everyBatches < 0)
        {
            throw new IllegalArgumentException("view snapshots: everyBatches must be 0 or more, got " + everyBatches);
        }
        if (everyCommands < 0)
        {
            throw new IllegalArgumentException("view snapshots: everyCommands must be 0 or more, got " +
                everyCommands);
        }
        if (kept < 1 || kept > 1000)
        {
            throw new IllegalArgumentException("view snapshots: kept must be from 1 to 1000, got " + kept);
        }
    }

    boolean due(final long batchesSince, final long commandsSince)
    {
        return (everyBatches > 0 && batchesSince >= everyBatches) ||
            (everyCommands > 0 && commandsSince >= everyCommands);
    }
}
