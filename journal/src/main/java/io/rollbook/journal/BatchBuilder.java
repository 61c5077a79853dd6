package io.rollbook.journal;

import static io.rollbook.journal.JournalFormat.BATCH_HEADER_LENGTH;
import static io.rollbook.journal.JournalFormat.BATCH_NUMBER_OFFSET;
import static io.rollbook.journal.JournalFormat.BATCH_RESERVED_OFFSET;
import static io.rollbook.journal.JournalFormat.COMMAND_COUNT_OFFSET;
import static io.rollbook.journal.JournalFormat.FIRST_SEQUENCE_OFFSET;
import static io.rollbook.journal.JournalFormat.LAST_SEQUENCE_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_COMMAND_LENGTH_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_EVENTS_LENGTH_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_EVENT_COUNT_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_HEADER_LENGTH;
import static io.rollbook.journal.JournalFormat.RECORD_LENGTH_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_SEQUENCE_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_SOURCE_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_TIMESTAMP_OFFSET;
import static io.rollbook.journal.JournalFormat.TYPE_BATCH;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Lays out one batch document in a buffer, record by record, so that the matcher can write each command's events
 * straight into the batch: {@link #beginRecord} copies the command in and returns where its events go, the
 * matcher's event writer appends them there, {@link #endRecord} closes the record. {@link #finish} writes the
 * batch header; the journal fills in the checksum when it appends the document.
 *
 * <p>Single-threaded: the matcher thread owns a builder and the buffer it is filling. Allocates nothing; the
 * buffer must be expandable if a batch can outgrow it.
 */
public final class BatchBuilder
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private MutableDirectBuffer buffer;
    private long batchNumber;
    private long firstSequence;
    private long lastSequence;
    private int commandCount;
    private int position;
    private int recordStart;

    /**
     * Starts an empty batch at offset 0 of {@code buffer}.
     */
    public BatchBuilder begin(final MutableDirectBuffer buffer, final long batchNumber)
    {
        this.buffer = buffer;
        this.batchNumber = batchNumber;
        this.firstSequence = 0;
        this.lastSequence = 0;
        this.commandCount = 0;
        this.position = BATCH_HEADER_LENGTH;
        this.recordStart = -1;
        return this;
    }

    /**
     * Starts a record and copies its command in.
     *
     * @return where the command's events must be written
     */
    public int beginRecord(
        final long sequence,
        final long timestampNs,
        final long source,
        final DirectBuffer command,
        final int commandOffset,
        final int commandLength)
    {
        final int eventsOffset = beginRecordWithoutCommand(sequence, timestampNs, source, commandLength);
        buffer.putBytes(eventsOffset - commandLength, command, commandOffset, commandLength);

        return eventsOffset;
    }

    /**
     * Starts a record and leaves room for its command, which someone must copy in at
     * {@code eventsOffset - commandLength} before the batch is appended.
     *
     * @return where the command's events must be written
     */
    public int beginRecordWithoutCommand(
        final long sequence, final long timestampNs, final long source, final int commandLength)
    {
        final int start = position;
        final int eventsOffset = start + RECORD_HEADER_LENGTH + commandLength;
        recordStart = start;
        buffer.checkLimit(eventsOffset);
        buffer.putLong(start + RECORD_SEQUENCE_OFFSET, sequence, ORDER);
        buffer.putLong(start + RECORD_TIMESTAMP_OFFSET, timestampNs, ORDER);
        buffer.putLong(start + RECORD_SOURCE_OFFSET, source, ORDER);
        buffer.putInt(start + RECORD_COMMAND_LENGTH_OFFSET, commandLength, ORDER);
        if (commandCount == 0)
        {
            firstSequence = sequence;
        }
        lastSequence = sequence;

        return eventsOffset;
    }

    /**
     * Closes the record begun last.
     *
     * @param eventsEnd  the offset just past its last event
     * @param eventCount how many events it has
     */
    public void endRecord(final int eventsEnd, final int eventCount)
    {
        final int start = recordStart;
        final int eventsOffset = start + RECORD_HEADER_LENGTH + buffer.getInt(start + RECORD_COMMAND_LENGTH_OFFSET, ORDER);
        buffer.putInt(start + RECORD_LENGTH_OFFSET, eventsEnd - start, ORDER);
        buffer.putInt(start + RECORD_EVENTS_LENGTH_OFFSET, eventsEnd - eventsOffset, ORDER);
        buffer.putInt(start + RECORD_EVENT_COUNT_OFFSET, eventCount, ORDER);
        position = eventsEnd;
        commandCount++;
        recordStart = -1;
    }

    /**
     * Writes the batch header.
     *
     * @return the document's length
     */
    public int finish()
    {
        JournalDocument.putHeader(buffer, 0, TYPE_BATCH, position);
        buffer.putLong(BATCH_NUMBER_OFFSET, batchNumber, ORDER);
        buffer.putLong(FIRST_SEQUENCE_OFFSET, firstSequence, ORDER);
        buffer.putLong(LAST_SEQUENCE_OFFSET, lastSequence, ORDER);
        buffer.putInt(COMMAND_COUNT_OFFSET, commandCount, ORDER);
        buffer.putInt(BATCH_RESERVED_OFFSET, 0, ORDER);
        return position;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public long batchNumber()
    {
        return batchNumber;
    }

    public long firstSequence()
    {
        return firstSequence;
    }

    public long lastSequence()
    {
        return lastSequence;
    }

    public int commandCount()
    {
        return commandCount;
    }

    public boolean isEmpty()
    {
        return commandCount == 0;
    }

    /**
     * @return the batch's length so far, header included
     */
    public int length()
    {
        return position;
    }
}
