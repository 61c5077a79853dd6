package io.rollbook.gateway.view;

import java.nio.file.Path;

import io.rollbook.journal.BatchBuilder;
import io.rollbook.journal.GenesisDocument;
import io.rollbook.journal.JournalAppender;
import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.RecordView;
import io.rollbook.journal.SyncPolicy;
import io.rollbook.matcher.Matcher;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The threads that read the journal on request keep their sparse indexes current from the batches the sequencer
 * releases, instead of reading every batch written since their index last grew on their first request after a long
 * run.
 */
class JournalIndexFeedTest
{
    private static final int STRIDE = 16;

    @TempDir
    Path dataDirectory;

    @Test
    void aReaderJumpsToABatchReleasedAfterItsIndexWasCopiedWithoutReadingTheJournalBeforeIt()
    {
        final long[] batchIndexes = writeJournal(200);
        final JournalIndex atStart = new JournalIndex(STRIDE, 1024);
        final JournalIndexFeed feed = new JournalIndexFeed(atStart);
        final RecordView record = new RecordView();
        try (IndexedJournalReader reader = new IndexedJournalReader(
            () -> JournalCursor.open(dataDirectory), atStart.copy(), feed, "test"))
        {
            for (long batch = 1; batch <= 200; batch++)
            {
                feed.onBatchReleased(batch, batch, batch, batchIndexes[(int)batch]);
            }

            final JournalCursor cursor = reader.readFrom(190);
            assertEquals(176, cursor.lastBatchNumber(), "resumed after the last fed batch that ends before 190");
            for (long sequence = 190; sequence <= 200; sequence++)
            {
                assertTrue(reader.nextRecord(record));
                assertEquals(sequence, record.sequence());
            }
            assertFalse(reader.nextRecord(record));
        }
    }

    @Test
    void aFullRingDropsWhatComesAfterWithoutWaitingAndTheIndexTakesTheRestOnceDrained()
    {
        final JournalIndex shape = new JournalIndex(STRIDE, 1 << 16);
        final JournalIndexFeed feed = new JournalIndexFeed(shape);
        final JournalIndex index = shape.copy();
        final JournalIndexFeed.Subscription subscription = feed.subscribe(index);
        final JournalIndex other = shape.copy();
        final JournalIndexFeed.Subscription otherSubscription = feed.subscribe(other);

        for (long batch = 1; batch <= 3_000 * STRIDE; batch++)
        {
            feed.onBatchReleased(batch, batch, batch, 1_000_000 + batch);
        }
        subscription.catchUp();
        final int held = index.size();
        assertTrue(held >= 2_000 && held < 3_000, "a ring holds about 2,000 entries, the rest are dropped: " + held);
        assertEquals((long)held * STRIDE, index.lastBatchNumber(), "the first ones are kept, in order");
        assertEquals(1_000_000 + (long)held * STRIDE, index.index(held - 1));

        feed.onBatchReleased(3_001 * STRIDE, 3_001 * STRIDE, 3_001 * STRIDE + 5, 7);
        subscription.catchUp();
        assertEquals(held + 1, index.size(), "a drained ring takes entries again");
        assertEquals(3_001 * STRIDE, index.batchNumber(index.floorBefore(Long.MAX_VALUE)));
        assertEquals(7, index.index(index.floorBefore(Long.MAX_VALUE)));

        otherSubscription.catchUp();
        assertEquals(held, other.size(), "each subscriber has a ring of its own; the other's was still full");
    }

    /**
     * A genesis and then batches of one command each, sequence = batch number.
     *
     * @return each batch's Chronicle index, by batch number
     */
    private long[] writeJournal(final int batches)
    {
        final long[] indexes = new long[batches + 1];
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[8]);
        try (SingleChronicleQueue queue = JournalFiles.openForWriting(dataDirectory);
            JournalAppender appender = new JournalAppender(queue, SyncPolicy.NONE))
        {
            appender.append(buffer, 0, GenesisDocument.of(new Matcher.Context()).encode(buffer, 0));
            for (int batch = 1; batch <= batches; batch++)
            {
                final BatchBuilder builder = new BatchBuilder().begin(buffer, batch);
                final int eventsOffset = builder.beginRecord(batch, batch, 0, command, 0, command.capacity());
                builder.endRecord(eventsOffset, 0);
                indexes[batch] = appender.append(buffer, 0, builder.finish());
            }
        }
        return indexes;
    }
}
