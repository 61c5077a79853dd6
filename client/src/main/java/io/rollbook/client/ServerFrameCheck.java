package io.rollbook.client;

import java.nio.ByteOrder;

import io.rollbook.protocol.orderentry.BusinessRejectDecoder;
import io.rollbook.protocol.orderentry.ChallengeDecoder;
import io.rollbook.protocol.orderentry.EstablishmentAckDecoder;
import io.rollbook.protocol.orderentry.EstablishmentRejectDecoder;
import io.rollbook.protocol.orderentry.ExecutionAmendedDecoder;
import io.rollbook.protocol.orderentry.ExecutionCanceledDecoder;
import io.rollbook.protocol.orderentry.ExecutionNewDecoder;
import io.rollbook.protocol.orderentry.ExecutionRejectedDecoder;
import io.rollbook.protocol.orderentry.ExecutionRestedDecoder;
import io.rollbook.protocol.orderentry.ExecutionTradeDecoder;
import io.rollbook.protocol.orderentry.MarketDataBookUpdateDecoder;
import io.rollbook.protocol.orderentry.MarketDataRejectDecoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotDecoder;
import io.rollbook.protocol.orderentry.MarketDataTradeDecoder;
import io.rollbook.protocol.orderentry.MassCancelReportDecoder;
import io.rollbook.protocol.orderentry.NegotiationRejectDecoder;
import io.rollbook.protocol.orderentry.NegotiationResponseDecoder;
import io.rollbook.protocol.orderentry.OperatorAckDecoder;
import io.rollbook.protocol.orderentry.RetransmissionDecoder;
import io.rollbook.protocol.orderentry.SequenceDecoder;
import io.rollbook.protocol.orderentry.TerminateDecoder;
import org.agrona.DirectBuffer;

/**
 * Whether a server message lies within its frame before any decoder reads it. The generated decoders read each
 * field at its fixed offset, a group's entries and a text by the counts and lengths the message states, with no
 * regard for where the frame ends: a block shorter than the message's, or a count or length that runs past the
 * frame, would have the client read the next frame's bytes (or beyond the receive buffer, an
 * {@link IndexOutOfBoundsException} out of {@code poll}) as if they were this message's fields.
 */
final class ServerFrameCheck
{
    private static final int GROUP_HEADER_LENGTH = MarketDataSnapshotDecoder.BidsDecoder.sbeHeaderSize();
    private static final int LEVEL_LENGTH = MarketDataSnapshotDecoder.BidsDecoder.sbeBlockLength();
    /** Terminate's and BusinessReject's text: a one-byte length, then the bytes. */
    private static final int TEXT_HEADER_LENGTH = TerminateDecoder.textHeaderLength();

    private ServerFrameCheck()
    {
    }

    /**
     * @param body        where the message's block begins, after its SBE header
     * @param frameEnd    where the frame ends
     * @param blockLength the block length the message's header states
     * @param version     the schema version the message's header states: an older server's block ends before the
     *                    fields added since
     * @return what is wrong with the message, or null if it lies within its frame (or is of a template the client
     *         does not decode, which the caller refuses by itself)
     */
    static String problem(
        final DirectBuffer buffer,
        final int body,
        final int frameEnd,
        final int templateId,
        final int blockLength,
        final int version)
    {
        final int expected = blockLength(templateId, version);
        if (expected < 0)
        {
            return null;
        }
        if (blockLength < expected)
        {
            return "the server sent template " + templateId + " with block length " + blockLength + ", less than its " +
                expected;
        }
        if (blockLength > frameEnd - body)
        {
            return "the server sent template " + templateId + " with block length " + blockLength + " in a frame " +
                "with " + (frameEnd - body) + " bytes after the header";
        }
        final int end = body + blockLength;
        switch (templateId)
        {
            case MarketDataSnapshotDecoder.TEMPLATE_ID:
                return levelsProblem(buffer, end, frameEnd);
            case TerminateDecoder.TEMPLATE_ID:
            case BusinessRejectDecoder.TEMPLATE_ID:
                return textProblem(buffer, end, frameEnd, templateId);
            default:
                return null;
        }
    }

    private static String levelsProblem(final DirectBuffer buffer, final int groupsAt, final int frameEnd)
    {
        int at = groupsAt;
        for (int side = 0; side < 2; side++)
        {
            if (frameEnd - at < GROUP_HEADER_LENGTH)
            {
                return "the server sent a snapshot whose " + (side == 0 ? "bids" : "asks") + " run past its frame";
            }
            final int levelLength = buffer.getShort(at, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final int count = buffer.getShort(at + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            if (levelLength < LEVEL_LENGTH)
            {
                return "the server sent a snapshot with " + (side == 0 ? "bid" : "ask") + " levels of " + levelLength +
                    " bytes, less than " + LEVEL_LENGTH;
            }
            at += GROUP_HEADER_LENGTH;
            if ((long)count * levelLength > frameEnd - at)
            {
                return "the server sent a snapshot of " + count + " " + (side == 0 ? "bid" : "ask") + " levels of " +
                    levelLength + " bytes with " + (frameEnd - at) + " bytes left in its frame";
            }
            at += count * levelLength;
        }
        return null;
    }

    private static String textProblem(final DirectBuffer buffer, final int textAt, final int frameEnd, final int templateId)
    {
        if (frameEnd - textAt < TEXT_HEADER_LENGTH)
        {
            return "the server sent template " + templateId + " without its text";
        }
        final int length = buffer.getByte(textAt) & 0xFF;
        if (length > frameEnd - textAt - TEXT_HEADER_LENGTH)
        {
            return "the server sent template " + templateId + " with a text of " + length + " bytes with " +
                (frameEnd - textAt - TEXT_HEADER_LENGTH) + " left in its frame";
        }
        return null;
    }

    /**
     * @return the block length of the server message the client decodes, at the message's version, or -1 for any
     *         other template
     */
    private static int blockLength(final int templateId, final int version)
    {
        switch (templateId)
        {
            case EstablishmentRejectDecoder.TEMPLATE_ID:
                return version < EstablishmentRejectDecoder.allowedMinMsSinceVersion() ?
                    EstablishmentRejectDecoder.allowedMinMsEncodingOffset() : EstablishmentRejectDecoder.BLOCK_LENGTH;
            case RetransmissionDecoder.TEMPLATE_ID:
                return version < RetransmissionDecoder.resumeAfterSequenceSinceVersion() ?
                    RetransmissionDecoder.resumeAfterSequenceEncodingOffset() : RetransmissionDecoder.BLOCK_LENGTH;
            case BusinessRejectDecoder.TEMPLATE_ID:
                return version < BusinessRejectDecoder.orderIdSinceVersion() ?
                    BusinessRejectDecoder.orderIdEncodingOffset() : BusinessRejectDecoder.BLOCK_LENGTH;
            case ChallengeDecoder.TEMPLATE_ID:
                return ChallengeDecoder.BLOCK_LENGTH;
            case NegotiationResponseDecoder.TEMPLATE_ID:
                return NegotiationResponseDecoder.BLOCK_LENGTH;
            case NegotiationRejectDecoder.TEMPLATE_ID:
                return NegotiationRejectDecoder.BLOCK_LENGTH;
            case EstablishmentAckDecoder.TEMPLATE_ID:
                return EstablishmentAckDecoder.BLOCK_LENGTH;
            case SequenceDecoder.TEMPLATE_ID:
                return SequenceDecoder.BLOCK_LENGTH;
            case TerminateDecoder.TEMPLATE_ID:
                return TerminateDecoder.BLOCK_LENGTH;
            case MarketDataSnapshotDecoder.TEMPLATE_ID:
                return MarketDataSnapshotDecoder.BLOCK_LENGTH;
            case MarketDataBookUpdateDecoder.TEMPLATE_ID:
                return MarketDataBookUpdateDecoder.BLOCK_LENGTH;
            case MarketDataTradeDecoder.TEMPLATE_ID:
                return MarketDataTradeDecoder.BLOCK_LENGTH;
            case MarketDataRejectDecoder.TEMPLATE_ID:
                return MarketDataRejectDecoder.BLOCK_LENGTH;
            case ExecutionNewDecoder.TEMPLATE_ID:
                return ExecutionNewDecoder.BLOCK_LENGTH;
            case ExecutionTradeDecoder.TEMPLATE_ID:
                return ExecutionTradeDecoder.BLOCK_LENGTH;
            case ExecutionRestedDecoder.TEMPLATE_ID:
                return ExecutionRestedDecoder.BLOCK_LENGTH;
            case ExecutionCanceledDecoder.TEMPLATE_ID:
                return ExecutionCanceledDecoder.BLOCK_LENGTH;
            case ExecutionAmendedDecoder.TEMPLATE_ID:
                return ExecutionAmendedDecoder.BLOCK_LENGTH;
            case ExecutionRejectedDecoder.TEMPLATE_ID:
                return ExecutionRejectedDecoder.BLOCK_LENGTH;
            case MassCancelReportDecoder.TEMPLATE_ID:
                return MassCancelReportDecoder.BLOCK_LENGTH;
            case OperatorAckDecoder.TEMPLATE_ID:
                return OperatorAckDecoder.BLOCK_LENGTH;
            default:
                return -1;
        }
    }
}
