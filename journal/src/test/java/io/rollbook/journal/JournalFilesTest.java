package io.rollbook.journal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal its user cannot write is refused when it is opened for writing: Chronicle Queue would open it
 * read-only with a warning, and the service would start, take orders and stop at its first batch.
 */
class JournalFilesTest
{
    @TempDir
    Path dataDirectory;

    @Test
    void aJournalThatCannotBeWrittenIsRefusedWhenOpenedForWriting() throws IOException
    {
        JournalFiles.openForWriting(dataDirectory).close();
        final Path journal = JournalFiles.journalDirectory(dataDirectory);
        try (Stream<Path> files = Files.list(journal))
        {
            for (final Path file : files.toList())
            {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
            }
        }
        try (Stream<Path> files = Files.list(journal))
        {
            // root writes whatever the permissions say: nothing to refuse then.
            assumeFalse(files.anyMatch(Files::isWritable), "this user writes read-only files (root)");
        }
        final JournalException refused =
            assertThrows(JournalException.class, () -> JournalFiles.openForWriting(dataDirectory).close());
        assertTrue(refused.getMessage().startsWith("cannot write the journal in " + journal + ": ") &&
            refused.getMessage().contains(" is read-only for this user"), refused.getMessage());
    }
}
