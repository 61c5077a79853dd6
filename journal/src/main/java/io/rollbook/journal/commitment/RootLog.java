package io.rollbook.journal.commitment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFiles;

/**
 * The roots of a data directory: {@code DIR/commitments/roots}, one fixed-size record per journal batch, so the
 * record of batch {@code b} sits at a known offset. Little-endian, like the journal.
 *
 * <pre>
 * header, 64 bytes
 *   0  int32  magic           0x54524252, "RBRT"
 *   4  int32  checksum        CRC32C of bytes [8, 64)
 *   8  int32  formatVersion   1
 *  12  int32  treeHeight
 *  16  int64  accountCapacity the journal genesis's
 *  24  zeros to 64
 * record of batch b (from 1), 64 bytes at 64 + (b - 1) * 64
 *   0  int64  batchNumber     b
 *   8  int64  lastSequence    the batch's last sequence number
 *  16  int32  batchChecksum   the batch document's CRC32C as the journal stores it: which batch this root is of
 *  20  int32  reserved        0
 *  24  32     root            the state root after the batch
 *  56  int32  reserved        0
 *  60  int32  checksum        CRC32C of bytes [0, 60) of the record
 * </pre>
 *
 * Roots are derived data: the journal alone gives them all again. So the log is written without a sync per
 * record; a crash or power loss can cut its tail short (a record whose checksum fails), and the builder that
 * opens it for writing cuts the tail back to the last good record and goes on from there.
 *
 * <p>One writer (the commitment builder) and any number of readers, in any processes: a reader sees a record
 * only once it is complete (its checksum holds).
 */
public final class RootLog implements AutoCloseable
{
    public static final int MAGIC = 0x54524252;
    public static final int FORMAT_VERSION = 1;
    public static final int HEADER_LENGTH = 64;
    public static final int RECORD_LENGTH = 64;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** Records are read this many at a time: an audit, or a builder resuming, reads them all in order. */
    private static final int CHUNK_RECORDS = 1024;

    private final Path file;
    private final FileChannel channel;
    private final boolean writable;
    private final int treeHeight;
    private final long accountCapacity;
    private final ByteBuffer record = ByteBuffer.allocateDirect(RECORD_LENGTH).order(ORDER);
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer chunk;
    private final ByteBuffer chunkView;
    private long chunkFirst;
    private long chunkCount;
    private long recordCount;

    private RootLog(
        final Path file, final FileChannel channel, final boolean writable, final int treeHeight,
        final long accountCapacity, final long recordCount)
    {
        this.file = file;
        this.channel = channel;
        this.writable = writable;
        this.treeHeight = treeHeight;
        this.accountCapacity = accountCapacity;
        this.recordCount = recordCount;
        this.chunk = ByteBuffer.allocateDirect(CHUNK_RECORDS * RECORD_LENGTH).order(ORDER);
        this.chunkView = chunk.duplicate();
    }

    /**
     * @return where a data directory keeps its roots
     */
    public static Path file(final Path dataDirectory)
    {
        return JournalFiles.rootsFile(dataDirectory);
    }

    /**
     * Opens the roots of a data directory for appending, creating the file if there is none. A file written for
     * another tree (another height or account capacity: not this journal's) is started again, empty. A torn or
     * damaged tail is cut back to the last good record.
     */
    public static RootLog openForWriting(final Path dataDirectory, final int treeHeight, final int accountCapacity)
    {
        final Path file = file(dataDirectory);
        try
        {
            Files.createDirectories(file.getParent());
            final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ORDER);
            final boolean matches = channel.size() >= HEADER_LENGTH && channel.read(header, 0) == HEADER_LENGTH &&
                headerProblem(header.flip(), treeHeight, accountCapacity) == null;
            if (!matches)
            {
                channel.truncate(0);
                header.clear();
                writeHeader(header, treeHeight, accountCapacity);
                channel.write(header.flip(), 0);
            }
            final RootLog log = new RootLog(file, channel, true, treeHeight, accountCapacity, 0);
            log.recordCount = log.goodPrefix((channel.size() - HEADER_LENGTH) / RECORD_LENGTH);
            channel.truncate(HEADER_LENGTH + log.recordCount * RECORD_LENGTH);
            return log;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot open " + file + " for writing: " + ex.getMessage(), ex);
        }
    }

    /**
     * Opens the roots of a data directory read-only.
     *
     * @return null if the directory holds no roots file
     * @throws JournalException if the file is not a roots file of this tree
     */
    public static RootLog openForReading(final Path dataDirectory, final int treeHeight, final int accountCapacity)
    {
        final Path file = file(dataDirectory);
        if (!Files.exists(file))
        {
            return null;
        }
        try
        {
            final FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ORDER);
            final String problem = channel.read(header, 0) != HEADER_LENGTH ? "shorter than its header" :
                headerProblem(header.flip(), treeHeight, accountCapacity);
            if (problem != null)
            {
                channel.close();
                throw new JournalException(file + " is not the roots file of this journal: " + problem);
            }
            final RootLog log = new RootLog(file, channel, false, treeHeight, accountCapacity, 0);
            log.refresh();
            return log;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }

    private static void writeHeader(final ByteBuffer header, final int treeHeight, final long accountCapacity)
    {
        header.putInt(0, MAGIC).putInt(8, FORMAT_VERSION).putInt(12, treeHeight).putLong(16, accountCapacity);
        final CRC32C crc = new CRC32C();
        crc.update(header.duplicate().position(8).limit(HEADER_LENGTH));
        header.putInt(4, (int)crc.getValue());
        header.position(HEADER_LENGTH);
    }

    private static String headerProblem(final ByteBuffer header, final int treeHeight, final long accountCapacity)
    {
        if (header.getInt(0) != MAGIC)
        {
            return "bad magic";
        }
        final CRC32C crc = new CRC32C();
        crc.update(header.duplicate().position(8).limit(HEADER_LENGTH));
        if ((int)crc.getValue() != header.getInt(4))
        {
            return "header checksum mismatch";
        }
        if (header.getInt(8) != FORMAT_VERSION)
        {
            return "format version " + header.getInt(8);
        }
        if (header.getInt(12) != treeHeight || header.getLong(16) != accountCapacity)
        {
            return "written for a tree of height " + header.getInt(12) + " over " + header.getLong(16) +
                " accounts, this journal's is of height " + treeHeight + " over " + accountCapacity;
        }
        return null;
    }

    /**
     * Counts the records from the start that are complete and in order, looking back from the end: a crash only
     * ever damages the tail.
     */
    private long goodPrefix(final long stored) throws IOException
    {
        long count = stored;
        while (count > 0 && !readRecord(count))
        {
            count--;
        }
        return count;
    }

    /**
     * Takes in records a writer appended since this reader opened (or last refreshed).
     *
     * @return how many records are readable
     */
    public long refresh()
    {
        try
        {
            final long stored = (channel.size() - HEADER_LENGTH) / RECORD_LENGTH;
            long count = stored;
            if (count > 0 && !readRecord(count))
            {
                count--;
            }
            recordCount = Math.max(recordCount, count);
            return recordCount;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @return the number of the last batch with a root, 0 if none
     */
    public long lastBatchNumber()
    {
        return recordCount;
    }

    /**
     * Reads the record of a batch.
     *
     * @return false if there is none, or if it is damaged (see {@link #damaged})
     */
    public boolean read(final long batchNumber, final RootRecord out)
    {
        if (batchNumber < 1 || batchNumber > recordCount)
        {
            return false;
        }
        try
        {
            final int offset = inChunk(batchNumber);
            if (offset >= 0)
            {
                out.set(chunk.getLong(offset), chunk.getLong(offset + 8), chunk.getInt(offset + 16), chunk,
                    offset + 24);
                return true;
            }
            if (!readRecord(batchNumber))
            {
                return false;
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
        out.set(record.getLong(0), record.getLong(8), record.getInt(16), record, 24);
        return true;
    }

    /**
     * @return true if the record of a batch within {@link #lastBatchNumber()} fails its checks
     */
    public boolean damaged(final long batchNumber)
    {
        try
        {
            return batchNumber >= 1 && batchNumber <= recordCount && !readRecord(batchNumber);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Finds the record in the reader's chunk, reading the chunk that holds it first if need be; an audit reads every
     * record once, so the record is checked where it lies rather than copied out first.
     *
     * @return the record's offset in the chunk, or -1 if it is not there intact (a record still being written when
     *         the chunk was read: the caller reads it again on its own)
     */
    private int inChunk(final long batchNumber) throws IOException
    {
        if (batchNumber < chunkFirst || batchNumber >= chunkFirst + chunkCount)
        {
            chunk.clear();
            final long position = HEADER_LENGTH + (batchNumber - 1) * RECORD_LENGTH;
            while (chunk.hasRemaining() && channel.read(chunk, position + chunk.position()) > 0)
            {
                continue;
            }
            chunkFirst = batchNumber;
            chunkCount = chunk.position() / RECORD_LENGTH;
        }
        if (batchNumber >= chunkFirst + chunkCount)
        {
            return -1;
        }
        final int offset = (int)(batchNumber - chunkFirst) * RECORD_LENGTH;
        crc.reset();
        chunkView.limit(offset + RECORD_LENGTH - 4).position(offset);
        crc.update(chunkView);
        final boolean intact = (int)crc.getValue() == chunk.getInt(offset + RECORD_LENGTH - 4) &&
            chunk.getLong(offset) == batchNumber;
        return intact ? offset : -1;
    }

    private boolean readRecord(final long batchNumber) throws IOException
    {
        record.clear();
        final long position = HEADER_LENGTH + (batchNumber - 1) * RECORD_LENGTH;
        while (record.hasRemaining())
        {
            if (channel.read(record, position + record.position()) < 0)
            {
                return false;
            }
        }
        record.flip();
        return intact(batchNumber);
    }

    private boolean intact(final long batchNumber)
    {
        crc.reset();
        crc.update(record.limit(RECORD_LENGTH - 4));
        record.limit(RECORD_LENGTH).position(0);
        return (int)crc.getValue() == record.getInt(RECORD_LENGTH - 4) && record.getLong(0) == batchNumber;
    }

    /**
     * Appends the root of the batch after the last one recorded.
     */
    public void append(final long batchNumber, final long lastSequence, final int batchChecksum, final byte[] root)
    {
        if (!writable)
        {
            throw new IllegalStateException(file + " is open read-only");
        }
        if (batchNumber != recordCount + 1)
        {
            throw new IllegalStateException("root of batch " + batchNumber + " appended after batch " + recordCount);
        }
        record.clear();
        record.putLong(0, batchNumber).putLong(8, lastSequence).putInt(16, batchChecksum).putInt(20, 0);
        for (int i = 0; i < CommitmentHash.LENGTH; i++)
        {
            record.put(24 + i, root[i]);
        }
        record.putInt(56, 0);
        crc.reset();
        crc.update(record.limit(RECORD_LENGTH - 4));
        record.limit(RECORD_LENGTH).putInt(RECORD_LENGTH - 4, (int)crc.getValue()).position(0);
        final long position = HEADER_LENGTH + (batchNumber - 1) * RECORD_LENGTH;
        try
        {
            while (record.hasRemaining())
            {
                channel.write(record, position + record.position());
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
        recordCount = batchNumber;
        chunkCount = 0;
    }

    /**
     * Drops the records of every batch after {@code batchNumber}.
     */
    public void truncateAfter(final long batchNumber)
    {
        if (batchNumber >= recordCount)
        {
            return;
        }
        try
        {
            channel.truncate(HEADER_LENGTH + Math.max(0, batchNumber) * RECORD_LENGTH);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot truncate " + file + ": " + ex.getMessage(), ex);
        }
        recordCount = Math.max(0, batchNumber);
        chunkCount = 0;
    }

    /**
     * Forces what was appended to the device.
     */
    public void force()
    {
        try
        {
            channel.force(false);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot force " + file + ": " + ex.getMessage(), ex);
        }
    }

    public Path path()
    {
        return file;
    }

    public int treeHeight()
    {
        return treeHeight;
    }

    public long accountCapacity()
    {
        return accountCapacity;
    }

    @Override
    public void close()
    {
        try
        {
            if (writable && channel.isOpen())
            {
                channel.force(false);
            }
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot close " + file + ": " + ex.getMessage(), ex);
        }
    }
}
