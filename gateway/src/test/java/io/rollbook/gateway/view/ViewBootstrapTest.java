package io.rollbook.gateway.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.file.Path;

import io.rollbook.journal.BatchBuilder;
import io.rollbook.journal.GenesisDocument;
import io.rollbook.journal.JournalAppender;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.SyncPolicy;
import io.rollbook.matcher.Matcher;
import io.rollbook.protocol.engine.BooleanType;
import io.rollbook.protocol.engine.CancelReason;
import io.rollbook.protocol.engine.DepositEncoder;
import io.rollbook.protocol.engine.MarketDefinedEncoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OrderCanceledEncoder;
import io.rollbook.protocol.engine.Side;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The views are read from the journal's first batch, so they see damage that recovery, starting from a snapshot
 * after it, would not: such a journal is refused before the sequencer starts, a torn tail is skipped.
 */
class ViewBootstrapTest
{
    /**
     * Where a batch states its command count (docs/JOURNAL.md): the appender checksums what it is given, so a
     * batch is damaged for the reader by a count its sequence range contradicts.
     */
    private static final int COMMAND_COUNT_OFFSET = 40;

    @TempDir
    Path dataDirectory;

    @Test
    void damageWithIntactBatchesAfterItIsRefusedWithTheOperatorsWayOut()
    {
        write(true, false, true);

        final JournalException refused = assertThrows(JournalException.class,
            () -> ViewBootstrap.load(dataDirectory, 8, 100, new JournalIndex(16, 64)));
        assertTrue(refused.getMessage().contains("is damaged, not torn") &&
            refused.getMessage().contains("1 intact batch(es) follow it, up to sequence 3") &&
            refused.getMessage().contains("./rollbook journal void-damaged --data " + dataDirectory +
                " --through-sequence 3"), refused.getMessage());
    }

    /**
     * A cycle file cut at a batch boundary reads cleanly to an early end; the views would end there and the gateway
     * would answer for a journal that lost batches. It is refused before the sequencer starts.
     */
    @Test
    void aCycleFileCutFromOutsideIsRefused() throws IOException
    {
        write(true, true, true);
        final Path cycle;
        final long lastDocument;
        try (SingleChronicleQueue queue = JournalFiles.openForReading(dataDirectory))
        {
            final SingleChronicleQueueStore store = queue.storeForCycle(queue.lastCycle(), queue.epoch(), false, null);
            cycle = store.file().toPath();
            lastDocument = store.writePosition();
            queue.closeStore(store);
        }
        try (RandomAccessFile file = new RandomAccessFile(cycle.toFile(), "rw"))
        {
            file.setLength(lastDocument);
        }

        final JournalException refused = assertThrows(JournalException.class,
            () -> ViewBootstrap.load(dataDirectory, 8, 100, new JournalIndex(16, 64)));
        assertTrue(refused.getMessage().contains("damaged from outside the service: cycle file " + cycle) &&
            refused.getMessage().contains("reads intact up to batch 2 (sequence 2)"), refused.getMessage());
    }

    @Test
    void aTornTailIsSkipped()
    {
        write(true, false);

        final GatewayViews views = ViewBootstrap.load(dataDirectory, 8, 100, new JournalIndex(16, 64));
        assertEquals(1, views.updater().lastSequence());
    }

    /**
     * A journal the views cannot apply (a canceled resting order on an empty book) fails the start with the view's
     * error while the reading thread is still ahead with thousands of batches: the load returns only once that
     * thread has stopped and closed the journal.
     */
    @Test
    void aViewFailureStopsTheReadingThread()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        try (SingleChronicleQueue queue = JournalFiles.openForWriting(dataDirectory);
            JournalAppender appender = new JournalAppender(queue, SyncPolicy.NONE))
        {
            appender.append(buffer, 0, GenesisDocument.of(new Matcher.Context().marketCapacity(8).accountCapacity(16)
                .feeAccount(1).insuranceFundAccount(2).orderCapacity(64).maxOpenOrdersPerAccount(8)).encode(buffer, 0));
            appender.append(buffer, 0, cancelOnEmptyBookBatch(buffer));
            for (int i = 2; i <= 30_000; i++)
            {
                appender.append(buffer, 0, depositBatch(buffer, i));
            }
        }

        final IllegalStateException failed = assertThrows(IllegalStateException.class,
            () -> ViewBootstrap.load(dataDirectory, 8, 100, new JournalIndex(16, 64)));
        assertTrue(failed.getMessage().contains("would hold -5 lots at sequence 1"), failed.getMessage());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
            .noneMatch(thread -> thread.getName().equals("rollbook-journal-prefetch")),
            "the reading thread ended with the load");
    }

    /**
     * Batch 1: market 1 defined, then an order canceled from its book, which the views hold empty.
     */
    private static int cancelOnEmptyBookBatch(final ExpandableArrayBuffer batch)
    {
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(64);
        new DepositEncoder().wrapAndApplyHeader(command, 0, new MessageHeaderEncoder()).account(5).amountMicros(7);
        final int commandLength = MessageHeaderEncoder.ENCODED_LENGTH + DepositEncoder.BLOCK_LENGTH;
        final BatchBuilder builder = new BatchBuilder().begin(batch, 1);
        final int eventsOffset = builder.beginRecord(1, 1, 0, command, 0, commandLength);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        int end = eventsOffset + MessageHeaderEncoder.ENCODED_LENGTH + new MarketDefinedEncoder()
            .wrapAndApplyHeader(batch, eventsOffset, header).market(1).symbol("BTC-USD").tickSizeMantissa(1)
            .lotSizeMantissa(1).minSizeLots(1).maxOrderSizeLots(1_000).encodedLength();
        end += MessageHeaderEncoder.ENCODED_LENGTH + new OrderCanceledEncoder().wrapAndApplyHeader(batch, end, header)
            .orderId(9).clientOrderId(3).priceTicks(100).canceledLots(5).account(5).market(1).side(Side.BUY)
            .reason(CancelReason.USER).wasResting(BooleanType.TRUE).encodedLength();
        builder.endRecord(end, 2);
        return builder.finish();
    }

    /**
     * Writes a genesis and one single-deposit batch per flag, the batch damaged where its flag is false.
     */
    private void write(final boolean... intact)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        try (SingleChronicleQueue queue = JournalFiles.openForWriting(dataDirectory);
            JournalAppender appender = new JournalAppender(queue, SyncPolicy.NONE))
        {
            appender.append(buffer, 0, GenesisDocument.of(new Matcher.Context().marketCapacity(8).accountCapacity(16)
                .feeAccount(1).insuranceFundAccount(2).orderCapacity(64).maxOpenOrdersPerAccount(8)).encode(buffer, 0));
            for (int i = 0; i < intact.length; i++)
            {
                final int length = depositBatch(buffer, i + 1);
                if (!intact[i])
                {
                    buffer.putInt(COMMAND_COUNT_OFFSET, 2, ByteOrder.LITTLE_ENDIAN);
                }
                appender.append(buffer, 0, length);
            }
        }
    }

    private static int depositBatch(final ExpandableArrayBuffer batch, final long number)
    {
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(64);
        new DepositEncoder().wrapAndApplyHeader(command, 0, new MessageHeaderEncoder()).account(5).amountMicros(7);
        final int commandLength = MessageHeaderEncoder.ENCODED_LENGTH + DepositEncoder.BLOCK_LENGTH;
        final BatchBuilder builder = new BatchBuilder().begin(batch, number);
        final int eventsOffset = builder.beginRecord(number, 1, 0, command, 0, commandLength);
        builder.endRecord(eventsOffset, 0);
        return builder.finish();
    }
}
