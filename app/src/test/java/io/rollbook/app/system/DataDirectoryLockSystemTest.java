package io.rollbook.app.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import io.rollbook.app.RollbookMain;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code rollbook run} processes on one data directory would both append batches to its journal, each numbering
 * its own, and void the commands the other had released: the second is refused with exit code 2 and a message, and
 * the first runs on and stops cleanly with a journal the audit passes.
 */
@Tag("system")
class DataDirectoryLockSystemTest
{
    @TempDir
    Path work;

    @Test
    void aSecondServiceOnADataDirectoryInUseIsRefusedAndTheFirstRunsOn() throws Exception
    {
        final Path data = work.resolve("data");
        try (RunProcess first = RunProcess.start(data))
        {
            first.awaitLine("rollbook running.");
            try (RunProcess second = RunProcess.start(data))
            {
                assertEquals(2, second.awaitExit(), "output " + second.lines());
                assertTrue(second.errors().contains("rollbook run: the data directory " + data + " is in use by " +
                    "another running Rollbook service"), second.errors());
                assertTrue(second.lines().isEmpty(), "the refused one printed nothing: " + second.lines());
            }
            assertEquals(0, first.terminate(), "errors " + first.errors());
            assertTrue(first.awaitLine("stopped:").endsWith("exit 0"), first.lines().toString());
        }
        assertEquals(0, RollbookMain.commandLine().execute("audit", "--data", data.toString(), "--quiet"));
    }
}
