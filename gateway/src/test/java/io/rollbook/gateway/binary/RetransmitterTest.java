package io.rollbook.gateway.binary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.netty.channel.DefaultEventLoop;
import io.rollbook.gateway.core.EventLoopOutbox;
import io.rollbook.gateway.view.JournalIndex;
import io.rollbook.gateway.view.JournalIndexFeed;
import io.rollbook.journal.BatchBuilder;
import io.rollbook.journal.GenesisDocument;
import io.rollbook.journal.JournalAppender;
import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.JournalReader;
import io.rollbook.journal.SyncPolicy;
import io.rollbook.matcher.Matcher;
import io.rollbook.protocol.orderentry.BusinessRejectCode;
import io.rollbook.protocol.orderentry.MessageHeaderDecoder;
import io.rollbook.protocol.orderentry.RetransmissionDecoder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every RetransmitRequest gets an answer, whatever goes wrong on the retransmission thread: a journal that cannot
 * be opened or read, or an event loop whose outbox has no room for the answer, is a refusal the client sees
 * ({@code SYSTEM_BUSY}), and the thread goes on serving the next request. Without the refusal the session would
 * stay "retransmitting" and refuse every later request.
 */
class RetransmitterTest
{
    private static final int LOOP = 0;
    private static final int CONNECTION = 7;
    private static final int ACCOUNT = 10;

    @TempDir
    Path dataDirectory;

    private final DefaultEventLoop eventLoop = new DefaultEventLoop();
    private Retransmitter retransmitter;

    @AfterEach
    void stop()
    {
        if (retransmitter != null)
        {
            retransmitter.close();
        }
        eventLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    @Test
    void anAnswerThatFindsTheOutboxFullIsRefusedAndTheNextRequestIsServed() throws Exception
    {
        final RecordingLoop loop = new RecordingLoop(eventLoop, 1024);
        final AtomicInteger journalOpens = new AtomicInteger();
        start(loop, () ->
        {
            journalOpens.incrementAndGet();
            throw new JournalException("not expected: the request needs no journal");
        });
        final int filler = loop.fill();

        // A request at the cut itself is complete without reading the journal: its answer only needs the outbox.
        submitAtTheCut();
        loop.await(1);
        assertTrue(loop.answers.get(0).startsWith("refused " + CONNECTION + " SYSTEM_BUSY the gateway had no room"),
            loop.answers.get(0));
        assertTrue(loop.answers.get(0).endsWith("nothing was sent, ask again"), loop.answers.get(0));

        eventLoop.submit(loop.outbox::run).get(5, TimeUnit.SECONDS);
        assertEquals(filler, loop.ignored.get(), "the filler was still there: nothing was written over it");
        submitAtTheCut();
        loop.await(2);
        assertEquals("retransmission " + CONNECTION + " count=0 complete=TRUE resume=5/65535", loop.answers.get(1));
        assertEquals(0, journalOpens.get());
    }

    @Test
    void aJournalThatCannotBeOpenedOrReadIsRefusedEveryTimeAndTheThreadLivesOn() throws Exception
    {
        writeJournal();
        final RecordingLoop loop = new RecordingLoop(eventLoop, 1 << 16);
        final AtomicInteger opens = new AtomicInteger();
        start(loop, () ->
        {
            switch (opens.incrementAndGet())
            {
                case 1:
                    throw new JournalException("no journal in " + dataDirectory);
                case 2:
                    throw new IllegalStateException("a bug");
                default:
                    return unreadableCursor();
            }
        });

        for (int i = 1; i <= 3; i++)
        {
            assertTrue(retransmitter.submit(LOOP, CONNECTION, ACCOUNT, 0, 0, 5, 100));
            loop.await(i);
            assertTrue(loop.answers.get(i - 1).startsWith("refused " + CONNECTION + " SYSTEM_BUSY the journal could " +
                "not be read after sequence 0"), loop.answers.get(i - 1));
            assertEquals(i, opens.get(), "a failed cursor is opened afresh for the next request");
        }
        submitAtTheCut();
        loop.await(4);
        assertEquals("retransmission " + CONNECTION + " count=0 complete=TRUE resume=5/65535", loop.answers.get(3));
    }

    @Test
    void aJournalReadShortOfTheCutIsNeverCalledCompleteAndIsServedOnceItCanBeRead() throws Exception
    {
        writeJournal();
        appendBatches(1, 10);
        final RecordingLoop loop = new RecordingLoop(eventLoop, 1 << 16);
        final AtomicInteger opens = new AtomicInteger();
        start(loop, () ->
        {
            opens.incrementAndGet();
            return JournalCursor.open(dataDirectory);
        });

        // The session's cut says 15 is journaled; this reader sees 10.
        assertTrue(retransmitter.submit(LOOP, CONNECTION, ACCOUNT, 0, 0xFFFF, 15, 100));
        loop.await(1);
        assertEquals("retransmission " + CONNECTION + " count=0 complete=FALSE resume=10/65535", loop.answers.get(0));

        assertTrue(retransmitter.submit(LOOP, CONNECTION, ACCOUNT, 10, 0xFFFF, 15, 100));
        loop.await(2);
        assertEquals("refused " + CONNECTION + " SYSTEM_BUSY the journal could be read only up to sequence 10, short " +
            "of 15; nothing was sent, ask again", loop.answers.get(1));

        appendBatches(11, 15);
        assertTrue(retransmitter.submit(LOOP, CONNECTION, ACCOUNT, 10, 0xFFFF, 15, 100));
        loop.await(3);
        assertEquals("retransmission " + CONNECTION + " count=0 complete=TRUE resume=15/65535", loop.answers.get(2));
        assertEquals(2, opens.get(), "the reader that fell short is opened afresh");
    }

    private void start(final RecordingLoop loop, final Supplier<JournalCursor> journal)
    {
        final JournalIndex index = new JournalIndex(16, 1024);
        retransmitter = new Retransmitter(journal, index, new JournalIndexFeed(index),
            new Retransmitter.Target[] {loop}, 1_000, 0);
        retransmitter.start();
    }

    private void submitAtTheCut()
    {
        assertTrue(retransmitter.submit(LOOP, CONNECTION, ACCOUNT, 5, 0xFFFF, 5, 100));
    }

    private void writeJournal()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        try (SingleChronicleQueue queue = JournalFiles.openForWriting(dataDirectory);
            JournalAppender appender = new JournalAppender(queue, SyncPolicy.NONE))
        {
            appender.append(buffer, 0, GenesisDocument.of(new Matcher.Context()).encode(buffer, 0));
        }
    }

    /**
     * Appends batches of one command each, sequence = batch number, with no events (no account's reports).
     */
    private void appendBatches(final long fromBatch, final long toBatch)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[8]);
        try (SingleChronicleQueue queue = JournalFiles.openForWriting(dataDirectory);
            JournalAppender appender = new JournalAppender(queue, SyncPolicy.NONE))
        {
            for (long batch = fromBatch; batch <= toBatch; batch++)
            {
                final BatchBuilder builder = new BatchBuilder().begin(buffer, batch);
                final int eventsOffset = builder.beginRecord(batch, batch, 0, command, 0, command.capacity());
                builder.endRecord(eventsOffset, 0);
                appender.append(buffer, 0, builder.finish());
            }
        }
    }

    /**
     * A cursor whose files went away under it: the genesis was read, every later read fails.
     */
    private JournalCursor unreadableCursor()
    {
        final SingleChronicleQueue queue = JournalFiles.openForReading(dataDirectory);
        final JournalCursor cursor = new JournalCursor(new JournalReader(queue));
        queue.close();
        return cursor;
    }

    /**
     * An event loop's side as the retransmitter sees it: its outbox, drained on the loop into a list of answers,
     * and refusals recorded as they arrive.
     */
    private static final class RecordingLoop implements Retransmitter.Target, EventLoopOutbox.Consumer
    {
        final EventLoopOutbox outbox;
        final List<String> answers = new CopyOnWriteArrayList<>();
        final AtomicInteger ignored = new AtomicInteger();
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final RetransmissionDecoder retransmission = new RetransmissionDecoder();

        RecordingLoop(final DefaultEventLoop eventLoop, final int capacityBytes)
        {
            outbox = new EventLoopOutbox(eventLoop, LOOP, capacityBytes, 4096);
            outbox.consumer(this);
        }

        /**
         * Fills the outbox with messages the loop ignores, without waking it.
         *
         * @return how many
         */
        int fill()
        {
            int count = 0;
            int at;
            while ((at = outbox.tryClaimOrRetryLater(99, 64)) >= 0)
            {
                outbox.commit(at);
                count++;
            }
            return count;
        }

        void await(final int answerCount) throws InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (answers.size() < answerCount)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new AssertionError("expected " + answerCount + " answers, have " + answers);
                }
                Thread.sleep(1);
            }
        }

        @Override
        public EventLoopOutbox outbox()
        {
            return outbox;
        }

        @Override
        public void refuseRetransmission(final int connection, final BusinessRejectCode code, final String text)
        {
            answers.add("refused " + connection + " " + code + " " + text);
        }

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int offset, final int length)
        {
            if (msgTypeId != Outbox.RETRANSMISSION)
            {
                ignored.incrementAndGet();
                return;
            }
            final int messageAt = offset + Outbox.DIRECT_MESSAGE + 4;
            header.wrap(buffer, messageAt);
            retransmission.wrap(buffer, messageAt + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                header.version());
            answers.add("retransmission " + buffer.getInt(offset + Outbox.DIRECT_CONNECTION, ByteOrder.LITTLE_ENDIAN) +
                " count=" + retransmission.count() + " complete=" + retransmission.complete() + " resume=" +
                retransmission.resumeAfterSequence() + "/" + retransmission.resumeAfterEventIndex());
        }

        @Override
        public void onDrainPassEnd()
        {
        }
    }
}
