package io.rollbook.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.rollbook.matcher.Matcher;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalCursorTest
{
    private static final int COMMANDS_PER_BATCH = 5;

    @TempDir
    Path dataDirectory;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);

    private int batch(final long batchNumber)
    {
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(16);
        command.putLong(0, batchNumber);
        final BatchBuilder builder = new BatchBuilder().begin(buffer, batchNumber);
        for (int i = 0; i < COMMANDS_PER_BATCH; i++)
        {
            final long sequence = (batchNumber - 1) * COMMANDS_PER_BATCH + i + 1;
            final int eventsOffset = builder.beginRecord(sequence, sequence, 0, command, 0, 8);
            buffer.putLong(eventsOffset, sequence);
            builder.endRecord(eventsOffset + 8, 1);
        }
        return builder.finish();
    }

    private void write(final SingleChronicleQueue queue, final long fromBatch, final long toBatch)
    {
        try (JournalAppender appender = new JournalAppender(queue, SyncPolicy.NONE))
        {
            if (fromBatch == 1)
            {
                appender.append(buffer, 0, GenesisDocument.of(new Matcher.Context()).encode(buffer, 0));
            }
            for (long b = fromBatch; b <= toBatch; b++)
            {
                appender.append(buffer, 0, batch(b));
            }
        }
    }

    @Test
    void readsBatchesInOrderAndPositionsByBatchOrSequence()
    {
        try (SingleChronicleQueue queue = JournalFiles.openForWriting(dataDirectory))
        {
            write(queue, 1, 20);
        }
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            long expected = 1;
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                assertEquals(JournalCursor.BATCH, kind);
                assertEquals(expected++, cursor.document().batchNumber());
            }
            assertEquals(21, expected);
            assertEquals(20 * COMMANDS_PER_BATCH, cursor.lastSequence());

            assertTrue(cursor.positionAtBatch(7));
            assertEquals(JournalCursor.BATCH, cursor.next());
            assertEquals(7, cursor.document().batchNumber());
            assertEquals(JournalCursor.BATCH, cursor.next());
            assertEquals(8, cursor.document().batchNumber());

            assertTrue(cursor.positionAtSequence(12 * COMMANDS_PER_BATCH - 2));
            assertEquals(JournalCursor.BATCH, cursor.next());
            assertEquals(12, cursor.document().batchNumber());

            assertFalse(cursor.positionAtBatch(21));
            assertFalse(cursor.positionAtSequence(20 * COMMANDS_PER_BATCH + 1));
        }
    }

    @Test
    void documentsOutOfOrderAreVoidUntilARecoveryMarker()
    {
        try (SingleChronicleQueue queue = JournalFiles.openForWriting(dataDirectory))
        {
            write(queue, 1, 6);
            write(queue, 9, 10);
        }
        final List<Integer> kinds = new ArrayList<>();
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                kinds.add(kind);
            }
            assertTrue(cursor.tornTail());
            assertEquals(6, cursor.lastBatchNumber());
            assertEquals(2, cursor.voidCount());
            assertEquals(JournalDocument.VALID, cursor.voidReason(), "a valid batch out of order starts the void range");

            try (SingleChronicleQueue queue = JournalFiles.openForWriting(dataDirectory);
                JournalAppender appender = new JournalAppender(queue, SyncPolicy.NONE))
            {
                appender.append(buffer, 0, JournalDocument.encodeRecovery(buffer, 0, cursor.lastBatchNumber(),
                    cursor.lastSequence(), cursor.firstVoidIndex(), cursor.voidCount(), cursor.voidReason()));
                appender.append(buffer, 0, batch(7));
            }
        }
        assertEquals(List.of(1, 1, 1, 1, 1, 1, JournalCursor.VOID, JournalCursor.VOID), kinds);

        kinds.clear();
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                kinds.add(kind);
            }
            assertFalse(cursor.tornTail());
            assertEquals(7, cursor.lastBatchNumber());
            assertEquals(7 * COMMANDS_PER_BATCH, cursor.lastSequence());
        }
        assertEquals(List.of(1, 1, 1, 1, 1, 1, JournalCursor.VOID, JournalCursor.VOID, JournalCursor.MARKER,
            JournalCursor.BATCH), kinds);
    }
}
