package io.rollbook.journal.snapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The matcher's snapshots and the gateway views' share one directory: each kind lists, keeps and prunes only its
 * own files, and cleans up only its own crashed writes.
 */
final class SnapshotFilesTest
{
    @TempDir
    Path directory;

    @Test
    void twoKindsInOneDirectoryKeepAndPruneOnlyTheirOwn() throws Exception
    {
        final SnapshotFiles matcher = new SnapshotFiles(directory, "snapshot-", "snapshot");
        final SnapshotFiles views = new SnapshotFiles(directory, "views-", "view snapshot");
        final Path crashedView = directory.resolve(views.fileName(5) + ".tmp");
        Files.write(crashedView, new byte[] {1});
        Files.write(directory.resolve("views-notasequence0000.snap"), new byte[] {2});

        for (long sequence = 10; sequence <= 50; sequence += 10)
        {
            write(views, sequence, 2);
            write(matcher, sequence + 1, 3);
        }

        assertEquals(List.of(directory.resolve(matcher.fileName(51)), directory.resolve(matcher.fileName(41)),
            directory.resolve(matcher.fileName(31))), matcher.list());
        assertEquals(List.of(directory.resolve(views.fileName(50)), directory.resolve(views.fileName(40))),
            views.list());
        assertArrayEquals(new byte[] {50, 0, 0, 0, 0, 0, 0, 0}, Files.readAllBytes(views.list().get(0)));
        assertFalse(Files.exists(crashedView), "the views' writer deletes its own crashed write");
        assertTrue(Files.exists(directory.resolve("views-notasequence0000.snap")), "not a snapshot: left alone");
    }

    @Test
    void aCrashedWriteOfOneKindIsLeftToThatKind() throws Exception
    {
        final SnapshotFiles matcher = new SnapshotFiles(directory, "snapshot-", "snapshot");
        final SnapshotFiles views = new SnapshotFiles(directory, "views-", "view snapshot");
        final Path crashedView = directory.resolve(views.fileName(5) + ".tmp");
        Files.write(crashedView, new byte[] {1});

        write(matcher, 10, 1);

        assertTrue(Files.exists(crashedView), "the matcher's writer never touches a view snapshot's file");
        assertEquals(List.of(), views.list());
    }

    private static void write(final SnapshotFiles files, final long lastSequence, final int keep)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        buffer.putLong(0, lastSequence);
        files.write(buffer, 8, lastSequence, keep);
    }
}
