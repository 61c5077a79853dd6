package io.rollbook.gateway.view;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.snapshot.SnapshotFiles;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The gateway's view snapshots in {@code DIR/snapshots}, beside the matcher's, one file per snapshot named by the
 * last sequence its views hold ({@code views-00000000000001234567.snap}):
 *
 * <pre>
 *   0  int32  magic             0x53564252, "RBVS"
 *   4  int32  checksum          CRC32C of bytes [8, length)
 *   8  int64  length            of the whole file
 *  16  int32  formatVersion     3 (2: the order view whole, at the batch named; 1: the order view without what
 *                                  each ended order filled; neither read, the views are then read from an older
 *                                  snapshot or the journal's genesis)
 *  20  int32  lastBatchChecksum the CRC32C the journal stores in the batch it covers: which journal it is
 *  24  int64  lastSequence
 *  32  int64  lastBatchNumber
 *  40  int64  lastBatchIndex    Chronicle Queue index of that batch
 *  48  int32  genesisChecksum   the CRC32C the journal stores in its genesis document
 *  52  int32  marketCapacity    of the views
 *  56  int32  endedWindow       ended orders the order view remembers
 *  60  int32  reserved          0
 *  64  the views ({@link ViewSnapshotCodec}); the order view's stripes each with the last sequence they hold,
 *      the one named here or a later one
 * </pre>
 *
 * Written, kept and pruned as the matcher's snapshots are ({@link SnapshotFiles}): a crash leaves the whole file
 * or none.
 *
 * <p>One writer at a time (the view snapshot writer thread, or the closing thread once it stopped); the files are
 * immutable once named.
 */
final class ViewSnapshotFile
{
    static final int MAGIC = 0x53564252;
    static final int FORMAT_VERSION = 3;
    static final int HEADER_LENGTH = 64;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final String PREFIX = "views-";

    /**
     * A file read whole, its header and checksum checked: what it covers, and its views' bytes.
     */
    record Loaded(
        Path file,
        long lastSequence,
        long lastBatchNumber,
        long lastBatchIndex,
        int lastBatchChecksum,
        int genesisChecksum,
        int marketCapacity,
        int endedWindow,
        DirectBuffer bytes,
        int length)
    {
    }

    private ViewSnapshotFile()
    {
    }

    static Path directory(final Path dataDirectory)
    {
        return JournalFiles.snapshotDirectory(dataDirectory);
    }

    static String fileName(final long lastSequence)
    {
        return SnapshotFiles.fileName(PREFIX, lastSequence);
    }

    /**
     * Fills the header in before the views' bytes, which start at {@link #HEADER_LENGTH}, and computes the checksum.
     *
     * @return the file's length
     */
    static int frame(
        final MutableDirectBuffer buffer,
        final int viewsLength,
        final long lastSequence,
        final long lastBatchNumber,
        final long lastBatchIndex,
        final int lastBatchChecksum,
        final int genesisChecksum,
        final int marketCapacity,
        final int endedWindow)
    {
        final int length = HEADER_LENGTH + viewsLength;
        buffer.putInt(0, MAGIC, ORDER);
        buffer.putLong(8, length, ORDER);
        buffer.putInt(16, FORMAT_VERSION, ORDER);
        buffer.putInt(20, lastBatchChecksum, ORDER);
        buffer.putLong(24, lastSequence, ORDER);
        buffer.putLong(32, lastBatchNumber, ORDER);
        buffer.putLong(40, lastBatchIndex, ORDER);
        buffer.putInt(48, genesisChecksum, ORDER);
        buffer.putInt(52, marketCapacity, ORDER);
        buffer.putInt(56, endedWindow, ORDER);
        buffer.putInt(60, 0, ORDER);
        buffer.putInt(4, checksum(buffer, length), ORDER);
        return length;
    }

    /**
     * Writes a framed snapshot durably, then deletes all but the newest {@code keep} and any temporary leftover.
     *
     * @return the file written
     * @throws JournalException if it could not be written
     */
    static Path write(final Path dataDirectory, final MutableDirectBuffer framed, final int length, final int keep)
    {
        return files(dataDirectory).write(framed, length, framed.getLong(24, ORDER), keep);
    }

    /**
     * @return the view snapshot files, newest (highest last sequence) first
     */
    static List<Path> list(final Path dataDirectory)
    {
        return files(dataDirectory).list();
    }

    private static SnapshotFiles files(final Path dataDirectory)
    {
        return new SnapshotFiles(directory(dataDirectory), PREFIX, "view snapshot");
    }

    /**
     * Reads a file whole and checks its header and checksum.
     *
     * @throws ViewSnapshotException naming what is wrong with it
     */
    static Loaded read(final Path file)
    {
        final byte[] bytes;
        try
        {
            final long size = Files.size(file);
            if (size > SnapshotFiles.MAX_FILE_BYTES)
            {
                throw new ViewSnapshotException("it is " + size + " bytes, more than a view snapshot can be");
            }
            bytes = Files.readAllBytes(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ViewSnapshotException("it is gone");
        }
        catch (final IOException ex)
        {
            throw new ViewSnapshotException("it cannot be read: " + ex.getMessage());
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        if (bytes.length < HEADER_LENGTH || buffer.getInt(0, ORDER) != MAGIC)
        {
            throw new ViewSnapshotException("it is not a view snapshot (" + bytes.length + " bytes, no " +
                "header)");
        }
        final long length = buffer.getLong(8, ORDER);
        if (length != bytes.length)
        {
            throw new ViewSnapshotException("it is " + bytes.length + " bytes, its header says " + length +
                (length > bytes.length ? " (truncated)" : ""));
        }
        final int version = buffer.getInt(16, ORDER);
        if (version != FORMAT_VERSION)
        {
            throw new ViewSnapshotException("it has format version " + version + ", this build reads " +
                FORMAT_VERSION);
        }
        if (checksum(buffer, bytes.length) != buffer.getInt(4, ORDER))
        {
            throw new ViewSnapshotException("it fails its checksum");
        }
        return new Loaded(file, buffer.getLong(24, ORDER), buffer.getLong(32, ORDER), buffer.getLong(40, ORDER),
            buffer.getInt(20, ORDER), buffer.getInt(48, ORDER), buffer.getInt(52, ORDER), buffer.getInt(56, ORDER),
            buffer, bytes.length);
    }

    private static int checksum(final DirectBuffer buffer, final int length)
    {
        final CRC32C crc = new CRC32C();
        crc.update(buffer.byteArray(), buffer.wrapAdjustment() + 8, length - 8);
        return (int)crc.getValue();
    }
}
