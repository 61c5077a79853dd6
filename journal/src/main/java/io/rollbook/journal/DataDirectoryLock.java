package io.rollbook.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one writer's claim on a data directory: an exclusive OS file lock on {@code DIR/rollbook.lock}, held from
 * before recovery until the journal is closed. Two services appending to one journal would interleave their batches
 * (the second's numbers repeat the first's), so that the journal voids commands both of them had released; the
 * second is refused instead, before it writes anything. Readers (audit, dump, proofs) take no lock.
 *
 * <p>The operating system drops the lock when the process ends, however it ends ({@code kill -9} included), so a
 * stale lock file never blocks a restart. Not thread-safe: one owner acquires and closes it.
 */
public final class DataDirectoryLock implements AutoCloseable
{
    private static final String READ_ONLY = "Read-only file system";

    public static final String LOCK_FILE = "rollbook.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(final FileChannel channel, final FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the data directory if needed and locks it for writing.
     *
     * @throws JournalException if another process (or another sequencer in this one) holds it, or it cannot be
     *                          created or locked; the message names the directory
     */
    public static DataDirectoryLock acquire(final Path dataDirectory)
    {
        final Path file = dataDirectory.resolve(LOCK_FILE);
        final FileChannel channel;
        try
        {
            Files.createDirectories(dataDirectory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot use the data directory " + dataDirectory + ": " + describe(ex), ex);
        }
        FileLock lock = null;
        try
        {
            lock = channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            lock = null;
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw new JournalException("cannot lock the data directory " + dataDirectory + " (" + file + "): " +
                describe(ex), ex);
        }
        if (lock == null)
        {
            closeQuietly(channel);
            throw new JournalException("the data directory " + dataDirectory + " is in use by another running " +
                "Rollbook service (it holds the lock on " + file + "); stop it first, or give this one another " +
                "data directory");
        }

        return new DataDirectoryLock(channel, lock);
    }

    @Override
    public void close()
    {
        try
        {
            lock.release();
        }
        catch (final IOException ignored)
        {
            // Closing the channel below releases the lock too.
        }
        closeQuietly(channel);
    }

    /**
     * The JDK's file exceptions often carry nothing but the path: say what is wrong with it.
     */
    private static String describe(final IOException ex)
    {
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied on " + ex.getMessage();
        }
        if (ex instanceof FileAlreadyExistsException)
        {
            return ex.getMessage() + " exists and is not a directory";
        }
        if (ex instanceof NoSuchFileException)
        {
            return "cannot create " + ex.getMessage();
        }
        if (ex instanceof FileSystemException && READ_ONLY.equals(((FileSystemException)ex).getReason()))
        {
            return ex.getMessage() + ". The service writes its journal, snapshots and roots there: mount it " +
                "read-write (or start on a writable copy); journal dump, audit and proof read a read-only directory " +
                "as it is";
        }
        return ex.getMessage();
    }

    private static void closeQuietly(final FileChannel channel)
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignored)
        {
            // Nothing more to release.
        }
    }
}
