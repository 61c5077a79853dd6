package io.rollbook.protocol.framing;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The Simple Open Framing Header that precedes every order-entry message on the wire: a 4-byte big-endian message
 * length that counts these 6 bytes too, then a 2-byte big-endian encoding type, {@code 0x5BE0} for SBE 1.0
 * little-endian. The SBE message header (8 bytes) and the message follow.
 */
public final class SimpleOpenFraming
{
    public static final int HEADER_LENGTH = 6;
    public static final int ENCODING_TYPE_SBE_LITTLE_ENDIAN = 0x5BE0;
    public static final int SBE_HEADER_LENGTH = 8;
    /** Framing header plus SBE message header: the shortest frame there can be. */
    public static final int MIN_FRAME_LENGTH = HEADER_LENGTH + SBE_HEADER_LENGTH;
    /** The longest frame a client may send; the server's own frames (snapshots) may be longer. */
    public static final int MAX_INBOUND_FRAME_LENGTH = 1024;

    private SimpleOpenFraming()
    {
    }

    /**
     * Writes the framing header of a frame of {@code frameLength} bytes (header included) at {@code offset}.
     */
    public static void writeHeader(final MutableDirectBuffer buffer, final int offset, final int frameLength)
    {
        buffer.putInt(offset, frameLength, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 4, (short)ENCODING_TYPE_SBE_LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @return the frame length the header at {@code offset} announces (unsigned values above 2^31 come out negative)
     */
    public static int frameLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @return the encoding type of the header at {@code offset}, 0 to 65535
     */
    public static int encodingType(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }
}
