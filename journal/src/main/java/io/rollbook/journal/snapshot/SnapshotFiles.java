package io.rollbook.journal.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import io.rollbook.journal.JournalException;
import org.agrona.DirectBuffer;

/**
 * One kind of snapshot file in a directory, named by the last sequence it holds ({@code <prefix>}, twenty digits,
 * {@code .snap}): the matcher's and the gateway views' share the directory and differ in their prefix.
 *
 * <p>A file is written under a temporary name, forced to the device, then renamed, and the directory forced, so a
 * crash leaves either the whole file or none. Only the newest few are kept; a temporary file a crash or a failed
 * write left behind is deleted by the next one written, so none of them piles up either. One writer at a time per
 * prefix; the files are immutable once named.
 */
public final class SnapshotFiles
{
    /**
     * The most a snapshot file can hold: one is encoded whole in one buffer indexed by an int. A larger file of a
     * snapshot's name is not one, and reading it whole would end the start in an OutOfMemoryError instead of the
     * fallback to an older snapshot.
     */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    private static final String SUFFIX = ".snap";
    private static final String TEMPORARY_SUFFIX = ".tmp";
    private static final int DIGITS = 20;

    private final Path directory;
    private final String prefix;
    private final String what;

    /**
     * @param what how errors name a file of this kind ("snapshot", "view snapshot")
     */
    public SnapshotFiles(final Path directory, final String prefix, final String what)
    {
        this.directory = directory;
        this.prefix = prefix;
        this.what = what;
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * @return the file name of the snapshot whose last sequence is given
     */
    public String fileName(final long lastSequence)
    {
        return fileName(prefix, lastSequence);
    }

    /**
     * @return the file name of the snapshot with this prefix whose last sequence is given
     */
    public static String fileName(final String prefix, final long lastSequence)
    {
        return String.format(Locale.ROOT, "%s%0" + DIGITS + "d%s", prefix, lastSequence, SUFFIX);
    }

    /**
     * Writes {@code length} bytes of {@code bytes} durably as the snapshot of {@code lastSequence}, then deletes all
     * but the newest {@code keep} (at least the one written) and any temporary leftover.
     *
     * @return the file written
     * @throws JournalException if it could not be written; no temporary file is left
     */
    public Path write(final DirectBuffer bytes, final int length, final long lastSequence, final int keep)
    {
        final String name = fileName(lastSequence);
        final Path file = directory.resolve(name);
        final Path temporary = directory.resolve(name + TEMPORARY_SUFFIX);
        try
        {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
            {
                final ByteBuffer buffer = bytes.byteBuffer() != null ?
                    bytes.byteBuffer().duplicate().position(bytes.wrapAdjustment())
                        .limit(bytes.wrapAdjustment() + length) :
                    ByteBuffer.wrap(bytes.byteArray(), bytes.wrapAdjustment(), length);
                while (buffer.hasRemaining())
                {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try
            {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ))
            {
                dir.force(true);
            }
            prune(keep);
        }
        catch (final IOException ex)
        {
            deleteQuietly(temporary, ex);
            throw new JournalException("cannot write " + what + " " + file + ": " + ex.getMessage(), ex);
        }

        return file;
    }

    /**
     * @return the snapshot files of this kind, newest (highest last sequence) first
     */
    public List<Path> list()
    {
        if (!Files.isDirectory(directory))
        {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory))
        {
            final List<Path> snapshots = new ArrayList<>();
            files.filter(this::isSnapshotFile).forEach(snapshots::add);
            snapshots.sort(Comparator.comparingLong(this::sequenceOf).reversed());
            return snapshots;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list " + directory + ": " + ex.getMessage(), ex);
        }
    }

    private void prune(final int keep) throws IOException
    {
        final List<Path> snapshots = list();
        for (int i = Math.max(keep, 1); i < snapshots.size(); i++)
        {
            Files.deleteIfExists(snapshots.get(i));
        }
        // The one writer has no other snapshot of this kind in progress: any temporary file is a crashed or failed
        // write's.
        try (Stream<Path> files = Files.list(directory))
        {
            final List<Path> leftovers = new ArrayList<>();
            files.filter(this::isTemporaryFile).forEach(leftovers::add);
            for (final Path leftover : leftovers)
            {
                Files.deleteIfExists(leftover);
            }
        }
    }

    private static void deleteQuietly(final Path file, final IOException cause)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            cause.addSuppressed(ex);
        }
    }

    private boolean isTemporaryFile(final Path file)
    {
        final String name = file.getFileName().toString();
        return name.endsWith(TEMPORARY_SUFFIX) &&
            isSnapshotFile(file.resolveSibling(name.substring(0, name.length() - TEMPORARY_SUFFIX.length())));
    }

    private boolean isSnapshotFile(final Path file)
    {
        final String name = file.getFileName().toString();
        return name.startsWith(prefix) && name.endsWith(SUFFIX) &&
            name.length() == prefix.length() + DIGITS + SUFFIX.length() &&
            name.substring(prefix.length(), prefix.length() + DIGITS).chars().allMatch(Character::isDigit);
    }

    private long sequenceOf(final Path file)
    {
        final String name = file.getFileName().toString();
        return Long.parseLong(name.substring(prefix.length(), prefix.length() + DIGITS));
    }
}
