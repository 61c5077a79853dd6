package io.rollbook.journal.snapshot;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFiles;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Snapshot files in {@code DIR/snapshots}, one per snapshot, named by the last sequence number they contain
 * ({@code snapshot-00000000000001234567.snap}), each with a checksum:
 *
 * <pre>
 *   0  int32  magic            0x4E534252, "RBSN"
 *   4  int32  checksum         CRC32C of bytes [8, length)
 *   8  int64  length           of the whole file
 *  16  int32  formatVersion    2 (1: no batch checksum, offset 20 reserved)
 *  20  int32  lastBatchChecksum the CRC32C the journal stores in that batch document: which journal it is
 *  24  int64  lastSequence
 *  32  int64  lastBatchNumber
 *  40  int64  lastBatchIndex   Chronicle Queue index of that batch
 *  48  int64  lastTimestampNs
 *  56  int32  stateLength
 *  60  int32  reserved         0
 *  64  state bytes
 * </pre>
 *
 * Written, kept and pruned by {@link SnapshotFiles}: a crash leaves either the whole snapshot or none.
 *
 * <p>Thread-safe for one writer and any number of readers; the files are immutable once named.
 */
public final class SnapshotStore
{
    public static final int MAGIC = 0x4E534252;
    public static final int FORMAT_VERSION = 2;
    private static final int FORMAT_VERSION_UNBOUND = 1;
    public static final int HEADER_LENGTH = 64;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final String PREFIX = "snapshot-";

    private final SnapshotFiles files;

    public SnapshotStore(final Path dataDirectory)
    {
        this.files = new SnapshotFiles(JournalFiles.snapshotDirectory(dataDirectory), PREFIX, "snapshot");
    }

    public Path directory()
    {
        return files.directory();
    }

    /**
     * Writes the header for a snapshot into the first {@link #HEADER_LENGTH} bytes of {@code buffer}, whose state
     * bytes follow from offset {@link #HEADER_LENGTH}, and computes the checksum.
     *
     * @return the file's length
     */
    public static int frame(
        final MutableDirectBuffer buffer,
        final int stateLength,
        final long lastSequence,
        final long lastBatchNumber,
        final long lastBatchIndex,
        final int lastBatchChecksum,
        final long lastTimestampNs)
    {
        final int length = HEADER_LENGTH + stateLength;
        buffer.putInt(0, MAGIC, ORDER);
        buffer.putLong(8, length, ORDER);
        buffer.putInt(16, FORMAT_VERSION, ORDER);
        buffer.putInt(20, lastBatchChecksum, ORDER);
        buffer.putLong(24, lastSequence, ORDER);
        buffer.putLong(32, lastBatchNumber, ORDER);
        buffer.putLong(40, lastBatchIndex, ORDER);
        buffer.putLong(48, lastTimestampNs, ORDER);
        buffer.putInt(56, stateLength, ORDER);
        buffer.putInt(60, 0, ORDER);
        buffer.putInt(4, checksum(buffer, length), ORDER);
        return length;
    }

    /**
     * Writes a framed snapshot ({@link #frame}) durably and prunes all but the newest {@code keep}.
     *
     * @return the file written
     */
    public Path write(final DirectBuffer framed, final int length, final int keep)
    {
        return files.write(framed, length, framed.getLong(24, ORDER), keep);
    }

    /**
     * @return the snapshot files, newest (highest last sequence) first
     */
    public List<Path> list()
    {
        return files.list();
    }

    /**
     * Reads and checks one snapshot file.
     *
     * @throws JournalException if it is unreadable, truncated, or its checksum does not match
     */
    public static Snapshot read(final Path file)
    {
        final byte[] bytes;
        try
        {
            final long size = Files.size(file);
            if (size > SnapshotFiles.MAX_FILE_BYTES)
            {
                throw new JournalException("snapshot " + file + " is " + size + " bytes, more than a snapshot can be");
            }
            bytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read snapshot " + file + ": " + ex.getMessage(), ex);
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        if (bytes.length < HEADER_LENGTH || buffer.getInt(0, ORDER) != MAGIC)
        {
            throw new JournalException("snapshot " + file + " is not a Rollbook snapshot");
        }
        if (buffer.getLong(8, ORDER) != bytes.length)
        {
            throw new JournalException("snapshot " + file + " is " + bytes.length + " bytes, its header says " +
                buffer.getLong(8, ORDER) + " (truncated)");
        }
        final int version = buffer.getInt(16, ORDER);
        if (version != FORMAT_VERSION && version != FORMAT_VERSION_UNBOUND)
        {
            throw new JournalException("snapshot " + file + " has unknown format version " + buffer.getInt(16, ORDER));
        }
        if (checksum(buffer, bytes.length) != buffer.getInt(4, ORDER))
        {
            throw new JournalException("snapshot " + file + " fails its checksum");
        }
        final int stateLength = buffer.getInt(56, ORDER);
        if (stateLength != bytes.length - HEADER_LENGTH)
        {
            throw new JournalException("snapshot " + file + " states " + stateLength + " state bytes in a file of " +
                bytes.length);
        }

        return new Snapshot(file, buffer.getLong(24, ORDER), buffer.getLong(32, ORDER), buffer.getLong(40, ORDER),
            version == FORMAT_VERSION, buffer.getInt(20, ORDER), buffer.getLong(48, ORDER), buffer, HEADER_LENGTH,
            stateLength);
    }

    /**
     * @return the file name of the snapshot whose last sequence is given
     */
    public static String fileName(final long lastSequence)
    {
        return SnapshotFiles.fileName(PREFIX, lastSequence);
    }

    private static int checksum(final DirectBuffer buffer, final int length)
    {
        final CRC32C crc = new CRC32C();
        if (buffer.byteArray() != null)
        {
            crc.update(buffer.byteArray(), buffer.wrapAdjustment() + 8, length - 8);
        }
        else
        {
            final byte[] chunk = new byte[64 * 1024];
            for (int position = 8; position < length; position += chunk.length)
            {
                final int count = Math.min(chunk.length, length - position);
                buffer.getBytes(position, chunk, 0, count);
                crc.update(chunk, 0, count);
            }
        }
        return (int)crc.getValue();
    }
}
