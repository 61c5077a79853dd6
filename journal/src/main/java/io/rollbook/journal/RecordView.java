package io.rollbook.journal;

import static io.rollbook.journal.JournalFormat.RECORD_COMMAND_LENGTH_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_EVENTS_LENGTH_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_EVENT_COUNT_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_HEADER_LENGTH;
import static io.rollbook.journal.JournalFormat.RECORD_LENGTH_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_SEQUENCE_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_SOURCE_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_TIMESTAMP_OFFSET;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * A flyweight over the records of one batch: one sequenced command and the events it produced. Position it with
 * {@link JournalDocument#records(RecordView)}, then call {@link #next()} until it returns false.
 *
 * <p>Not thread-safe; allocates nothing. Valid only while the batch it walks is: a reader reuses its buffer for
 * the next document.
 */
public final class RecordView
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private DirectBuffer buffer;
    private int next;
    private int end;
    private int offset;

    void reset(final DirectBuffer buffer, final int firstRecord, final int end)
    {
        this.buffer = buffer;
        this.next = firstRecord;
        this.end = end;
        this.offset = -1;
    }

    /**
     * Steps to the next record.
     *
     * @return false when the batch has no more records
     */
    public boolean next()
    {
        if (next >= end)
        {
            return false;
        }
        offset = next;
        next += buffer.getInt(offset + RECORD_LENGTH_OFFSET, ORDER);
        return true;
    }

    public long sequence()
    {
        return buffer.getLong(offset + RECORD_SEQUENCE_OFFSET, ORDER);
    }

    public long timestampNs()
    {
        return buffer.getLong(offset + RECORD_TIMESTAMP_OFFSET, ORDER);
    }

    /**
     * @return the routing tag its publisher gave, 0 for commands the service issued itself
     */
    public long source()
    {
        return buffer.getLong(offset + RECORD_SOURCE_OFFSET, ORDER);
    }

    /**
     * @return the buffer that holds the command and its events
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return where the record starts in {@link #buffer()}
     */
    public int recordOffset()
    {
        return offset;
    }

    public int recordLength()
    {
        return buffer.getInt(offset + RECORD_LENGTH_OFFSET, ORDER);
    }

    /**
     * @return where the command's SBE message header starts
     */
    public int commandOffset()
    {
        return offset + RECORD_HEADER_LENGTH;
    }

    public int commandLength()
    {
        return buffer.getInt(offset + RECORD_COMMAND_LENGTH_OFFSET, ORDER);
    }

    /**
     * @return where the first event's SBE message header starts; the events follow one another
     */
    public int eventsOffset()
    {
        return commandOffset() + commandLength();
    }

    public int eventsLength()
    {
        return buffer.getInt(offset + RECORD_EVENTS_LENGTH_OFFSET, ORDER);
    }

    public int eventCount()
    {
        return buffer.getInt(offset + RECORD_EVENT_COUNT_OFFSET, ORDER);
    }
}
