package io.rollbook.journal.commitment;

import java.nio.file.Path;
import java.util.Arrays;

import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalDocument;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.RecordView;

/**
 * The state behind the last committed root of a data directory, rebuilt from the journal's events and checked
 * against the root the builder recorded: what inclusion proofs are taken from.
 *
 * <p>Not thread-safe.
 */
public final class CommittedState
{
    private final StateCommitment state;
    private final long batch;
    private final long sequence;
    private final byte[] root;

    private CommittedState(final StateCommitment state, final long batch, final long sequence, final byte[] root)
    {
        this.state = state;
        this.batch = batch;
        this.sequence = sequence;
        this.root = root;
    }

    /**
     * Reads the journal's events up to the last batch with a recorded root and checks that the leaves hash to it.
     *
     * @throws JournalException if there is no journal or no recorded root, or if the journal does not lead to the
     *                          recorded root
     */
    public static CommittedState load(final Path dataDirectory)
    {
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            final int capacity = cursor.genesis().matcherContext().accountCapacity();
            final StateCommitment state = new StateCommitment(capacity);
            final RootRecord recorded = new RootRecord();
            final long last;
            try (RootLog roots = RootLog.openForReading(dataDirectory, state.height(), capacity))
            {
                if (roots == null || roots.lastBatchNumber() == 0)
                {
                    throw new JournalException("no root is recorded in " + RootLog.file(dataDirectory) + ": the " +
                        "service records them while it runs with commitments on");
                }
                last = roots.lastBatchNumber();
                if (!roots.read(last, recorded))
                {
                    throw new JournalException("the record of batch " + last + " in " + roots.path() + " is damaged");
                }
            }
            final RecordView record = new RecordView();
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                if (kind != JournalCursor.BATCH)
                {
                    continue;
                }
                final JournalDocument batch = cursor.document();
                batch.records(record);
                while (record.next())
                {
                    try
                    {
                        state.apply(record.buffer(), record.eventsOffset(), record.eventsLength());
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        throw new JournalException("batch " + batch.batchNumber() + ", sequence " +
                            record.sequence() + ": " + ex.getMessage(), ex);
                    }
                }
                if (batch.batchNumber() == last)
                {
                    if (batch.lastSequence() != recorded.lastSequence() ||
                        batch.storedChecksum() != recorded.batchChecksum())
                    {
                        throw new JournalException("the root recorded for batch " + last + " is of another batch " +
                            "than the journal's; run ./rollbook audit --data " + dataDirectory);
                    }
                    final byte[] root = new byte[CommitmentHash.LENGTH];
                    state.commit(root);
                    if (!Arrays.equals(root, recorded.root()))
                    {
                        throw new JournalException("the journal's events up to batch " + last + " give root " +
                            CommitmentHash.hex(root) + ", but " + recorded.rootHex() + " is recorded; run " +
                            "./rollbook audit --data " + dataDirectory);
                    }
                    return new CommittedState(state, last, batch.lastSequence(), root);
                }
            }
            throw new JournalException("a root is recorded for batch " + last + ", but the journal ends at batch " +
                cursor.lastBatchNumber() + "; run ./rollbook audit --data " + dataDirectory);
        }
    }

    public long batch()
    {
        return batch;
    }

    public long sequence()
    {
        return sequence;
    }

    public byte[] root()
    {
        return root.clone();
    }

    public int accountCapacity()
    {
        return state.accountCapacity();
    }

    /**
     * @return the account's leaf, or null if it is empty
     */
    public AccountLeaf leaf(final int account)
    {
        return state.leaf(account);
    }

    /**
     * @throws IllegalArgumentException if the account id is outside the journal's capacity
     */
    public InclusionProof proof(final int account)
    {
        return state.proof(account, batch, sequence);
    }
}
