package io.rollbook.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import io.rollbook.matcher.Matcher;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zeros written ahead of the journal's appender never touch a byte it wrote, reach {@link
 * ZeroFillAhead#AHEAD_BYTES} beyond it and no further, catch up with an appender that jumped ahead, and start again
 * in a new cycle file.
 */
class ZeroFillAheadTest
{
    private static final long PAGE = ZeroFillAhead.PAGE;

    @TempDir
    Path directory;

    @Test
    void writesZerosFromThePageAfterTheAppenderAndNeverBelowIt() throws IOException
    {
        final Path file = filled("cycle", 3 * PAGE, (byte)7);
        try (ZeroFillAhead ahead = new ZeroFillAhead())
        {
            final long end = PAGE + 100;
            ahead.afterAppend(file.toFile(), end, 100);

            final byte[] bytes = Files.readAllBytes(file);
            for (int i = 0; i < 2 * PAGE; i++)
            {
                assertEquals(7, bytes[i], "byte " + i + " is below the page after the appender's end");
            }
            assertEquals(2 * PAGE + ZeroFillAhead.MIN_STEP_BYTES, bytes.length);
            for (int i = (int)(2 * PAGE); i < bytes.length; i++)
            {
                assertEquals(0, bytes[i], "byte " + i);
            }
            assertEquals(ZeroFillAhead.MIN_STEP_BYTES, ahead.bytesWritten());
        }
    }

    @Test
    void keepsTheFileWrittenAheadByItsDistanceAndNoFurther() throws IOException
    {
        final Path file = filled("cycle", 0, (byte)0);
        try (ZeroFillAhead ahead = new ZeroFillAhead())
        {
            long end = 0;
            for (int i = 0; i < 1_000; i++)
            {
                end += 350;
                ahead.afterAppend(file.toFile(), end, 350);
            }
            assertEquals(end + ZeroFillAhead.AHEAD_BYTES, Files.size(file));
            final long written = ahead.bytesWritten();
            ahead.afterAppend(file.toFile(), end, 0);
            assertEquals(written, ahead.bytesWritten(), "nothing more to write while the appender stands still");

            end += 4 * ZeroFillAhead.AHEAD_BYTES;
            Files.write(file, new byte[] {9}, StandardOpenOption.APPEND);
            writeAt(file, end - 1, (byte)5);
            ahead.afterAppend(file.toFile(), end, ZeroFillAhead.MAX_STEP_BYTES);
            assertEquals(5, readAt(file, end - 1), "an appender that jumped past the zeros keeps its byte");
            assertEquals(((end + PAGE - 1) & -PAGE) + ZeroFillAhead.MAX_STEP_BYTES, Files.size(file),
                "it starts again at the page after the appender, with as much as one call writes");
        }
    }

    @Test
    void startsAgainInANewCycleFile() throws IOException
    {
        final Path first = filled("first", 0, (byte)0);
        final Path second = filled("second", 2 * PAGE, (byte)3);
        try (ZeroFillAhead ahead = new ZeroFillAhead())
        {
            for (int i = 0; i < 200; i++)
            {
                ahead.afterAppend(first.toFile(), PAGE * 100, 0);
            }
            ahead.afterAppend(second.toFile(), 2 * PAGE, 64);
            final byte[] bytes = Files.readAllBytes(second);
            assertTrue(Arrays.equals(Arrays.copyOf(bytes, (int)(2 * PAGE)), filledBytes(2 * PAGE, (byte)3)),
                "the new file keeps what the appender wrote");
            assertEquals(2 * PAGE + ZeroFillAhead.MIN_STEP_BYTES, bytes.length);
        }
    }

    /**
     * Past the first zeros written ahead, and the next ones, every batch reads back in order and the journal passes
     * its integrity check (which refuses a file with zeros where its last document should be).
     */
    @Test
    void aJournalWrittenWithZerosAheadReadsBackWhole()
    {
        final Path data = directory.resolve("data");
        final long batches = 3 * ZeroFillAhead.AHEAD_BYTES / 1024;
        assertTrue(write(data, SyncPolicy.NONE, batches) > ZeroFillAhead.AHEAD_BYTES);
        try (JournalCursor cursor = JournalCursor.open(data))
        {
            long expected = 1;
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                assertEquals(JournalCursor.BATCH, kind);
                assertEquals(expected++, cursor.document().batchNumber());
            }
            assertEquals(batches + 1, expected);
            assertFalse(cursor.tornTail());
        }
        JournalIntegrity.check(data);
    }

    @Test
    void nothingIsWrittenAheadUnderSyncPolicyBatch()
    {
        assertEquals(0, write(directory.resolve("data"), SyncPolicy.BATCH, 1_000));
    }

    /**
     * @return how many bytes of zeros the appender wrote ahead
     */
    private static long write(final Path data, final SyncPolicy syncPolicy, final long batches)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(64);
        try (SingleChronicleQueue queue = JournalFiles.openForWriting(data);
             JournalAppender appender = new JournalAppender(queue, syncPolicy))
        {
            appender.append(buffer, 0, GenesisDocument.of(new Matcher.Context()).encode(buffer, 0));
            for (long batch = 1; batch <= batches; batch++)
            {
                final BatchBuilder builder = new BatchBuilder().begin(buffer, batch);
                for (int i = 0; i < 4; i++)
                {
                    final long sequence = (batch - 1) * 4 + i + 1;
                    command.putLong(0, sequence);
                    final int eventsOffset = builder.beginRecord(sequence, sequence, 0, command, 0, 64);
                    buffer.putLong(eventsOffset, sequence);
                    builder.endRecord(eventsOffset + 128, 1);
                }
                appender.append(buffer, 0, builder.finish());
                appender.writeAhead();
            }
            return appender.bytesZeroedAhead();
        }
    }

    private Path filled(final String name, final long length, final byte value) throws IOException
    {
        final Path file = directory.resolve(name);
        Files.write(file, filledBytes(length, value));
        return file;
    }

    private static byte[] filledBytes(final long length, final byte value)
    {
        final byte[] bytes = new byte[(int)length];
        Arrays.fill(bytes, value);
        return bytes;
    }

    private static void writeAt(final Path file, final long position, final byte value) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(new byte[] {value}), position);
        }
    }

    private static byte readAt(final Path file, final long position) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            return one.get(0);
        }
    }
}
