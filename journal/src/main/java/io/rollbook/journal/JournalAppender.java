package io.rollbook.journal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.CloseHelper;
import org.agrona.MutableDirectBuffer;

/**
 * Appends Rollbook documents to the journal queue, one Chronicle document each, as raw bytes, and applies the
 * {@link SyncPolicy}.
 *
 * <p>Single-threaded: the thread that first appends owns the underlying Chronicle appender (created with
 * {@code createAppender()} on that thread) and must be the only one to use this object. Allocates nothing per
 * document in steady state.
 *
 * <p>Sync is an fsync of the queue's current cycle file (which on Linux also writes back the pages dirtied through
 * the memory mapping), of any cycle file written since the last sync, and of the directory when a new cycle file
 * appeared, so that a new file's name is durable too.
 *
 * <p>Under {@link SyncPolicy#NONE}, {@link #writeAhead()} writes zeros a little further into the file ahead of what
 * was appended ({@link ZeroFillAhead}), so that the appender's stores through the memory map never meet a hole of
 * the file. Not under {@link SyncPolicy#BATCH}: each sync would write those zeros to the device, and the same pages again
 * once they hold documents, which halved its throughput (BENCHMARKS.md), for a latency its syncs dominate anyway.
 */
public final class JournalAppender implements AutoCloseable
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final SingleChronicleQueue queue;
    private final SyncPolicy syncPolicy;
    private final ZeroFillAhead ahead;
    private ExcerptAppender appender;
    private File syncFile;
    private FileChannel syncChannel;
    private FileChannel previousChannel;
    private boolean newFile;
    private boolean unsynced;
    private long syncCount;
    private File lastFile;
    private long lastEnd;
    private long appendedSinceAhead;

    public JournalAppender(final SingleChronicleQueue queue, final SyncPolicy syncPolicy)
    {
        this.queue = queue;
        this.syncPolicy = syncPolicy;
        this.ahead = syncPolicy == SyncPolicy.NONE ? new ZeroFillAhead() : null;
    }

    /**
     * Fills in the document's checksum and appends it.
     *
     * @param buffer holds a complete document (see {@link JournalFormat}); its checksum field is overwritten
     * @param offset where it starts
     * @param length its length, which its header must state
     * @return its Chronicle Queue index
     */
    public long append(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (length < JournalFormat.DOCUMENT_HEADER_LENGTH || length > JournalFormat.MAX_DOCUMENT_LENGTH ||
            buffer.getInt(offset + JournalFormat.LENGTH_OFFSET, ORDER) != length)
        {
            throw new JournalException("refusing to append a document of " + length + " bytes whose header says " +
                buffer.getInt(offset + JournalFormat.LENGTH_OFFSET, ORDER));
        }
        buffer.putInt(offset + JournalFormat.CHECKSUM_OFFSET, JournalFormat.checksum(buffer, offset, length), ORDER);

        final ExcerptAppender appender = appender();
        final DocumentContext context = appender.writingDocument();
        final long endPosition;
        try
        {
            final Bytes<?> bytes = context.wire().bytes();
            final byte[] array = buffer.byteArray();
            if (array != null)
            {
                bytes.write(array, buffer.wrapAdjustment() + offset, length);
            }
            else
            {
                bytes.unsafeWrite(buffer.addressOffset() + offset, length);
            }
            endPosition = bytes.writePosition();
        }
        catch (final RuntimeException | Error ex)
        {
            context.rollbackOnClose();
            throw ex;
        }
        finally
        {
            context.close();
        }
        unsynced = true;
        final File file = appender.currentFile();
        trackFile(file);
        lastFile = file;
        lastEnd = endPosition;
        appendedSinceAhead += length;

        return appender.lastIndexAppended();
    }

    /**
     * Applies the sync policy to everything appended since the last call: with {@link SyncPolicy#BATCH} returns
     * only once it is on the device.
     */
    public void sync()
    {
        if (syncPolicy != SyncPolicy.BATCH || !unsynced)
        {
            return;
        }
        try
        {
            if (previousChannel != null)
            {
                previousChannel.force(false);
                previousChannel.close();
                previousChannel = null;
            }
            syncChannel.force(false);
            if (newFile)
            {
                forceDirectory(syncFile.getParentFile());
                newFile = false;
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot sync the journal file " + syncFile + ": " + ex.getMessage(), ex);
        }
        unsynced = false;
        syncCount++;
    }

    /**
     * Writes zeros ahead of what was appended since the last call, under {@link SyncPolicy#NONE}; nothing otherwise.
     * The journal thread calls it once it has released what it appended, so that no release waits for it.
     *
     * @throws JournalException if the file cannot be written (the journal itself is unaffected)
     */
    public void writeAhead()
    {
        if (ahead != null && appendedSinceAhead > 0)
        {
            final int appended = (int)Math.min(Integer.MAX_VALUE, appendedSinceAhead);
            appendedSinceAhead = 0;
            ahead.afterAppend(lastFile, lastEnd, appended);
        }
    }

    /**
     * @return how many bytes of zeros it has written ahead of itself
     */
    public long bytesZeroedAhead()
    {
        return ahead == null ? 0 : ahead.bytesWritten();
    }

    /**
     * @return how many device syncs this appender has made
     */
    public long syncCount()
    {
        return syncCount;
    }

    public SyncPolicy syncPolicy()
    {
        return syncPolicy;
    }

    @Override
    public void close()
    {
        CloseHelper.quietCloseAll(ahead, previousChannel, syncChannel, appender);
        previousChannel = null;
        syncChannel = null;
        appender = null;
    }

    private ExcerptAppender appender()
    {
        if (appender == null)
        {
            appender = queue.createAppender();
        }

        return appender;
    }

    private void trackFile(final File file)
    {
        if (syncPolicy != SyncPolicy.BATCH || file.equals(syncFile))
        {
            return;
        }
        try
        {
            if (syncChannel != null)
            {
                if (previousChannel != null)
                {
                    previousChannel.force(false);
                    previousChannel.close();
                }
                previousChannel = syncChannel;
            }
            syncChannel = FileChannel.open(file.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            syncFile = file;
            newFile = true;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot open the journal file " + file + " to sync it: " + ex.getMessage(), ex);
        }
    }

    private static void forceDirectory(final File directory) throws IOException
    {
        try (FileChannel channel = FileChannel.open(directory.toPath(), StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }
}
