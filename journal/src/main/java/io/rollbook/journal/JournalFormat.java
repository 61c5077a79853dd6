package io.rollbook.journal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import org.agrona.DirectBuffer;

/**
 * The byte layout of the journal: every Chronicle Queue document Rollbook writes starts with the same 16-byte
 * document header, then a body that depends on its type. All integers are little-endian. docs/JOURNAL.md shows
 * the layout byte by byte; this class is its single definition in code.
 *
 * <pre>
 * document header (16 bytes)
 *   0  int32  magic            0x4B424C52, "RLBK"
 *   4  int32  checksum         CRC32C of bytes [8, length)
 *   8  int32  length           of the whole document, header included
 *  12  uint16 formatVersion    1
 *  14  uint16 type             1 genesis, 2 batch, 3 recovery
 *
 * batch (type 2): header of 48 bytes, then records one after another
 *  16  int64  batchNumber      from 1, consecutive
 *  24  int64  firstSequence
 *  32  int64  lastSequence
 *  40  int32  commandCount     lastSequence - firstSequence + 1
 *  44  int32  reserved         0
 *
 * record (40-byte header, then the command, then its events)
 *   0  int32  recordLength     header + command + events
 *   4  int32  commandLength
 *   8  int32  eventsLength
 *  12  int32  eventCount
 *  16  int64  sequence
 *  24  int64  timestampNs
 *  32  int64  source
 * </pre>
 *
 * <p>Stateless; the checksum helper keeps a {@link CRC32C} per calling thread.
 */
public final class JournalFormat
{
    public static final int MAGIC = 0x4B424C52;
    public static final int FORMAT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int CHECKSUM_OFFSET = 4;
    public static final int LENGTH_OFFSET = 8;
    public static final int FORMAT_VERSION_OFFSET = 12;
    public static final int TYPE_OFFSET = 14;
    public static final int DOCUMENT_HEADER_LENGTH = 16;
    /** Where the checksummed bytes start: everything after the magic and the checksum itself. */
    public static final int CHECKSUM_START = LENGTH_OFFSET;

    public static final int TYPE_GENESIS = 1;
    public static final int TYPE_BATCH = 2;
    public static final int TYPE_RECOVERY = 3;

    public static final int BATCH_NUMBER_OFFSET = 16;
    public static final int FIRST_SEQUENCE_OFFSET = 24;
    public static final int LAST_SEQUENCE_OFFSET = 32;
    public static final int COMMAND_COUNT_OFFSET = 40;
    public static final int BATCH_RESERVED_OFFSET = 44;
    public static final int BATCH_HEADER_LENGTH = 48;

    public static final int RECORD_LENGTH_OFFSET = 0;
    public static final int RECORD_COMMAND_LENGTH_OFFSET = 4;
    public static final int RECORD_EVENTS_LENGTH_OFFSET = 8;
    public static final int RECORD_EVENT_COUNT_OFFSET = 12;
    public static final int RECORD_SEQUENCE_OFFSET = 16;
    public static final int RECORD_TIMESTAMP_OFFSET = 24;
    public static final int RECORD_SOURCE_OFFSET = 32;
    public static final int RECORD_HEADER_LENGTH = 40;

    /**
     * The largest document Rollbook writes or accepts: Chronicle Queue's header keeps a document's length in 30
     * bits.
     */
    public static final int MAX_DOCUMENT_LENGTH = (1 << 30) - 1;

    private static final ThreadLocal<Checksummer> CHECKSUMMER = ThreadLocal.withInitial(Checksummer::new);

    private JournalFormat()
    {
    }

    /**
     * @return the CRC32C of {@code [offset + 8, offset + length)}: what the document's checksum field must hold
     */
    public static int checksum(final DirectBuffer buffer, final int offset, final int length)
    {
        return CHECKSUMMER.get().compute(buffer, offset + CHECKSUM_START, length - CHECKSUM_START);
    }

    /**
     * @return the type name used in dumps and errors
     */
    public static String typeName(final int type)
    {
        switch (type)
        {
            case TYPE_GENESIS:
                return "genesis";
            case TYPE_BATCH:
                return "batch";
            case TYPE_RECOVERY:
                return "recovery";
            default:
                return "unknown(" + type + ")";
        }
    }

    /**
     * The JDK's CRC32C (an intrinsic) over heap arrays and direct byte buffers without allocating: a view of each
     * of the last few direct buffers seen (a writer cycles through a small pool of batch buffers) is kept and
     * repositioned.
     */
    private static final class Checksummer
    {
        private static final int VIEWS = 32;

        private final CRC32C crc = new CRC32C();
        private final ByteBuffer[] sources = new ByteBuffer[VIEWS];
        private final ByteBuffer[] views = new ByteBuffer[VIEWS];
        private int nextSlot;
        private byte[] chunk;

        int compute(final DirectBuffer buffer, final int from, final int count)
        {
            crc.reset();
            final byte[] array = buffer.byteArray();
            final ByteBuffer byteBuffer = buffer.byteBuffer();
            if (array != null)
            {
                crc.update(array, buffer.wrapAdjustment() + from, count);
            }
            else if (byteBuffer != null && byteBuffer.isDirect())
            {
                final ByteBuffer view = view(byteBuffer);
                final int start = buffer.wrapAdjustment() + from;
                view.limit(start + count).position(start);
                crc.update(view);
            }
            else
            {
                if (chunk == null)
                {
                    chunk = new byte[64 * 1024];
                }
                for (int position = 0; position < count; position += chunk.length)
                {
                    final int size = Math.min(chunk.length, count - position);
                    buffer.getBytes(from + position, chunk, 0, size);
                    crc.update(chunk, 0, size);
                }
            }

            return (int)crc.getValue();
        }

        private ByteBuffer view(final ByteBuffer source)
        {
            for (int i = 0; i < VIEWS; i++)
            {
                if (sources[i] == source)
                {
                    return views[i];
                }
            }
            final int slot = nextSlot;
            nextSlot = (slot + 1) % VIEWS;
            sources[slot] = source;
            views[slot] = source.duplicate();
            return views[slot];
        }
    }
}
