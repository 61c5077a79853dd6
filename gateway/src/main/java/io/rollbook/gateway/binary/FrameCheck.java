package io.rollbook.gateway.binary;

import io.rollbook.protocol.framing.OrderEntryTemplates;
import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.MessageHeaderDecoder;
import io.rollbook.protocol.orderentry.TerminationCode;
import org.agrona.DirectBuffer;

/**
 * Checks one inbound frame before any decoder touches it: the framing header, the SBE message header, and that
 * the frame is exactly as long as the template says at the version it claims. Anything else is refused with the
 * termination code and a text that says what was wrong. No frame that passes can make a decoder read outside it.
 *
 * <p>Not thread-safe (it keeps the last frame's header fields); one per event loop. Allocates only for the text of
 * a refusal.
 */
final class FrameCheck
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private int templateId;
    private int version;
    private int blockLength;
    private TerminationCode failure;
    private String failureText;

    /**
     * Checks the announced length alone, as soon as the framing header is in.
     *
     * @return null if the length is possible, or why not
     */
    static String checkLength(final int frameLength)
    {
        if (frameLength < SimpleOpenFraming.MIN_FRAME_LENGTH || frameLength > SimpleOpenFraming.MAX_INBOUND_FRAME_LENGTH)
        {
            return "frame length " + Integer.toUnsignedString(frameLength) + " is not within " +
                SimpleOpenFraming.MIN_FRAME_LENGTH + ".." + SimpleOpenFraming.MAX_INBOUND_FRAME_LENGTH;
        }
        return null;
    }

    /**
     * @param offset      where the framing header starts
     * @param frameLength the whole frame's length, already checked with {@link #checkLength}
     * @return true if the frame may be decoded; otherwise {@link #failure()} and {@link #failureText()} say why
     */
    boolean check(final DirectBuffer buffer, final int offset, final int frameLength)
    {
        final int encoding = SimpleOpenFraming.encodingType(buffer, offset);
        if (encoding != SimpleOpenFraming.ENCODING_TYPE_SBE_LITTLE_ENDIAN)
        {
            return fail(TerminationCode.MALFORMED_FRAME, "encoding type 0x" + Integer.toHexString(encoding) +
                " is not 0x5be0 (SBE 1.0 little-endian)");
        }
        header.wrap(buffer, offset + SimpleOpenFraming.HEADER_LENGTH);
        final int schemaId = header.schemaId();
        templateId = header.templateId();
        version = header.version();
        blockLength = header.blockLength();
        if (schemaId != OrderEntryTemplates.SCHEMA_ID)
        {
            return fail(TerminationCode.UNKNOWN_MESSAGE, "schema id " + schemaId + " is not " +
                OrderEntryTemplates.SCHEMA_ID);
        }
        if (version < OrderEntryTemplates.OLDEST_VERSION || version > OrderEntryTemplates.SCHEMA_VERSION)
        {
            return fail(TerminationCode.UNKNOWN_MESSAGE, "schema version " + version + " is not within " +
                OrderEntryTemplates.OLDEST_VERSION + ".." + OrderEntryTemplates.SCHEMA_VERSION);
        }
        if (!OrderEntryTemplates.isKnown(templateId, version, OrderEntryTemplates.FROM_CLIENT))
        {
            final String name = OrderEntryTemplates.name(templateId);
            return fail(TerminationCode.UNKNOWN_MESSAGE, name == null ? "template " + templateId + " is not a message" :
                name + " (template " + templateId + ") is not a message a client sends at version " + version);
        }
        final int expectedBlock = OrderEntryTemplates.blockLength(templateId, version);
        if (blockLength != expectedBlock)
        {
            return fail(TerminationCode.MALFORMED_FRAME, OrderEntryTemplates.name(templateId) + " block length " +
                blockLength + ", expected " + expectedBlock);
        }
        int expectedFrame = SimpleOpenFraming.MIN_FRAME_LENGTH + blockLength;
        if (OrderEntryTemplates.hasVariablePart(templateId))
        {
            if (frameLength < expectedFrame + 1)
            {
                return fail(TerminationCode.MALFORMED_FRAME, OrderEntryTemplates.name(templateId) +
                    " ends before its text length");
            }
            expectedFrame += 1 + (buffer.getByte(offset + expectedFrame) & 0xFF);
        }
        if (frameLength != expectedFrame)
        {
            return fail(TerminationCode.MALFORMED_FRAME, "frame of " + frameLength + " bytes for " +
                OrderEntryTemplates.name(templateId) + ", expected " + expectedFrame);
        }
        failure = null;
        failureText = null;
        return true;
    }

    private boolean fail(final TerminationCode code, final String text)
    {
        failure = code;
        failureText = text;
        return false;
    }

    int templateId()
    {
        return templateId;
    }

    int version()
    {
        return version;
    }

    int blockLength()
    {
        return blockLength;
    }

    TerminationCode failure()
    {
        return failure;
    }

    String failureText()
    {
        return failureText;
    }
}
