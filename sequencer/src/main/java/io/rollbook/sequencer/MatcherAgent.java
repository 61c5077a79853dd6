package io.rollbook.sequencer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.rollbook.journal.BatchBuilder;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.snapshot.MatcherStateCodec;
import io.rollbook.journal.snapshot.SnapshotStore;
import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.protocol.Genesis;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.sequencer.metrics.LatencyHistogram;
import io.rollbook.sequencer.metrics.PipelineMetrics;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochNanoClock;

/**
 * The matcher thread: takes commands off the ring, stamps each with its sequence number and timestamp, writes its
 * record into the open batch and runs it through the matcher, whose events land right behind it. A command from the
 * ring is read where it is, in its slot, and the journal thread copies it into the room left for it in the batch. The
 * service's own commands (at start) are copied in here. Closes batches and hands them to the journal thread; takes
 * the periodic snapshots at batch boundaries, unless the {@link SnapshotFollower} takes them, and the final one at
 * shutdown.
 *
 * <p>A batch closes when it holds {@code batchMaxCommands} commands or {@code batchMaxBytes} bytes, when its
 * first command is {@code batchMaxAgeUs} old, or as soon as the ring is drained while the journal thread is idle.
 * That last rule is what keeps latency low at low load (a lone command is journaled at once) and throughput high
 * at high load (while the journal is busy the batch keeps growing, so each append and each sync carries more).
 *
 * <p>Owned by the matcher thread, except {@link #requestDrain()}. Allocates nothing per command.
 */
final class MatcherAgent implements Agent
{
    private static final int POLL_LIMIT = 256;
    private static final VarHandle LAST_SEQUENCE;

    static
    {
        try
        {
            LAST_SEQUENCE = MethodHandles.lookup().findVarHandle(MatcherAgent.class, "lastSequence", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Sequencer sequencer;
    private final Matcher matcher;
    private final Sequence consumed;
    private final RingBuffer<CommandSlot> ring;
    private final BatchPipe pipe;
    private final WakeableIdleStrategy journalIdle;
    private final EpochNanoClock clock;
    private final Genesis genesis;
    private final boolean newJournal;
    private final MatcherStateCodec snapshotCodec;
    private final SnapshotJob snapshotJob;
    private final SnapshotSchedule snapshotSchedule;
    private final int batchMaxCommands;
    private final int batchMaxBytes;
    private final long batchMaxAgeNs;
    private final BatchBuilder builder = new BatchBuilder();
    private final EventWriter events = new EventWriter();
    private final LatencyHistogram publishToMatch;

    private Batch batch;
    private long batchOpenedNs;
    private long lastSequence;
    private long lastTimestampNs;
    private long nextBatchNumber;
    private long nextRingSequence;
    private boolean ringDrained;
    private boolean waitingForJournal;
    private volatile boolean drainRequested;
    private volatile boolean drained;
    /** The last sequence of the commands sequenced at start; -1 until they are all in closed batches. */
    private volatile long startupLastSequence = -1;

    MatcherAgent(
        final Sequencer sequencer,
        final Sequencer.Context context,
        final Recovery.Result recovery,
        final Sequence consumed,
        final RingBuffer<CommandSlot> ring,
        final BatchPipe pipe,
        final WakeableIdleStrategy journalIdle,
        final SnapshotJob snapshotJob,
        final LatencyHistogram publishToMatch)
    {
        this.sequencer = sequencer;
        this.matcher = recovery.matcher();
        this.consumed = consumed;
        this.ring = ring;
        this.pipe = pipe;
        this.journalIdle = journalIdle;
        this.clock = context.clock();
        this.genesis = context.genesis();
        this.newJournal = recovery.newJournal();
        this.snapshotCodec = context.snapshotCodec();
        this.snapshotJob = snapshotJob;
        this.snapshotSchedule = new SnapshotSchedule(context.snapshotEveryBatches(), context.snapshotEveryCommands());
        this.batchMaxCommands = context.batchMaxCommands();
        this.batchMaxBytes = context.batchMaxBytes();
        this.batchMaxAgeNs = context.batchMaxAgeUs() * 1_000;
        this.lastSequence = recovery.lastSequence();
        this.lastTimestampNs = recovery.lastTimestampNs();
        this.nextBatchNumber = recovery.nextBatchNumber();
        this.nextRingSequence = consumed.get() + 1;
        this.publishToMatch = publishToMatch;
    }

    @Override
    public String roleName()
    {
        return "rollbook-matcher";
    }

    /**
     * On a new journal, sequences the genesis commands (fee tiers, markets, account setups) as sequence numbers
     * 1..k. On an existing one, defines each configured market the journal does not hold yet; one it holds keeps
     * the journal's definition (markets are never redefined behind the journal's back).
     */
    @Override
    public void onStart()
    {
        try
        {
            if (newJournal)
            {
                genesis.forEachCommand((buffer, offset, length) -> sequenceOwn(buffer, offset, length));
            }
            else
            {
                final ExpandableArrayBuffer command = new ExpandableArrayBuffer(256);
                for (final MarketSpec spec : genesis.markets())
                {
                    if (matcher.market(spec.id()) == null)
                    {
                        sequenceOwn(command, 0, spec.encode(command, 0));
                    }
                }
            }
            if (batch != null && !builder.isEmpty())
            {
                closeBatch();
            }
            startupLastSequence = lastSequence;
        }
        catch (final RuntimeException ex)
        {
            sequencer.fail("sequencing the genesis commands", ex);
            throw new AgentTerminationException(ex);
        }
    }

    private void sequenceOwn(final DirectBuffer command, final int offset, final int length)
    {
        if (batch == null && !claim())
        {
            throw new IllegalStateException("no batch buffer free at start");
        }
        final long sequence = beginCommand();
        final long timestampNs = stamp();
        final int eventsOffset = builder.beginRecord(sequence, timestampNs, 0, command, offset, length);
        execute(sequence, batch.buffer, eventsOffset - length, length, eventsOffset, timestampNs);
        if (builder.commandCount() >= batchMaxCommands || builder.length() >= batchMaxBytes)
        {
            closeBatch();
        }
    }

    @Override
    public int doWork()
    {
        if (sequencer.isFailed())
        {
            throw new AgentTerminationException();
        }
        try
        {
            if (batch == null && !claim())
            {
                return waitingForJournal(0);
            }
            final int polled = poll();
            int work = polled;

            if (batch != null && !builder.isEmpty() &&
                ((ringDrained && pipe.journalIdle()) || System.nanoTime() - batchOpenedNs >= batchMaxAgeNs ||
                (drainRequested && ringDrained)))
            {
                closeBatch();
                work++;
            }
            if (drainRequested && ringDrained && (batch == null || builder.isEmpty()) &&
                consumed.get() >= ring.getCursor())
            {
                drained = true;
            }

            return waitingForJournal(work);
        }
        catch (final AgentTerminationException ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            batch = null;
            sequencer.fail("the matcher, at sequence " + lastSequence, ex);
            throw new AgentTerminationException(ex);
        }
    }

    /**
     * Sequences what the ring holds, up to {@link #POLL_LIMIT} commands or until the batch fills and no other
     * buffer is free, then frees the slots it consumed. Void slots (a publish refused after its claim) are consumed
     * and skipped. Only the slots it takes are inspected: a poll never
     * scans the rest of the ring. The commands taken in one poll were all waiting when it began, and all carry
     * the time it began: one clock read per poll rather than per command (and at most one {@code System.nanoTime}
     * for the publish-to-match latency of the sampled slots it takes).
     *
     * @return how many commands it sequenced
     */
    private int poll()
    {
        final RingBuffer<CommandSlot> ring = this.ring;
        long next = nextRingSequence;
        if (!ring.isAvailable(next))
        {
            ringDrained = true;
            return 0;
        }
        final long timestampNs = stamp();
        long pollNs = 0;
        int polled = 0;
        boolean room = true;
        while (room && polled < POLL_LIMIT && ring.isAvailable(next))
        {
            final CommandSlot slot = ring.get(next);
            if (slot.length == CommandSlot.VOID)
            {
                next++;
                continue;
            }
            if ((next & PipelineMetrics.PUBLISH_SAMPLE_MASK) == 0)
            {
                if (pollNs == 0)
                {
                    pollNs = System.nanoTime();
                }
                publishToMatch.record(pollNs - slot.publishedNs);
            }
            executeFromRing(next, slot, timestampNs);
            next++;
            polled++;
            if (builder.commandCount() >= batchMaxCommands || builder.length() >= batchMaxBytes)
            {
                closeBatch();
                room = claim();
            }
        }
        if (next != nextRingSequence)
        {
            nextRingSequence = next;
            consumed.set(next - 1);
        }
        ringDrained = !ring.isAvailable(next);

        return polled;
    }

    /**
     * Tells the journal thread whether to wake this one when it releases: only while this one has nothing to do
     * but wait for it (no free buffer, or an open batch that closes when the journal goes idle). Any other wake
     * would be a context switch for nothing, one per batch at low rates.
     *
     * @return the work to report: one more when it has just started waiting, for the second look that
     *         {@link BatchPipe#matcherWaiting} asks for
     */
    private int waitingForJournal(final int work)
    {
        final boolean waiting = work == 0 && (batch == null || !builder.isEmpty());
        if (waiting != waitingForJournal)
        {
            waitingForJournal = waiting;
            pipe.matcherWaiting(waiting);
            if (waiting)
            {
                return 1;
            }
        }

        return work;
    }

    /**
     * @return the time for the commands taken off the ring now: never before the last one
     */
    private long stamp()
    {
        return Math.max(clock.nanoTime(), lastTimestampNs);
    }

    /**
     * Runs a command the matcher reads from its ring slot. The batch gets the record with room for the command, which
     * the journal thread copies in from the slot: the command's bytes are not copied on this thread, into lines the
     * journal thread would then have to fetch back. The ring's slots stay taken until the journal thread has copied
     * them (its gating sequence).
     */
    private void executeFromRing(final long ringSequence, final CommandSlot slot, final long timestampNs)
    {
        final Batch batch = this.batch;
        if (batch.firstRingSequence < 0)
        {
            if (!builder.isEmpty())
            {
                throw new IllegalStateException("the ring's commands in a batch of the service's own");
            }
            batch.firstRingSequence = ringSequence;
        }
        final long sequence = beginCommand();
        batch.lastRingSequence = ringSequence;
        final int length = slot.length;
        final int eventsOffset = builder.beginRecordWithoutCommand(sequence, timestampNs, slot.source, length);
        execute(sequence, slot.command, 0, length, eventsOffset, timestampNs);
    }

    /**
     * @return the sequence of the command about to be executed into the open batch
     */
    private long beginCommand()
    {
        if (builder.isEmpty())
        {
            batchOpenedNs = System.nanoTime();
        }

        return lastSequence + 1;
    }

    private void execute(
        final long sequence,
        final DirectBuffer command,
        final int offset,
        final int length,
        final int eventsOffset,
        final long timestampNs)
    {
        events.wrap(batch.buffer, eventsOffset);
        matcher.execute(sequence, timestampNs, command, offset, length, events);
        builder.endRecord(events.position(), events.eventCount());
        LAST_SEQUENCE.setOpaque(this, sequence);
        lastTimestampNs = timestampNs;
    }

    private boolean claim()
    {
        final Batch next = pipe.claim();
        if (next == null)
        {
            return false;
        }
        batch = next;
        next.firstRingSequence = -1;
        next.lastRingSequence = -1;
        builder.begin(next.buffer, nextBatchNumber);
        return true;
    }

    private void closeBatch()
    {
        final Batch closing = batch;
        closing.length = builder.finish();
        closing.batchNumber = builder.batchNumber();
        closing.firstSequence = builder.firstSequence();
        closing.lastSequence = builder.lastSequence();
        closing.commandCount = builder.commandCount();
        closing.openedNs = batchOpenedNs;
        closing.snapshot = null;
        if (snapshotJob != null)
        {
            snapshotSchedule.onBatch(closing.commandCount);
            if (snapshotSchedule.due() && snapshotJob.inUse.compareAndSet(false, true))
            {
                fillSnapshot(snapshotJob, closing.batchNumber);
                closing.snapshot = snapshotJob;
                snapshotSchedule.taken();
            }
        }
        nextBatchNumber++;
        batch = null;
        pipe.publish();
        journalIdle.wake();
    }

    private void fillSnapshot(final SnapshotJob job, final long batchNumber)
    {
        job.stateLength = snapshotCodec.write(matcher, job.buffer, SnapshotStore.HEADER_LENGTH);
        job.lastSequence = lastSequence;
        job.lastBatchNumber = batchNumber;
        job.lastTimestampNs = lastTimestampNs;
    }

    /**
     * Any thread: asks the agent to sequence what is left in the ring, close its batch and report
     * {@link #isDrained()}.
     */
    void requestDrain()
    {
        drainRequested = true;
    }

    boolean isDrained()
    {
        return drained;
    }

    /**
     * @param newestSnapshotSequence the last sequence of the newest snapshot on disk
     */
    boolean hasUnsnapshottedState(final long newestSnapshotSequence)
    {
        return lastSequence > newestSnapshotSequence && nextBatchNumber > 1;
    }

    /**
     * Closing thread, once the matcher thread, the follower and the snapshot writer have ended: writes a snapshot of
     * the final state.
     */
    void writeFinalSnapshot(final SnapshotWriter writer, final long lastBatchIndex)
    {
        if (lastBatchIndex < 0)
        {
            throw new JournalException("no journal index for batch " + (nextBatchNumber - 1));
        }
        final SnapshotJob job = snapshotJob != null ? snapshotJob : new SnapshotJob(matcher.snapshotLength());
        job.inUse.set(true);
        fillSnapshot(job, nextBatchNumber - 1);
        job.lastBatchIndex = lastBatchIndex;
        writer.write(job);
    }

    Matcher matcher()
    {
        return matcher;
    }

    /**
     * @return the last sequence of the commands sequenced at start (genesis, or markets new to the journal), all of
     *         them in closed batches; -1 until then. Any thread.
     */
    long startupLastSequence()
    {
        return startupLastSequence;
    }

    long lastSequence()
    {
        return lastSequence;
    }

    /**
     * @return the last sequence number the matcher executed, as far as another thread can see; any thread
     */
    long sequencedSequence()
    {
        return (long)LAST_SEQUENCE.getOpaque(this);
    }
}
