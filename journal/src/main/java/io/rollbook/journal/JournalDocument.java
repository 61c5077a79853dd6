package io.rollbook.journal;

import static io.rollbook.journal.JournalFormat.BATCH_HEADER_LENGTH;
import static io.rollbook.journal.JournalFormat.BATCH_NUMBER_OFFSET;
import static io.rollbook.journal.JournalFormat.CHECKSUM_OFFSET;
import static io.rollbook.journal.JournalFormat.COMMAND_COUNT_OFFSET;
import static io.rollbook.journal.JournalFormat.DOCUMENT_HEADER_LENGTH;
import static io.rollbook.journal.JournalFormat.FIRST_SEQUENCE_OFFSET;
import static io.rollbook.journal.JournalFormat.FORMAT_VERSION;
import static io.rollbook.journal.JournalFormat.FORMAT_VERSION_OFFSET;
import static io.rollbook.journal.JournalFormat.LAST_SEQUENCE_OFFSET;
import static io.rollbook.journal.JournalFormat.LENGTH_OFFSET;
import static io.rollbook.journal.JournalFormat.MAGIC;
import static io.rollbook.journal.JournalFormat.MAGIC_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_COMMAND_LENGTH_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_EVENTS_LENGTH_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_EVENT_COUNT_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_HEADER_LENGTH;
import static io.rollbook.journal.JournalFormat.RECORD_LENGTH_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_SEQUENCE_OFFSET;
import static io.rollbook.journal.JournalFormat.RECORD_TIMESTAMP_OFFSET;
import static io.rollbook.journal.JournalFormat.TYPE_BATCH;
import static io.rollbook.journal.JournalFormat.TYPE_GENESIS;
import static io.rollbook.journal.JournalFormat.TYPE_OFFSET;
import static io.rollbook.journal.JournalFormat.TYPE_RECOVERY;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A flyweight over one journal document (see {@link JournalFormat}): it checks the document and reads its
 * fields in place.
 *
 * <p>Not thread-safe; allocates nothing. Valid while the bytes it wraps are.
 */
public final class JournalDocument
{
    /** The document is well formed and its checksum matches. */
    public static final int VALID = 0;
    /** Shorter than a document header, or than its type's header. */
    public static final int TOO_SHORT = 1;
    public static final int BAD_MAGIC = 2;
    /** The length field disagrees with the length Chronicle Queue stored. */
    public static final int BAD_LENGTH = 3;
    public static final int UNKNOWN_VERSION = 4;
    public static final int UNKNOWN_TYPE = 5;
    public static final int BAD_CHECKSUM = 6;
    /** The checksum matches but the records do not add up: lengths, counts or sequence numbers. */
    public static final int BAD_STRUCTURE = 7;

    /** Recovery document: the last good batch, before the documents it voids. */
    static final int RECOVERY_LAST_BATCH_OFFSET = 16;
    static final int RECOVERY_LAST_SEQUENCE_OFFSET = 24;
    static final int RECOVERY_FIRST_VOID_INDEX_OFFSET = 32;
    static final int RECOVERY_VOID_COUNT_OFFSET = 40;
    static final int RECOVERY_REASON_OFFSET = 44;
    public static final int RECOVERY_LENGTH = 48;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private long index;

    /**
     * @param buffer holds the document
     * @param offset where it starts
     * @param length its length as Chronicle Queue stored it
     * @param index  its Chronicle Queue index, for messages and seeks
     */
    public JournalDocument wrap(final DirectBuffer buffer, final int offset, final int length, final long index)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.index = index;
        return this;
    }

    /**
     * @return {@link #VALID} or the first problem found
     */
    public int validate()
    {
        if (length < DOCUMENT_HEADER_LENGTH)
        {
            return TOO_SHORT;
        }
        if (buffer.getInt(offset + MAGIC_OFFSET, ORDER) != MAGIC)
        {
            return BAD_MAGIC;
        }
        if (buffer.getInt(offset + LENGTH_OFFSET, ORDER) != length)
        {
            return BAD_LENGTH;
        }
        if (formatVersion() != FORMAT_VERSION)
        {
            return UNKNOWN_VERSION;
        }
        final int type = type();
        final int minimum = type == TYPE_BATCH ? BATCH_HEADER_LENGTH :
            type == TYPE_GENESIS ? GenesisDocument.PARAMETERS_OFFSET :
            type == TYPE_RECOVERY ? RECOVERY_LENGTH : -1;
        if (minimum < 0)
        {
            return UNKNOWN_TYPE;
        }
        if (length < minimum)
        {
            return TOO_SHORT;
        }
        if (JournalFormat.checksum(buffer, offset, length) != storedChecksum())
        {
            return BAD_CHECKSUM;
        }

        return type == TYPE_BATCH && !recordsAddUp() ? BAD_STRUCTURE : VALID;
    }

    /**
     * @return a short description of a {@link #validate()} result
     */
    public static String problem(final int validation)
    {
        switch (validation)
        {
            case VALID:
                return "ok";
            case TOO_SHORT:
                return "too short";
            case BAD_MAGIC:
                return "not a Rollbook document (bad magic)";
            case BAD_LENGTH:
                return "length field disagrees with the stored length";
            case UNKNOWN_VERSION:
                return "unknown format version";
            case UNKNOWN_TYPE:
                return "unknown document type";
            case BAD_CHECKSUM:
                return "checksum mismatch";
            case BAD_STRUCTURE:
                return "records do not add up";
            default:
                return "invalid (" + validation + ")";
        }
    }

    private boolean recordsAddUp()
    {
        final int end = offset + length;
        final long first = firstSequence();
        final long count = commandCount();
        if (count <= 0 || lastSequence() - first + 1 != count)
        {
            return false;
        }
        long expected = first;
        int position = offset + BATCH_HEADER_LENGTH;
        while (position < end)
        {
            if (end - position < RECORD_HEADER_LENGTH)
            {
                return false;
            }
            final int recordLength = buffer.getInt(position + RECORD_LENGTH_OFFSET, ORDER);
            final int commandLength = buffer.getInt(position + RECORD_COMMAND_LENGTH_OFFSET, ORDER);
            final int eventsLength = buffer.getInt(position + RECORD_EVENTS_LENGTH_OFFSET, ORDER);
            if (commandLength < 0 || eventsLength < 0 || buffer.getInt(position + RECORD_EVENT_COUNT_OFFSET, ORDER) < 0 ||
                (long)RECORD_HEADER_LENGTH + commandLength + eventsLength != recordLength ||
                recordLength > end - position ||
                buffer.getLong(position + RECORD_SEQUENCE_OFFSET, ORDER) != expected)
            {
                return false;
            }
            expected++;
            position += recordLength;
        }

        return expected - first == count;
    }

    /**
     * Writes a document header; the checksum stays 0 until the document is appended.
     */
    static void putHeader(final MutableDirectBuffer buffer, final int offset, final int type, final int length)
    {
        buffer.putInt(offset + MAGIC_OFFSET, MAGIC, ORDER);
        buffer.putInt(offset + CHECKSUM_OFFSET, 0, ORDER);
        buffer.putInt(offset + LENGTH_OFFSET, length, ORDER);
        buffer.putShort(offset + FORMAT_VERSION_OFFSET, (short)FORMAT_VERSION, ORDER);
        buffer.putShort(offset + TYPE_OFFSET, (short)type, ORDER);
    }

    /**
     * Encodes a recovery document: the documents from {@code firstVoidIndex} up to it are void.
     *
     * @return its length
     */
    public static int encodeRecovery(
        final MutableDirectBuffer buffer,
        final int offset,
        final long lastBatchNumber,
        final long lastSequence,
        final long firstVoidIndex,
        final int voidCount,
        final int reason)
    {
        putHeader(buffer, offset, TYPE_RECOVERY, RECOVERY_LENGTH);
        buffer.putLong(offset + RECOVERY_LAST_BATCH_OFFSET, lastBatchNumber, ORDER);
        buffer.putLong(offset + RECOVERY_LAST_SEQUENCE_OFFSET, lastSequence, ORDER);
        buffer.putLong(offset + RECOVERY_FIRST_VOID_INDEX_OFFSET, firstVoidIndex, ORDER);
        buffer.putInt(offset + RECOVERY_VOID_COUNT_OFFSET, voidCount, ORDER);
        buffer.putInt(offset + RECOVERY_REASON_OFFSET, reason, ORDER);
        return RECOVERY_LENGTH;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public int length()
    {
        return length;
    }

    /**
     * @return the document's Chronicle Queue index
     */
    public long index()
    {
        return index;
    }

    public int type()
    {
        return buffer.getShort(offset + TYPE_OFFSET, ORDER) & 0xFFFF;
    }

    public int formatVersion()
    {
        return buffer.getShort(offset + FORMAT_VERSION_OFFSET, ORDER) & 0xFFFF;
    }

    public int storedChecksum()
    {
        return buffer.getInt(offset + CHECKSUM_OFFSET, ORDER);
    }

    public boolean isBatch()
    {
        return type() == TYPE_BATCH;
    }

    public long batchNumber()
    {
        return buffer.getLong(offset + BATCH_NUMBER_OFFSET, ORDER);
    }

    public long firstSequence()
    {
        return buffer.getLong(offset + FIRST_SEQUENCE_OFFSET, ORDER);
    }

    public long lastSequence()
    {
        return buffer.getLong(offset + LAST_SEQUENCE_OFFSET, ORDER);
    }

    public int commandCount()
    {
        return buffer.getInt(offset + COMMAND_COUNT_OFFSET, ORDER);
    }

    /**
     * @return the timestamp of the batch's last command (valid batches only)
     */
    public long lastTimestampNs()
    {
        final int end = offset + length;
        int position = offset + BATCH_HEADER_LENGTH;
        int last = position;
        while (position < end)
        {
            last = position;
            position += buffer.getInt(position + RECORD_LENGTH_OFFSET, ORDER);
        }

        return buffer.getLong(last + RECORD_TIMESTAMP_OFFSET, ORDER);
    }

    /**
     * Positions {@code records} before the first record of this batch.
     */
    public RecordView records(final RecordView records)
    {
        records.reset(buffer, offset + BATCH_HEADER_LENGTH, offset + length);
        return records;
    }

    /**
     * @return the genesis this document holds (genesis documents only)
     */
    public GenesisDocument genesis()
    {
        return GenesisDocument.read(buffer, offset, length);
    }

    public long recoveryLastBatchNumber()
    {
        return buffer.getLong(offset + RECOVERY_LAST_BATCH_OFFSET, ORDER);
    }

    public long recoveryLastSequence()
    {
        return buffer.getLong(offset + RECOVERY_LAST_SEQUENCE_OFFSET, ORDER);
    }

    public long recoveryFirstVoidIndex()
    {
        return buffer.getLong(offset + RECOVERY_FIRST_VOID_INDEX_OFFSET, ORDER);
    }

    public int recoveryVoidCount()
    {
        return buffer.getInt(offset + RECOVERY_VOID_COUNT_OFFSET, ORDER);
    }

    /**
     * @return why the voided documents were discarded: a {@link #validate()} result, or {@link #VALID} when a
     *         well-formed batch did not follow its predecessor
     */
    public int recoveryReason()
    {
        return buffer.getInt(offset + RECOVERY_REASON_OFFSET, ORDER);
    }
}
