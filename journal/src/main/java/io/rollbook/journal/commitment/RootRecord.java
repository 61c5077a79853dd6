package io.rollbook.journal.commitment;

import java.nio.ByteBuffer;

/**
 * One record of the {@link RootLog}, read into a reusable holder.
 *
 * <p>Mutable, not thread-safe.
 */
public final class RootRecord
{
    private final byte[] root = new byte[CommitmentHash.LENGTH];
    private long batchNumber;
    private long lastSequence;
    private int batchChecksum;

    void set(final long batchNumber, final long lastSequence, final int batchChecksum, final ByteBuffer source,
        final int rootOffset)
    {
        this.batchNumber = batchNumber;
        this.lastSequence = lastSequence;
        this.batchChecksum = batchChecksum;
        source.get(rootOffset, root);
    }

    public long batchNumber()
    {
        return batchNumber;
    }

    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * @return the CRC32C of the batch document the root was computed after, as the journal stores it
     */
    public int batchChecksum()
    {
        return batchChecksum;
    }

    /**
     * @return the root; the holder's own array, overwritten by the next read
     */
    public byte[] root()
    {
        return root;
    }

    public String rootHex()
    {
        return CommitmentHash.hex(root);
    }

    /**
     * Appends {@link #rootHex()} to {@code out}.
     */
    public StringBuilder appendRootHex(final StringBuilder out)
    {
        return CommitmentHash.appendHex(out, root);
    }
}
