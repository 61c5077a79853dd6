package io.rollbook.gateway.binary;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import io.rollbook.gateway.core.EventLoopOutbox;
import io.rollbook.gateway.view.IndexedJournalReader;
import io.rollbook.gateway.view.JournalIndex;
import io.rollbook.gateway.view.JournalIndexFeed;
import io.rollbook.gateway.view.JournalRequestThread;
import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.RecordView;
import io.rollbook.protocol.orderentry.BooleanType;
import io.rollbook.protocol.orderentry.BusinessRejectCode;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.RetransmissionEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves RetransmitRequests from the journal on its own thread, so that reading (possibly much of) the journal
 * never holds up an event loop. For a request it jumps near the requested position with the sparse
 * {@link JournalIndex}, reads forward, and maps every record's events to the account's execution reports with the
 * same {@link ExecutionReports} the live fan-out uses, up to the session's cut (its {@code lastJournalSequence}),
 * at most the capped number of reports and the capped number of scanned records. The Retransmission message and
 * its reports go to the session's event loop as one outbox message, which the loop writes back to back.
 *
 * <p>Every request gets exactly one answer, or its session's retransmission would stay in progress and refuse every
 * later request: the Retransmission with its reports, or, when the journal cannot be read (a failure, a bug) or the
 * loop's outbox has no room for the answer within the wait, a refusal ({@code SYSTEM_BUSY}: nothing was sent, ask
 * again) that reaches the loop as a task of its own ({@link Target#refuseRetransmission}), since a full outbox
 * cannot carry it. The client then knows it did not get the range.
 *
 * <p>Requests come from event loops ({@link #submit}, thread-safe); everything else runs on the retransmission
 * thread, which owns the journal cursor. It waits for room in a full outbox rather than refuse at once.
 */
final class Retransmitter extends JournalRequestThread<Retransmitter.Job>
{
    /**
     * An event loop as the retransmission thread sees it.
     */
    interface Target
    {
        /**
         * @return where the loop's answers go
         */
        EventLoopOutbox outbox();

        /**
         * Any thread: answers a connection's request with a BusinessReject and ends its retransmission, on the
         * loop, without going through the outbox.
         */
        void refuseRetransmission(int connection, BusinessRejectCode code, String text);
    }

    static final long DEFAULT_OUTBOX_WAIT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final Logger LOG = LoggerFactory.getLogger(Retransmitter.class);
    private static final int AFTER_ALL_EVENTS = 0xFFFF;

    private final Target[] loops;
    private final int maxScannedRecords;
    private final long outboxWaitNs;
    private final ExecutionReports reports = new ExecutionReports();
    private final RecordView record = new RecordView();
    private final ExpandableDirectByteBuffer work = new ExpandableDirectByteBuffer(64 * 1024);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final RetransmissionEncoder retransmission = new RetransmissionEncoder();

    static final class Job
    {
        final int loop;
        final int connection;
        final int account;
        final long afterSequence;
        final int afterEventIndex;
        final long upToSequence;
        final int maxCount;

        Job(final int loop, final int connection, final int account, final long afterSequence, final int afterEventIndex,
            final long upToSequence, final int maxCount)
        {
            this.loop = loop;
            this.connection = connection;
            this.account = account;
            this.afterSequence = afterSequence;
            this.afterEventIndex = afterEventIndex;
            this.upToSequence = upToSequence;
            this.maxCount = maxCount;
        }
    }

    /**
     * The reports of one request, collected into {@link #work} behind the outbox prefix and the Retransmission.
     */
    private final class Collector implements ExecutionReports.Sink, ExecutionReports.AccountFilter
    {
        int account;
        int maxCount;
        int maxBytes;
        int count;
        int length;
        boolean full;
        long lastSequence;
        int lastEventIndex;
        long currentSequence;

        @Override
        public boolean wants(final int candidate)
        {
            return candidate == account && !full;
        }

        @Override
        public void onReport(
            final int reportAccount, final int eventIndex, final DirectBuffer buffer, final int offset, final int reportLength)
        {
            if (count >= maxCount || length + 4 + reportLength > maxBytes)
            {
                full = true;
                return;
            }
            work.putInt(length, reportLength, ByteOrder.LITTLE_ENDIAN);
            work.putBytes(length + 4, buffer, offset, reportLength);
            length += 4 + reportLength;
            count++;
            lastSequence = currentSequence;
            lastEventIndex = eventIndex;
            if (count >= maxCount)
            {
                full = true;
            }
        }
    }

    private final Collector collector = new Collector();

    /**
     * @param journal           opens a cursor over the journal, on the retransmission thread when it first needs one
     *                          and again after a read failed
     * @param outboxWaitNs      how long an answer waits for room in a full outbox before the request is refused
     */
    Retransmitter(
        final Supplier<JournalCursor> journal,
        final JournalIndex index,
        final JournalIndexFeed indexFeed,
        final Target[] loops,
        final int maxScannedRecords,
        final long outboxWaitNs)
    {
        super("rollbook-retransmit", 1024, new IndexedJournalReader(journal, index, indexFeed, "retransmission"));
        this.loops = loops;
        this.maxScannedRecords = maxScannedRecords;
        this.outboxWaitNs = outboxWaitNs;
    }

    /**
     * Event loop: queues a request.
     *
     * @return false if too many requests are waiting
     */
    boolean submit(
        final int loop,
        final int connection,
        final int account,
        final long afterSequence,
        final int afterEventIndex,
        final long upToSequence,
        final int maxCount)
    {
        return offer(new Job(loop, connection, account, afterSequence, afterEventIndex, upToSequence, maxCount));
    }

    @Override
    protected void serve(final Job job)
    {
        try
        {
            retransmit(job);
        }
        catch (final RuntimeException | Error ex)
        {
            // A failure here touches no shared state: answer the request, forget the cursor (its position may be
            // anywhere) and serve the next request, rather than leave this session waiting and end the thread.
            LOG.error("retransmission after sequence {} for connection {} of loop {} failed", job.afterSequence,
                job.connection, job.loop, ex);
            journal.reset();
            refuse(job, "the journal could not be read after sequence " + job.afterSequence + " (" +
                ex.getClass().getSimpleName() + "); nothing was sent, ask again");
        }
    }

    private void retransmit(final Job job)
    {
        final int prefix = Outbox.DIRECT_MESSAGE + 4 + MessageHeaderEncoder.ENCODED_LENGTH + RetransmissionEncoder.BLOCK_LENGTH;
        final EventLoopOutbox outbox = loops[job.loop].outbox();
        final Collector c = collector;
        c.account = job.account;
        c.maxCount = job.maxCount;
        c.maxBytes = Math.min(outbox.maxMessageLength(), 4 << 20);
        c.count = 0;
        c.length = prefix;
        c.full = false;
        c.lastSequence = job.afterSequence;
        c.lastEventIndex = job.afterEventIndex;

        long resumeSequence = job.afterSequence;
        int resumeEventIndex = job.afterEventIndex;
        boolean complete = job.afterSequence >= job.upToSequence &&
            (job.afterSequence > job.upToSequence || job.afterEventIndex == AFTER_ALL_EVENTS);
        if (!complete)
        {
            final JournalCursor cursor = journal.readFrom(job.afterSequence);
            long scanned = 0;
            long lastScanned = job.afterSequence;
            boolean done = false;
            while (journal.nextRecord(record))
            {
                final long sequence = record.sequence();
                if (sequence > job.upToSequence)
                {
                    complete = true;
                    done = true;
                    break;
                }
                final int from = sequence == job.afterSequence ? job.afterEventIndex + 1 : 0;
                if (from <= AFTER_ALL_EVENTS)
                {
                    c.currentSequence = sequence;
                    reports.map(sequence, record.timestampNs(), record.buffer(), record.eventsOffset(),
                        record.eventsLength(), from, c, c);
                }
                if (c.full)
                {
                    done = true;
                    break;
                }
                lastScanned = sequence;
                if (sequence == job.upToSequence)
                {
                    complete = true;
                    done = true;
                    break;
                }
                if (++scanned >= maxScannedRecords)
                {
                    done = true;
                    break;
                }
            }
            if (!done)
            {
                // Released means journaled, so the journal holds every sequence up to the cut: a reader that ends
                // short of it has not seen the newest part yet (or fails to), and calling that complete would skip
                // acknowledged reports for good. The client asks again from what was read, or is told to ask again.
                final boolean movedOn = c.count > 0 ||
                    (scanned > 0 && (lastScanned > job.afterSequence || job.afterEventIndex != AFTER_ALL_EVENTS));
                if (!movedOn)
                {
                    final long readTo = cursor.lastSequence();
                    journal.reset();
                    refuse(job, "the journal could be read only up to sequence " + readTo + ", short of " +
                        job.upToSequence + "; nothing was sent, ask again");
                    return;
                }
            }
            if (c.full)
            {
                resumeSequence = c.lastSequence;
                resumeEventIndex = c.lastEventIndex;
            }
            else if (complete)
            {
                resumeSequence = job.upToSequence;
                resumeEventIndex = AFTER_ALL_EVENTS;
            }
            else
            {
                resumeSequence = lastScanned;
                resumeEventIndex = AFTER_ALL_EVENTS;
            }
        }

        final int messageAt = Outbox.DIRECT_MESSAGE + 4;
        final RetransmissionEncoder encoder = retransmission.wrapAndApplyHeader(work, messageAt, header)
            .afterSequence(job.afterSequence)
            .afterEventIndex(job.afterEventIndex)
            .count(c.count)
            .complete(complete ? BooleanType.TRUE : BooleanType.FALSE)
            .resumeAfterSequence(resumeSequence)
            .resumeAfterEventIndex(resumeEventIndex);
        work.putInt(Outbox.DIRECT_MESSAGE, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            ByteOrder.LITTLE_ENDIAN);
        work.putInt(Outbox.DIRECT_CONNECTION, job.connection);
        work.putInt(Outbox.DIRECT_FLAGS, Outbox.FLAG_ENDS_RETRANSMISSION);
        if (!deliver(outbox, Outbox.RETRANSMISSION, c.length))
        {
            LOG.warn("event loop {} had no room for a retransmission of {} bytes for {} ms; refused", outbox.index(),
                c.length, TimeUnit.NANOSECONDS.toMillis(outboxWaitNs));
            refuse(job, "the gateway had no room for the answer for " + TimeUnit.NANOSECONDS.toMillis(outboxWaitNs) +
                " ms; nothing was sent, ask again");
        }
    }

    private void refuse(final Job job, final String text)
    {
        loops[job.loop].refuseRetransmission(job.connection, BusinessRejectCode.SYSTEM_BUSY, text);
    }

    /**
     * @return false if the outbox had no room within the wait (or the retransmitter is closing): nothing was sent
     */
    private boolean deliver(final EventLoopOutbox outbox, final int type, final int length)
    {
        final long deadline = System.nanoTime() + outboxWaitNs;
        int at;
        while ((at = outbox.tryClaimOrRetryLater(type, length)) < 0)
        {
            if (!running() || System.nanoTime() - deadline >= 0)
            {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        final AtomicBuffer ring = outbox.buffer();
        ring.putBytes(at, work, 0, length);
        outbox.commit(at);
        outbox.wake();
        return true;
    }
}
