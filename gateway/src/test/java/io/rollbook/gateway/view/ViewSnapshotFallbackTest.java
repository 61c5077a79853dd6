package io.rollbook.gateway.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A view snapshot that does not check out is not used: the start reads the journal from genesis, to the same views
 * as a start without it, and logs which file and why. A damaged file (checksum, cut short), another journal's
 * (another genesis) and one past the journal's end (the journal lost batches it covers) each.
 */
class ViewSnapshotFallbackTest
{
    private static final long SEED = 31L;

    @TempDir
    Path dataDirectory;

    @TempDir
    Path other;

    @Test
    void aFileThatFailsItsChecksumIsNotUsed() throws Exception
    {
        RandomJournal.write(dataDirectory, SEED, 1);
        final Path file = writeShutdownSnapshot(dataDirectory);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            final long at = raf.length() / 2;
            raf.seek(at);
            final int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x10);
        }

        assertReadFromGenesis(file, "it fails its checksum");
    }

    @Test
    void aFileCutShortIsNotUsed() throws Exception
    {
        RandomJournal.write(dataDirectory, SEED, 1);
        final Path file = writeShutdownSnapshot(dataDirectory);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(raf.length() / 2);
        }

        assertReadFromGenesis(file, "(truncated)");
    }

    /**
     * A file larger than any view snapshot (3 GiB, sparse) is not read: reading it whole ended the start in an
     * OutOfMemoryError.
     */
    @Test
    void aFileLargerThanAnyViewSnapshotIsNotUsed() throws Exception
    {
        RandomJournal.write(dataDirectory, SEED, 1);
        final Path file = writeShutdownSnapshot(dataDirectory);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(3L << 30);
        }

        assertReadFromGenesis(file, "it is 3221225472 bytes, more than a view snapshot can be");
    }

    @Test
    void anotherJournalsSnapshotIsNotUsed() throws Exception
    {
        RandomJournal.write(other, SEED, 1);
        final Path foreign = writeShutdownSnapshot(other);
        RandomJournal.write(dataDirectory, SEED, 1, RandomJournal.ACCOUNTS + 4);
        final Path file = copyInto(foreign, dataDirectory);

        assertReadFromGenesis(file, "it is another journal's: its genesis checksum is ");
    }

    @Test
    void aSnapshotPastTheJournalsEndIsNotUsed() throws Exception
    {
        RandomJournal.write(other, SEED, 2);
        final Path longer = writeShutdownSnapshot(other);
        RandomJournal.write(dataDirectory, SEED, 1);
        final Path file = copyInto(longer, dataDirectory);

        final String log = assertReadFromGenesis(file, "it covers batch 10040 (sequence ");
        assertTrue(log.contains("past the journal's end") && log.contains("the journal lost batches whose events " +
            "were released"), log);
    }

    /**
     * An older snapshot that checks out is used when the newest does not.
     */
    @Test
    void anOlderSnapshotIsUsedWhenTheNewestIsDamaged() throws Exception
    {
        RandomJournal.write(dataDirectory, SEED, 1);
        final ViewBootstrap.Start empty = emptyStart();
        try (ViewSnapshotter snapshotter = new ViewSnapshotter(empty, new ViewSnapshotPolicy(0, 0, 3),
            dataDirectory, RandomJournal.MARKET_CAPACITY, RandomJournal.ENDED_WINDOW))
        {
            RandomJournal.release(dataDirectory, empty.views(), new JournalIndex(4, 64), snapshotter, 3_000);
            snapshotter.onClosedCleanly();
        }
        final Path newest = writeShutdownSnapshot(dataDirectory);
        assertEquals(2, ViewSnapshotFile.list(dataDirectory).size());
        Files.write(newest, new byte[] {1, 2, 3});

        final String log = capture(() ->
        {
            final JournalIndex index = new JournalIndex(4, 64);
            final ViewBootstrap.Start start = ViewBootstrap.start(dataDirectory, RandomJournal.MARKET_CAPACITY,
                RandomJournal.ENDED_WINDOW, index);
            assertEquals(3_000, start.snapshotBatchNumber());
            assertSameAsGenesis(dataDirectory, start, index);
        });
        assertTrue(log.contains("view snapshot " + newest + " not used: it is not a view snapshot"), log);
    }

    private static String assertReadFromGenesis(final Path file, final String reason) throws Exception
    {
        System.out.println("ViewSnapshotFallbackTest seed " + SEED);
        final Path dataDirectory = file.getParent().getParent();
        final String log = capture(() ->
        {
            final JournalIndex index = new JournalIndex(4, 64);
            final ViewBootstrap.Start start = ViewBootstrap.start(dataDirectory, RandomJournal.MARKET_CAPACITY,
                RandomJournal.ENDED_WINDOW, index);
            assertEquals(0, start.snapshotBatchNumber(), "read from genesis");
            assertSameAsGenesis(dataDirectory, start, index);
        });
        assertTrue(log.contains("view snapshot " + file + " not used: ") && log.contains(reason), log);
        assertTrue(log.contains("read from the journal's genesis (no usable view snapshot)"), log);
        return log;
    }

    private static void assertSameAsGenesis(
        final Path dataDirectory, final ViewBootstrap.Start start, final JournalIndex index)
        throws ReflectiveOperationException
    {
        final JournalIndex expectedIndex = new JournalIndex(4, 64);
        final GatewayViews expected = RandomJournal.readOnOneThread(dataDirectory, expectedIndex);
        ViewGraphs.assertSameViews(expected, start.views(), "seed " + SEED, ViewGraphs.Collections.ENTRIES);
        ViewGraphs.assertSameIndex(expectedIndex, index, "seed " + SEED, ViewGraphs.Collections.ENTRIES);
    }

    private static ViewBootstrap.Start emptyStart()
    {
        return new ViewBootstrap.Start(new GatewayViews(RandomJournal.MARKET_CAPACITY, RandomJournal.ENDED_WINDOW, 0),
            new JournalIndex(4, 64), 0, -1, 0, 0);
    }

    /**
     * @return the snapshot a clean close writes after the whole journal was released
     */
    private static Path writeShutdownSnapshot(final Path dataDirectory)
    {
        final ViewBootstrap.Start empty = emptyStart();
        try (ViewSnapshotter snapshotter = new ViewSnapshotter(empty, new ViewSnapshotPolicy(0, 0, 3),
            dataDirectory, RandomJournal.MARKET_CAPACITY, RandomJournal.ENDED_WINDOW))
        {
            RandomJournal.release(dataDirectory, empty.views(), new JournalIndex(4, 64), snapshotter, Long.MAX_VALUE);
            snapshotter.onClosedCleanly();
            return snapshotter.lastWritten();
        }
    }

    private static Path copyInto(final Path file, final Path dataDirectory) throws IOException
    {
        final Path directory = ViewSnapshotFile.directory(dataDirectory);
        Files.createDirectories(directory);
        final Path copy = directory.resolve(file.getFileName());
        Files.copy(file, copy);
        assertEquals(List.of(copy), ViewSnapshotFile.list(dataDirectory));
        return copy;
    }

    private interface Check
    {
        void run() throws Exception;
    }

    /**
     * @return what was logged (slf4j-simple writes to the standard error stream of the moment)
     */
    private static String capture(final Check check) throws Exception
    {
        final PrintStream err = System.err;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try
        {
            check.run();
        }
        finally
        {
            System.setErr(err);
        }
        final String log = bytes.toString(StandardCharsets.UTF_8);
        err.print(log);
        return log;
    }
}
