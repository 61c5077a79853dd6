package io.rollbook.journal.snapshot;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.rollbook.journal.JournalException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What stays on disk after many snapshots: the newest {@code keep} files, and no temporary file that a crash in the
 * middle of a write left behind.
 */
final class SnapshotStoreTest
{
    private static final int KEEP = 3;

    @TempDir
    Path dataDirectory;

    @Test
    void keepsTheNewestAndDeletesWhatACrashedWriteLeftBehind() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dataDirectory);
        write(store, 10);
        final Path crashed = store.directory().resolve(SnapshotStore.fileName(20) + ".tmp");
        Files.write(crashed, new byte[] {1, 2, 3});
        final Path unrelated = store.directory().resolve("notes.tmp");
        Files.write(unrelated, new byte[] {4});

        for (long sequence = 30; sequence <= 100; sequence += 10)
        {
            write(store, sequence);
        }

        final List<Path> kept = store.list();
        assertEquals(KEEP, kept.size());
        assertEquals(100, SnapshotStore.read(kept.get(0)).lastSequence());
        assertEquals(80, SnapshotStore.read(kept.get(KEEP - 1)).lastSequence());
        assertFalse(Files.exists(crashed), "the temporary file of a crashed write is deleted");
        assertTrue(Files.exists(unrelated), "a file that is not a snapshot's is left alone");
        try (var files = Files.list(store.directory()))
        {
            assertEquals(KEEP + 1, files.count());
        }
    }

    /**
     * A file of a snapshot's name larger than any snapshot (3 GiB, sparse) is refused as not usable, which sends the
     * start to an older snapshot, instead of an OutOfMemoryError from reading it whole that ended the start.
     */
    @Test
    void aFileLargerThanAnySnapshotIsRefusedWithoutReadingIt() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dataDirectory);
        write(store, 10);
        final Path huge = store.directory().resolve(SnapshotStore.fileName(20));
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw"))
        {
            file.setLength(3L << 30);
        }
        final JournalException refused = assertThrows(JournalException.class, () -> SnapshotStore.read(huge));
        assertEquals("snapshot " + huge + " is 3221225472 bytes, more than a snapshot can be", refused.getMessage());
    }

    private static void write(final SnapshotStore store, final long lastSequence)
    {
        final int stateLength = 16;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SnapshotStore.HEADER_LENGTH + stateLength]);
        buffer.putLong(SnapshotStore.HEADER_LENGTH, lastSequence);
        final int length = SnapshotStore.frame(buffer, stateLength, lastSequence, lastSequence, lastSequence, 0, 0);
        store.write(buffer, length, KEEP);
    }
}
