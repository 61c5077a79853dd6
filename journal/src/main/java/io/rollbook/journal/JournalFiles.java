package io.rollbook.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * Where a data directory keeps its journal and snapshots, and how the journal's Chronicle Queue is opened (in
 * one place, so the writer and every reader agree).
 *
 * <pre>
 * DIR/journal/             Chronicle Queue files (*.cq4, metadata.cq4t)
 * DIR/snapshots/           snapshot-&lt;last sequence&gt;.snap, and the gateway's views-&lt;last sequence&gt;.snap
 * DIR/commitments/roots    the state root after each batch (derived from the journal)
 * DIR/rollbook.lock         locked by the one service writing the directory ({@link DataDirectoryLock})
 * </pre>
 */
public final class JournalFiles
{
    public static final String JOURNAL_DIRECTORY = "journal";
    public static final String SNAPSHOT_DIRECTORY = "snapshots";
    public static final String COMMITMENT_DIRECTORY = "commitments";
    public static final String ROOTS_FILE = "roots";

    private static final long READ_TIMEOUT_MS = 500;

    private JournalFiles()
    {
    }

    public static Path journalDirectory(final Path dataDirectory)
    {
        return dataDirectory.resolve(JOURNAL_DIRECTORY);
    }

    public static Path snapshotDirectory(final Path dataDirectory)
    {
        return dataDirectory.resolve(SNAPSHOT_DIRECTORY);
    }

    /**
     * @return the file of state roots, one per batch ({@code io.rollbook.journal.commitment.RootLog})
     */
    public static Path rootsFile(final Path dataDirectory)
    {
        return dataDirectory.resolve(COMMITMENT_DIRECTORY).resolve(ROOTS_FILE);
    }

    /**
     * @return true if the data directory holds a journal with at least one file
     */
    public static boolean journalExists(final Path dataDirectory)
    {
        final Path journal = journalDirectory(dataDirectory);
        if (!Files.isDirectory(journal))
        {
            return false;
        }
        try (var files = Files.list(journal))
        {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".cq4"));
        }
        catch (final java.io.IOException ex)
        {
            throw new JournalException("cannot list " + journal + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Forces the journal's newest cycle files to the device, whatever the sync policy. Snapshots call it before
     * they are written, so that even under sync {@code none} a snapshot that survives a power loss never covers a
     * batch the journal lost.
     */
    public static void forceJournal(final Path dataDirectory)
    {
        final Path journal = journalDirectory(dataDirectory);
        try (var files = Files.list(journal))
        {
            final java.util.List<Path> cycles = files
                .filter(file -> file.getFileName().toString().endsWith(".cq4"))
                .sorted(java.util.Comparator.reverseOrder())
                .limit(2)
                .toList();
            for (final Path cycle : cycles)
            {
                try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(cycle,
                    java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE))
                {
                    channel.force(false);
                }
            }
            try (java.nio.channels.FileChannel directory =
                java.nio.channels.FileChannel.open(journal, java.nio.file.StandardOpenOption.READ))
            {
                directory.force(true);
            }
        }
        catch (final java.io.IOException ex)
        {
            throw new JournalException("cannot force the journal in " + journal + " to the device: " + ex.getMessage(), ex);
        }
    }

    /**
     * Opens the journal queue for writing (and reading), creating the directories if needed.
     *
     * @throws JournalException if the journal's files cannot be written
     */
    public static SingleChronicleQueue openForWriting(final Path dataDirectory)
    {
        return openForWriting(dataDirectory, System::currentTimeMillis);
    }

    /**
     * Opens the journal queue for writing (and reading), creating the directories if needed.
     *
     * @param fileClockMs the wall clock (epoch milliseconds) that decides which daily file a document goes in
     * @throws JournalException if the journal's files cannot be written
     */
    public static SingleChronicleQueue openForWriting(final Path dataDirectory, final LongSupplier fileClockMs)
    {
        final Path journal = journalDirectory(dataDirectory);
        try
        {
            Files.createDirectories(journal);
        }
        catch (final java.io.IOException ex)
        {
            throw new JournalException("cannot create " + journal + ": " + ex.getMessage(), ex);
        }

        refuseReadOnly(journal);
        return SingleChronicleQueueBuilder.binary(journal).timeProvider(fileClockMs::getAsLong).build();
    }

    /**
     * Chronicle Queue opens a journal it cannot write read-only, with only a warning: the service would start, take
     * orders, and stop at its first batch.
     */
    private static void refuseReadOnly(final Path journal)
    {
        try (var files = Files.list(journal))
        {
            final Path readOnly = Files.isWritable(journal) ? files.filter(file -> !Files.isWritable(file))
                .findFirst().orElse(null) : journal;
            if (readOnly != null)
            {
                throw new JournalException("cannot write the journal in " + journal + ": " + readOnly + " is " +
                    "read-only for this user (" + System.getProperty("user.name") + "); give it write access to " +
                    "the directory and its files");
            }
        }
        catch (final java.io.IOException ex)
        {
            throw new JournalException("cannot list " + journal + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Opens an existing journal read-only: nothing in the data directory is changed.
     *
     * @throws JournalException if there is no journal there
     */
    public static SingleChronicleQueue openForReading(final Path dataDirectory)
    {
        if (!journalExists(dataDirectory))
        {
            throw noJournal(dataDirectory);
        }

        return openReadOnly(journalDirectory(dataDirectory));
    }

    /**
     * @return the refusal of a data directory that holds no journal, saying so of a file given for the directory
     */
    public static JournalException noJournal(final Path dataDirectory)
    {
        final Path absolute = dataDirectory.toAbsolutePath();
        return new JournalException(Files.exists(absolute) && !Files.isDirectory(absolute) ?
            "no journal in " + absolute + ": it is a file, not a data directory" :
            "no journal in " + absolute + " (expected " + journalDirectory(dataDirectory) + "/*.cq4)");
    }

    /**
     * A reader waits at most this long for a cycle file's header to appear: a writer fills it in microseconds after
     * creating the file, while an empty file left by damage would otherwise hold every reader for Chronicle's
     * default of seconds per look.
     */
    static SingleChronicleQueue openReadOnly(final Path journal)
    {
        return SingleChronicleQueueBuilder.binary(journal).readOnly(true).timeoutMS(READ_TIMEOUT_MS).build();
    }
}
