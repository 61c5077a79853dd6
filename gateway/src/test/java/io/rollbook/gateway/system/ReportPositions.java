package io.rollbook.gateway.system;

import io.rollbook.client.JournalPosition;
import io.rollbook.protocol.orderentry.ExecutionAmendedDecoder;
import io.rollbook.protocol.orderentry.ExecutionCanceledDecoder;
import io.rollbook.protocol.orderentry.ExecutionNewDecoder;
import io.rollbook.protocol.orderentry.ExecutionRejectedDecoder;
import io.rollbook.protocol.orderentry.ExecutionRestedDecoder;
import io.rollbook.protocol.orderentry.ExecutionTradeDecoder;
import io.rollbook.protocol.orderentry.MassCancelReportDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import org.agrona.DirectBuffer;

/**
 * The journal position an execution report read off the wire carries.
 */
final class ReportPositions
{
    private ReportPositions()
    {
    }

    /**
     * @param buffer the report, its SBE header at 0
     * @throws IllegalStateException if it is not an execution report
     */
    static JournalPosition of(final DirectBuffer buffer, final MessageHeaderDecoder header)
    {
        final int body = MessageHeaderEncoder.ENCODED_LENGTH;
        final int block = header.blockLength();
        final int version = header.version();
        switch (header.templateId())
        {
            case ExecutionNewDecoder.TEMPLATE_ID:
            {
                final ExecutionNewDecoder r = new ExecutionNewDecoder().wrap(buffer, body, block, version);
                return new JournalPosition(r.sequence(), r.eventIndex());
            }
            case ExecutionTradeDecoder.TEMPLATE_ID:
            {
                final ExecutionTradeDecoder r = new ExecutionTradeDecoder().wrap(buffer, body, block, version);
                return new JournalPosition(r.sequence(), r.eventIndex());
            }
            case ExecutionRestedDecoder.TEMPLATE_ID:
            {
                final ExecutionRestedDecoder r = new ExecutionRestedDecoder().wrap(buffer, body, block, version);
                return new JournalPosition(r.sequence(), r.eventIndex());
            }
            case ExecutionCanceledDecoder.TEMPLATE_ID:
            {
                final ExecutionCanceledDecoder r = new ExecutionCanceledDecoder().wrap(buffer, body, block, version);
                return new JournalPosition(r.sequence(), r.eventIndex());
            }
            case ExecutionAmendedDecoder.TEMPLATE_ID:
            {
                final ExecutionAmendedDecoder r = new ExecutionAmendedDecoder().wrap(buffer, body, block, version);
                return new JournalPosition(r.sequence(), r.eventIndex());
            }
            case ExecutionRejectedDecoder.TEMPLATE_ID:
            {
                final ExecutionRejectedDecoder r = new ExecutionRejectedDecoder().wrap(buffer, body, block, version);
                return new JournalPosition(r.sequence(), r.eventIndex());
            }
            case MassCancelReportDecoder.TEMPLATE_ID:
            {
                final MassCancelReportDecoder r = new MassCancelReportDecoder().wrap(buffer, body, block, version);
                return new JournalPosition(r.sequence(), r.eventIndex());
            }
            default:
                throw new IllegalStateException("template " + header.templateId() + " is not an execution report");
        }
    }
}
