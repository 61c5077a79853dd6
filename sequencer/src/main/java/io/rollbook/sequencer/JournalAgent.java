package io.rollbook.sequencer;

import java.nio.ByteOrder;
import java.util.List;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.rollbook.journal.JournalAppender;
import io.rollbook.journal.JournalDocument;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFormat;
import io.rollbook.journal.RecordView;
import io.rollbook.journal.SyncPolicy;
import io.rollbook.sequencer.metrics.PipelineMetrics;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.CloseHelper;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal thread: copies the commands of every batch the matcher thread has closed in from their ring slots,
 * appends the batches to the journal, applies the sync policy
 * once for all of them (group commit), then releases them: each command and its events to every
 * {@link ReleaseListener}, in sequence order, and the buffer back to the matcher thread. This ordering is the
 * durability gate: nothing is released before its batch is in the journal.
 *
 * <p>Owned by the journal thread, which creates the Chronicle appender on its first append. Allocates nothing
 * per batch or per command.
 */
final class JournalAgent implements Agent
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalAgent.class);
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final Sequencer sequencer;
    private final JournalAppender appender;
    private final BatchPipe pipe;
    private final RingBuffer<CommandSlot> ring;
    private final Sequence copied;
    private final ReleaseListener[] listeners;
    private final WakeableIdleStrategy matcherIdle;
    private final SnapshotWriter snapshotWriter;
    private final JournalDocument document = new JournalDocument();
    private final RecordView record = new RecordView();
    private final PipelineMetrics metrics;
    private long taken;
    private volatile long releasedBatches;
    private volatile long lastReleasedSequence;
    private volatile long lastBatchIndex;
    private long listenerErrors;
    private boolean writingAhead = true;

    JournalAgent(
        final Sequencer sequencer,
        final SingleChronicleQueue queue,
        final SyncPolicy syncPolicy,
        final BatchPipe pipe,
        final RingBuffer<CommandSlot> ring,
        final Sequence copied,
        final List<ReleaseListener> listeners,
        final WakeableIdleStrategy matcherIdle,
        final SnapshotWriter snapshotWriter,
        final long lastBatchIndex,
        final PipelineMetrics metrics)
    {
        this.sequencer = sequencer;
        this.appender = new JournalAppender(queue, syncPolicy);
        this.pipe = pipe;
        this.ring = ring;
        this.copied = copied;
        this.listeners = listeners.toArray(new ReleaseListener[0]);
        this.matcherIdle = matcherIdle;
        this.snapshotWriter = snapshotWriter;
        this.lastBatchIndex = lastBatchIndex;
        this.metrics = metrics;
    }

    @Override
    public String roleName()
    {
        return "rollbook-journal";
    }

    @Override
    public int doWork()
    {
        final long closed = pipe.closedCount();
        if (closed == taken)
        {
            if (sequencer.isFailed())
            {
                throw new AgentTerminationException();
            }
            return 0;
        }
        try
        {
            for (long i = taken; i < closed; i++)
            {
                final Batch batch = pipe.batch(i);
                copyCommandsIn(batch);
                final long index = appender.append(batch.buffer, 0, batch.length);
                batch.journalIndex = index;
                if (batch.snapshot != null)
                {
                    batch.snapshot.lastBatchIndex = index;
                }
                lastBatchIndex = index;
            }
            appender.sync();
        }
        catch (final Throwable ex)
        {
            sequencer.fail("the journal, writing batch " + pipe.batch(taken).batchNumber, ex);
            throw new AgentTerminationException(ex);
        }
        final long journaledNs = System.nanoTime();

        for (long i = taken; i < closed; i++)
        {
            final Batch batch = pipe.batch(i);
            metrics.matchToJournal().record(journaledNs - batch.openedNs);
            metrics.batchJournaled(batch.length);
            release(batch);
            metrics.journalToRelease().record(System.nanoTime() - journaledNs);
            if (batch.snapshot != null)
            {
                snapshotWriter.submit(batch.snapshot);
                batch.snapshot = null;
            }
            pipe.recycle(i + 1);
            releasedBatches++;
            lastReleasedSequence = batch.lastSequence;
        }
        final int work = (int)(closed - taken);
        taken = closed;
        if (pipe.matcherWaitsForRelease())
        {
            matcherIdle.wake();
        }
        writeAhead();

        return work;
    }

    /**
     * Copies each command of a batch from its ring slot into the room the matcher thread left for it, then frees the
     * slots to the publishers. The journal thread reads the whole batch next (checksum, append, release), so the
     * bytes it writes here are in its own cache when it does.
     */
    private void copyCommandsIn(final Batch batch)
    {
        long ringSequence = batch.firstRingSequence;
        if (ringSequence < 0)
        {
            return;
        }
        final ExpandableDirectByteBuffer buffer = batch.buffer;
        final int end = batch.length;
        int position = JournalFormat.BATCH_HEADER_LENGTH;
        while (position < end)
        {
            CommandSlot slot = ring.get(ringSequence++);
            while (slot.length == CommandSlot.VOID)
            {
                slot = ring.get(ringSequence++);
            }
            final int commandLength = buffer.getInt(position + JournalFormat.RECORD_COMMAND_LENGTH_OFFSET, ORDER);
            buffer.putBytes(position + JournalFormat.RECORD_HEADER_LENGTH, slot.command, 0, commandLength);
            position += buffer.getInt(position + JournalFormat.RECORD_LENGTH_OFFSET, ORDER);
        }
        copied.set(batch.lastRingSequence);
    }

    /**
     * Zeros ahead of the journal's end (sync policy {@code none}): an aid against stalls, not part of the journal, so a
     * failure to write them (a full disk) only stops them, with a warning.
     */
    private void writeAhead()
    {
        if (!writingAhead)
        {
            return;
        }
        try
        {
            appender.writeAhead();
        }
        catch (final JournalException ex)
        {
            writingAhead = false;
            LOG.warn("no more zeros written ahead of the journal ({}); the journal goes on, and its appends may stall " +
                "where its file has holes", ex.getMessage());
        }
    }

    @Override
    public void onClose()
    {
        CloseHelper.quietClose(appender);
    }

    private void release(final Batch batch)
    {
        document.wrap(batch.buffer, 0, batch.length, batch.journalIndex).records(record);
        final ReleaseListener[] listeners = this.listeners;
        while (record.next())
        {
            metrics.countReleased(record.buffer(), record.commandOffset(), record.eventsOffset());
            for (final ReleaseListener listener : listeners)
            {
                try
                {
                    listener.onReleased(record.sequence(), record.timestampNs(), record.source(), record.buffer(),
                        record.commandOffset(), record.commandLength(), record.eventsOffset(), record.eventsLength());
                }
                catch (final RuntimeException ex)
                {
                    listenerFailed(listener, record.sequence(), ex);
                }
            }
        }
        for (final ReleaseListener listener : listeners)
        {
            try
            {
                listener.onBatchReleased(batch.batchNumber, batch.firstSequence, batch.lastSequence,
                    batch.journalIndex);
            }
            catch (final RuntimeException ex)
            {
                listenerFailed(listener, batch.lastSequence, ex);
            }
        }
    }

    private void listenerFailed(final ReleaseListener listener, final long sequence, final RuntimeException ex)
    {
        listenerErrors++;
        LOG.error("release listener {} failed at sequence {} (error {} so far); the journal is unaffected and " +
            "releasing goes on", listener, sequence, listenerErrors, ex);
    }

    /**
     * @return true once the matcher has drained and every batch it closed is released
     */
    boolean drained(final MatcherAgent matcherAgent)
    {
        return matcherAgent.isDrained() && pipe.releasedCount() == pipe.closedCount();
    }

    /**
     * Closing thread, once this agent's thread has stopped after a drain: tells every listener.
     */
    void closedCleanly()
    {
        for (final ReleaseListener listener : listeners)
        {
            try
            {
                listener.onClosedCleanly();
            }
            catch (final RuntimeException ex)
            {
                LOG.error("release listener {} failed at the clean close; the journal is unaffected", listener, ex);
            }
        }
    }

    long bytesZeroedAhead()
    {
        return appender.bytesZeroedAhead();
    }

    long releasedBatches()
    {
        return releasedBatches;
    }

    long lastReleasedSequence()
    {
        return lastReleasedSequence;
    }

    /**
     * @return the journal index of the last batch appended (or recovered), -1 if none
     */
    long lastBatchIndex()
    {
        return lastBatchIndex;
    }
}
