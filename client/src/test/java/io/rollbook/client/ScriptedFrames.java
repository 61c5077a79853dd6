package io.rollbook.client;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;

import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.ChallengeEncoder;
import io.rollbook.protocol.orderentry.MessageHeaderDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What the scripted servers of the client's tests speak: a message encoded into {@link #buffer} after the framing
 * header with {@link #header} becomes a frame with {@link #frame}; frames are written and expected on blocking
 * streams. One per script thread.
 */
final class ScriptedFrames
{
    /** Where a frame read by {@link #expect} has its SBE header: after the encoding type. */
    static final int MESSAGE_AT = 2;

    /** Room for a snapshot of a few thousand levels. */
    final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 20]);
    final MessageHeaderEncoder header = new MessageHeaderEncoder();

    byte[] frame(final int messageLength)
    {
        final int length = SimpleOpenFraming.HEADER_LENGTH + messageLength;
        SimpleOpenFraming.writeHeader(buffer, 0, length);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    /**
     * @return the Challenge a server sends first, with a nonce of zeros
     */
    byte[] challenge()
    {
        return challenge(1);
    }

    /**
     * @return the Challenge a server sends first, with a nonce of zeros and its clock at {@code serverTimeNs}
     */
    byte[] challenge(final long serverTimeNs)
    {
        return frame(MessageHeaderEncoder.ENCODED_LENGTH + new ChallengeEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .putNonce(new byte[32], 0, 32).serverTimeNs(serverTimeNs).encodedLength());
    }

    /**
     * Reads the next frame, which must be of the template.
     *
     * @return the frame after its length: the message's SBE header at {@link #MESSAGE_AT}
     */
    static UnsafeBuffer expect(final DataInputStream in, final int templateId) throws IOException
    {
        final int length = in.readInt();
        final byte[] frame = new byte[length - 4];
        in.readFully(frame);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final MessageHeaderDecoder decoder = new MessageHeaderDecoder().wrap(buffer, MESSAGE_AT);
        if (decoder.templateId() != templateId)
        {
            throw new IllegalStateException("expected template " + templateId + ", got " + decoder.templateId());
        }
        return buffer;
    }

    static void write(final OutputStream out, final byte[] frame) throws IOException
    {
        out.write(frame);
        out.flush();
    }
}
