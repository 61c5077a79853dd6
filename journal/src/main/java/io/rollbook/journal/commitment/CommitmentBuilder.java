package io.rollbook.journal.commitment;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalDocument;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalReader;
import io.rollbook.journal.RecordView;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the journal and commits to the state after every batch: applies each batch's {@code position} and
 * {@code balance} events to the leaves ({@link StateCommitment}), rehashes what changed, and appends
 * {@code (batch number, last sequence, batch checksum, root)} to the {@link RootLog}. It reads what the journal
 * thread wrote, with its own tailer, so it never slows the matcher or the journal down; when it falls behind, it
 * catches up from the journal.
 *
 * <p>After a restart it resumes from the last recorded root: it reads the events of the batches that have a root
 * (no hashing), checking that each recorded root belongs to that very batch (last sequence and the batch
 * document's checksum), hashes the leaves once, and compares the result with the last recorded root. Roots of
 * batches the journal no longer holds (a tail that recovery voided) are dropped and computed again from the
 * batches that replaced them; a root that does not check out makes it start over from genesis.
 *
 * <p>An {@link Agent} for its own thread: every method but the accessors runs on that thread, which creates the
 * journal tailer in {@link #onStart()}. Allocates nothing per batch in steady state.
 */
public final class CommitmentBuilder implements Agent
{
    private static final Logger LOG = LoggerFactory.getLogger(CommitmentBuilder.class);
    private static final int BATCHES_PER_WORK = 32;

    private final Supplier<JournalReader> readers;
    private final Path dataDirectory;
    private final long settledBatch;
    private final RecordView record = new RecordView();
    private final RootRecord recorded = new RootRecord();
    private final byte[] root = new byte[CommitmentHash.LENGTH];
    private JournalCursor cursor;
    private StateCommitment state;
    private RootLog log;
    private long resumeUntil;
    private long reportedVoidIndex = -1;
    private volatile long committedBatch;
    private volatile long committedSequence;
    private volatile Throwable failure;

    /**
     * @param readers       opens a reader over the journal; called once, on the builder's thread
     * @param dataDirectory where the roots are kept
     * @param settledBatch  the journal's last batch when the builder starts (recovery's): roots recorded for
     *                      later batch numbers are of batches that recovery voided
     */
    public CommitmentBuilder(final Supplier<JournalReader> readers, final Path dataDirectory, final long settledBatch)
    {
        this.readers = readers;
        this.dataDirectory = dataDirectory;
        this.settledBatch = settledBatch;
    }

    @Override
    public String roleName()
    {
        return "rollbook-commitments";
    }

    @Override
    public void onStart()
    {
        try
        {
            cursor = JournalCursor.over(readers.get());
            final int capacity = cursor.genesis().matcherContext().accountCapacity();
            state = new StateCommitment(capacity);
            log = RootLog.openForWriting(dataDirectory, state.height(), capacity);
            resumeUntil = Math.min(log.lastBatchNumber(), settledBatch);
            if (log.lastBatchNumber() > resumeUntil)
            {
                LOG.info("dropping the roots of batches {}..{}: the journal does not hold those batches (recovery " +
                    "voided them); they are computed again as batches take their numbers", resumeUntil + 1,
                    log.lastBatchNumber());
                log.truncateAfter(resumeUntil);
            }
        }
        catch (final RuntimeException ex)
        {
            throw fail(ex);
        }
    }

    @Override
    public int doWork()
    {
        try
        {
            int work = 0;
            while (work < BATCHES_PER_WORK)
            {
                final int kind = cursor.next();
                if (kind == JournalCursor.END)
                {
                    if (resumeUntil > 0)
                    {
                        finishResume(cursor.lastBatchNumber());
                    }
                    if (cursor.tornTail() && cursor.firstVoidIndex() != reportedVoidIndex)
                    {
                        reportedVoidIndex = cursor.firstVoidIndex();
                        LOG.error("commitments wait after batch {}: the journal's documents from index {} are void " +
                            "({}) and no recovery document closes them; run ./rollbook audit", committedBatch,
                            Long.toHexString(reportedVoidIndex), JournalDocument.problem(cursor.voidReason()));
                    }
                    break;
                }
                if (kind == JournalCursor.BATCH)
                {
                    onBatch(cursor.document());
                    work++;
                }
            }
            return work;
        }
        catch (final AgentTerminationException ex)
        {
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            throw fail(ex);
        }
    }

    private void onBatch(final JournalDocument batch)
    {
        final long number = batch.batchNumber();
        if (number <= resumeUntil)
        {
            if (log.read(number, recorded) && recorded.lastSequence() == batch.lastSequence() &&
                recorded.batchChecksum() == batch.storedChecksum())
            {
                applyEvents(batch);
                if (number == resumeUntil)
                {
                    finishResume(number);
                }
                return;
            }
            LOG.warn("the root recorded for batch {} is not of the journal's batch {} (recorded last sequence {}, " +
                "checksum {}; the journal's {}, {}): roots from there on are computed again", number, number,
                recorded.lastSequence(), Integer.toHexString(recorded.batchChecksum()), batch.lastSequence(),
                Integer.toHexString(batch.storedChecksum()));
            if (!finishResume(number - 1))
            {
                return;
            }
        }
        applyEvents(batch);
        state.commit(root);
        log.append(number, batch.lastSequence(), batch.storedChecksum(), root);
        committedSequence = batch.lastSequence();
        committedBatch = number;
    }

    /**
     * Ends resuming after batch {@code last}: the leaves are those after it; they must hash to its recorded root.
     *
     * @return false if they do not and the builder started over from genesis
     */
    private boolean finishResume(final long last)
    {
        resumeUntil = 0;
        state.rebuild(root);
        if (last > 0 && (!log.read(last, recorded) || !Arrays.equals(recorded.root(), root)))
        {
            LOG.warn("the leaves after batch {} hash to {}, not to the recorded root {}; computing every root again " +
                "from genesis", last, CommitmentHash.hex(root), recorded.rootHex());
            log.truncateAfter(0);
            state = new StateCommitment(state.accountCapacity());
            cursor.toStart();
            committedBatch = 0;
            committedSequence = 0;
            return false;
        }
        log.truncateAfter(last);
        if (last > 0)
        {
            committedSequence = recorded.lastSequence();
            committedBatch = last;
            LOG.info("commitments resumed after batch {} (sequence {}), root {}", last, recorded.lastSequence(),
                CommitmentHash.hex(root));
        }
        return true;
    }

    private void applyEvents(final JournalDocument batch)
    {
        batch.records(record);
        while (record.next())
        {
            try
            {
                state.apply(record.buffer(), record.eventsOffset(), record.eventsLength());
            }
            catch (final IllegalArgumentException ex)
            {
                throw new JournalException("batch " + batch.batchNumber() + ", sequence " + record.sequence() +
                    ": " + ex.getMessage(), ex);
            }
        }
    }

    private AgentTerminationException fail(final RuntimeException ex)
    {
        failure = ex;
        LOG.error("COMMITMENTS STOPPED after batch {}: {}. Sequencing goes on; the roots can be computed again " +
            "from the journal (restart, or ./rollbook audit).", committedBatch, ex.toString(), ex);
        throw new AgentTerminationException(ex);
    }

    @Override
    public void onClose()
    {
        CloseHelper.quietClose(cursor);
        if (log != null)
        {
            log.close();
        }
    }

    /**
     * @return the last batch whose root is recorded; any thread
     */
    public long committedBatch()
    {
        return committedBatch;
    }

    /**
     * @return the last sequence number of that batch; any thread
     */
    public long committedSequence()
    {
        return committedSequence;
    }

    /**
     * @return why the builder stopped on its own, or null; any thread
     */
    public Throwable failure()
    {
        return failure;
    }
}
