package io.rollbook.journal.commitment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.rollbook.journal.JournalException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootLogTest
{
    @TempDir
    Path dataDirectory;

    @Test
    void recordsReadBackByBatchNumber()
    {
        assertNull(RootLog.openForReading(dataDirectory, 6, 47), "no file, no roots");
        try (RootLog log = RootLog.openForWriting(dataDirectory, 6, 47))
        {
            for (int batch = 1; batch <= 100; batch++)
            {
                log.append(batch, batch * 10L, batch * 31, root(batch));
            }
            assertThrows(IllegalStateException.class, () -> log.append(102, 1020, 0, root(102)));
        }
        try (RootLog log = RootLog.openForReading(dataDirectory, 6, 47))
        {
            assertEquals(100, log.lastBatchNumber());
            final RootRecord record = new RootRecord();
            for (int batch = 1; batch <= 100; batch++)
            {
                assertTrue(log.read(batch, record));
                assertEquals(batch, record.batchNumber());
                assertEquals(batch * 10L, record.lastSequence());
                assertEquals(batch * 31, record.batchChecksum());
                assertArrayEquals(root(batch), record.root());
            }
            assertFalse(log.read(101, record));
            assertFalse(log.read(0, record));
        }
    }

    @Test
    void aTornTailIsCutBackToTheLastGoodRecordAndReadersIgnoreIt() throws IOException
    {
        try (RootLog log = RootLog.openForWriting(dataDirectory, 6, 47))
        {
            for (int batch = 1; batch <= 10; batch++)
            {
                log.append(batch, batch, 0, root(batch));
            }
        }
        final Path file = RootLog.file(dataDirectory);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final long tenth = RootLog.HEADER_LENGTH + 9L * RootLog.RECORD_LENGTH;
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), tenth + 30);
            channel.write(ByteBuffer.wrap(new byte[20]), RootLog.HEADER_LENGTH + 10L * RootLog.RECORD_LENGTH);
        }
        try (RootLog reader = RootLog.openForReading(dataDirectory, 6, 47))
        {
            assertEquals(9, reader.lastBatchNumber(), "a damaged last record is not yet written, to a reader");
        }
        try (RootLog log = RootLog.openForWriting(dataDirectory, 6, 47))
        {
            assertEquals(9, log.lastBatchNumber());
            assertEquals(RootLog.HEADER_LENGTH + 9L * RootLog.RECORD_LENGTH, Files.size(file));
            log.append(10, 10, 0, root(10));
            log.truncateAfter(4);
            assertEquals(4, log.lastBatchNumber());
        }
        try (RootLog reader = RootLog.openForReading(dataDirectory, 6, 47))
        {
            assertEquals(4, reader.lastBatchNumber());
        }
    }

    @Test
    void aFileOfAnotherTreeIsNotTakenForThisJournals()
    {
        try (RootLog log = RootLog.openForWriting(dataDirectory, 6, 47))
        {
            log.append(1, 1, 0, root(1));
        }
        final JournalException wrong = assertThrows(JournalException.class,
            () -> RootLog.openForReading(dataDirectory, 20, 1 << 20));
        assertTrue(wrong.getMessage().contains("height 6 over 47"), wrong.getMessage());
        try (RootLog log = RootLog.openForWriting(dataDirectory, 20, 1 << 20))
        {
            assertEquals(0, log.lastBatchNumber(), "the writer starts it again for this journal");
        }
    }

    private static byte[] root(final int batch)
    {
        final byte[] root = new byte[CommitmentHash.LENGTH];
        for (int i = 0; i < root.length; i++)
        {
            root[i] = (byte)(batch * 7 + i);
        }
        return root;
    }
}
