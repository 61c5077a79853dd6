package io.rollbook.journal;

import java.nio.file.Path;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;

/**
 * Reads the journal's documents in order, whatever their type or validity, each copied into a buffer the reader
 * owns and presented through a {@link JournalDocument} flyweight. {@link JournalCursor} builds batch-by-batch
 * reading with the recovery rules on top of it.
 *
 * <p>Single-threaded: the thread that creates a reader owns its Chronicle tailer. Allocates nothing per document
 * once its buffer has grown to the largest document.
 */
public final class JournalReader implements AutoCloseable
{
    private final SingleChronicleQueue queue;
    private final boolean ownsQueue;
    private final ExcerptTailer tailer;
    private final ExpandableArrayBuffer copy = new ExpandableArrayBuffer(64 * 1024);
    private final JournalDocument document = new JournalDocument();

    /**
     * A reader over a queue someone else owns and closes.
     */
    public JournalReader(final SingleChronicleQueue queue)
    {
        this(queue, false);
    }

    private JournalReader(final SingleChronicleQueue queue, final boolean ownsQueue)
    {
        this.queue = queue;
        this.ownsQueue = ownsQueue;
        this.tailer = queue.createTailer();
    }

    /**
     * Opens the journal of a data directory read-only; closing the reader closes it.
     */
    public static JournalReader open(final Path dataDirectory)
    {
        return new JournalReader(JournalFiles.openForReading(dataDirectory), true);
    }

    /**
     * @return the next document, or null if there is none (yet); the flyweight is valid until the next call
     */
    public JournalDocument next()
    {
        try (DocumentContext context = tailer.readingDocument())
        {
            if (!context.isPresent())
            {
                return null;
            }
            final Bytes<?> bytes = context.wire().bytes();
            final long remaining = bytes.readRemaining();
            final int length = remaining > JournalFormat.MAX_DOCUMENT_LENGTH ? -1 : (int)remaining;
            if (length > 0)
            {
                copy.checkLimit(length);
                bytes.read(copy.byteArray(), 0, length);
            }
            return document.wrap(copy, 0, Math.max(length, 0), context.index());
        }
    }

    /**
     * Positions the reader so that {@link #next()} returns the first document.
     */
    public JournalReader toStart()
    {
        tailer.toStart();
        return this;
    }

    /**
     * Positions the reader so that {@link #next()} returns the document at this index.
     *
     * @return false if there is no such index
     */
    public boolean moveToIndex(final long index)
    {
        return tailer.moveToIndex(index);
    }

    /**
     * @return the index of the next document to read
     */
    public long index()
    {
        return tailer.index();
    }

    public SingleChronicleQueue queue()
    {
        return queue;
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(tailer);
        if (ownsQueue)
        {
            CloseHelper.quietClose(queue);
        }
    }
}
