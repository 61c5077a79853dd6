package io.rollbook.gateway.binary;

import io.rollbook.protocol.engine.AmendOrderDecoder;
import io.rollbook.protocol.engine.CancelOrderDecoder;
import io.rollbook.protocol.engine.CommandRejectedDecoder;
import io.rollbook.protocol.engine.MassCancelDecoder;
import io.rollbook.protocol.engine.MassCanceledDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.OrderAcceptedDecoder;
import io.rollbook.protocol.engine.OrderAmendedDecoder;
import io.rollbook.protocol.engine.OrderCanceledDecoder;
import io.rollbook.protocol.engine.OrderRestingDecoder;
import io.rollbook.protocol.engine.PlaceOrderDecoder;
import io.rollbook.protocol.engine.TradeDecoder;
import io.rollbook.protocol.orderentry.ExecutionAmendedEncoder;
import io.rollbook.protocol.orderentry.ExecutionCanceledEncoder;
import io.rollbook.protocol.orderentry.ExecutionNewEncoder;
import io.rollbook.protocol.orderentry.ExecutionRejectedEncoder;
import io.rollbook.protocol.orderentry.ExecutionRestedEncoder;
import io.rollbook.protocol.orderentry.ExecutionTradeEncoder;
import io.rollbook.protocol.orderentry.MassCancelReportEncoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Turns one command's engine events into the execution reports of the accounts involved (docs/ORDER-ENTRY.md,
 * "Execution reports"): {@code accepted} into ExecutionNew, each {@code trade} into an ExecutionTrade for the maker
 * and one for the taker, {@code resting}, {@code canceled}, {@code amended}, {@code massCanceled}, and the rejection
 * of an order command into ExecutionRejected. Each report carries its journal position: the command's sequence and
 * the event's index among its events. The live fan-out and retransmission from the journal share this code, so
 * a retransmitted report is the very report that was sent live (with this connection's seqNo).
 *
 * <p>Reports are encoded with seqNo 0 and refSeqNo 0; the event loop that writes one to a session fills them in.
 *
 * <p>Not thread-safe: one per thread. Allocates nothing.
 */
final class ExecutionReports
{
    /**
     * Receives each report: an order-entry message, SBE header included.
     */
    interface Sink
    {
        void onReport(int account, int eventIndex, DirectBuffer buffer, int offset, int length);
    }

    /**
     * Says whose reports are wanted, so nobody's are encoded for nothing.
     */
    interface AccountFilter
    {
        boolean wants(int account);
    }

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderAcceptedDecoder accepted = new OrderAcceptedDecoder();
    private final CommandRejectedDecoder rejected = new CommandRejectedDecoder();
    private final TradeDecoder trade = new TradeDecoder();
    private final OrderCanceledDecoder canceled = new OrderCanceledDecoder();
    private final OrderRestingDecoder resting = new OrderRestingDecoder();
    private final OrderAmendedDecoder amended = new OrderAmendedDecoder();
    private final MassCanceledDecoder massCanceled = new MassCanceledDecoder();

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ExecutionNewEncoder executionNew = new ExecutionNewEncoder();
    private final ExecutionTradeEncoder executionTrade = new ExecutionTradeEncoder();
    private final ExecutionRestedEncoder executionRested = new ExecutionRestedEncoder();
    private final ExecutionCanceledEncoder executionCanceled = new ExecutionCanceledEncoder();
    private final ExecutionAmendedEncoder executionAmended = new ExecutionAmendedEncoder();
    private final ExecutionRejectedEncoder executionRejected = new ExecutionRejectedEncoder();
    private final MassCancelReportEncoder massCancelReport = new MassCancelReportEncoder();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);

    /**
     * @param fromEventIndex the first event index to report (events before it are skipped)
     */
    void map(
        final long sequence,
        final long timestampNs,
        final DirectBuffer buffer,
        final int eventsOffset,
        final int eventsLength,
        final int fromEventIndex,
        final AccountFilter filter,
        final Sink sink)
    {
        int offset = eventsOffset;
        final int end = eventsOffset + eventsLength;
        int eventIndex = 0;
        while (offset < end)
        {
            header.wrap(buffer, offset);
            final int blockLength = header.blockLength();
            final int version = header.version();
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            if (eventIndex >= fromEventIndex)
            {
                switch (header.templateId())
                {
                    case OrderAcceptedDecoder.TEMPLATE_ID:
                        accepted.wrap(buffer, body, blockLength, version);
                        if (filter.wants(accepted.account()))
                        {
                            sink.onReport(accepted.account(), eventIndex, out, 0,
                                executionNew(sequence, timestampNs, eventIndex));
                        }
                        break;
                    case TradeDecoder.TEMPLATE_ID:
                        trade.wrap(buffer, body, blockLength, version);
                        if (filter.wants(trade.makerAccount()))
                        {
                            sink.onReport(trade.makerAccount(), eventIndex, out, 0,
                                executionTrade(sequence, timestampNs, eventIndex, true));
                        }
                        if (filter.wants(trade.takerAccount()))
                        {
                            sink.onReport(trade.takerAccount(), eventIndex, out, 0,
                                executionTrade(sequence, timestampNs, eventIndex, false));
                        }
                        break;
                    case OrderRestingDecoder.TEMPLATE_ID:
                        resting.wrap(buffer, body, blockLength, version);
                        if (filter.wants(resting.account()))
                        {
                            sink.onReport(resting.account(), eventIndex, out, 0,
                                executionRested(sequence, timestampNs, eventIndex));
                        }
                        break;
                    case OrderCanceledDecoder.TEMPLATE_ID:
                        canceled.wrap(buffer, body, blockLength, version);
                        if (filter.wants(canceled.account()))
                        {
                            sink.onReport(canceled.account(), eventIndex, out, 0,
                                executionCanceled(sequence, timestampNs, eventIndex));
                        }
                        break;
                    case OrderAmendedDecoder.TEMPLATE_ID:
                        amended.wrap(buffer, body, blockLength, version);
                        if (filter.wants(amended.account()))
                        {
                            sink.onReport(amended.account(), eventIndex, out, 0,
                                executionAmended(sequence, timestampNs, eventIndex));
                        }
                        break;
                    case MassCanceledDecoder.TEMPLATE_ID:
                        massCanceled.wrap(buffer, body, blockLength, version);
                        if (filter.wants(massCanceled.account()))
                        {
                            sink.onReport(massCanceled.account(), eventIndex, out, 0,
                                massCancelReport(sequence, timestampNs, eventIndex));
                        }
                        break;
                    case CommandRejectedDecoder.TEMPLATE_ID:
                        rejected.wrap(buffer, body, blockLength, version);
                        if (isOrderCommand(rejected.commandTemplateId()) && rejected.account() > 0 &&
                            filter.wants(rejected.account()))
                        {
                            sink.onReport(rejected.account(), eventIndex, out, 0,
                                executionRejected(sequence, timestampNs, eventIndex));
                        }
                        break;
                    default:
                        break;
                }
            }
            offset = body + blockLength;
            eventIndex++;
        }
    }

    static boolean isOrderCommand(final int templateId)
    {
        return templateId == PlaceOrderDecoder.TEMPLATE_ID || templateId == CancelOrderDecoder.TEMPLATE_ID ||
            templateId == AmendOrderDecoder.TEMPLATE_ID || templateId == MassCancelDecoder.TEMPLATE_ID;
    }

    private int executionNew(final long sequence, final long timestampNs, final int eventIndex)
    {
        final ExecutionNewEncoder e = executionNew.wrapAndApplyHeader(out, 0, headerEncoder)
            .seqNo(0)
            .sequence(sequence)
            .transactTimeNs(timestampNs)
            .orderId(accepted.orderId())
            .clientOrderId(accepted.clientOrderId())
            .priceTicks(accepted.priceTicks())
            .sizeLots(accepted.sizeLots())
            .eventIndex(eventIndex)
            .market(accepted.market());
        final int body = MessageHeaderEncoder.ENCODED_LENGTH;
        raw(body + ExecutionNewEncoder.sideEncodingOffset(), accepted.sideRaw());
        raw(body + ExecutionNewEncoder.orderTypeEncodingOffset(), accepted.orderTypeRaw());
        raw(body + ExecutionNewEncoder.timeInForceEncodingOffset(), accepted.timeInForceRaw());
        out.putByte(body + ExecutionNewEncoder.flagsEncodingOffset(),
            accepted.buffer().getByte(accepted.offset() + OrderAcceptedDecoder.flagsEncodingOffset()));
        raw(body + ExecutionNewEncoder.marginModeEncodingOffset(), accepted.marginModeRaw());
        raw(body + ExecutionNewEncoder.selfTradePreventionEncodingOffset(), accepted.selfTradePreventionRaw());
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int executionTrade(final long sequence, final long timestampNs, final int eventIndex, final boolean maker)
    {
        final int makerSide = trade.makerSideRaw();
        final ExecutionTradeEncoder e = executionTrade.wrapAndApplyHeader(out, 0, headerEncoder)
            .seqNo(0)
            .sequence(sequence)
            .transactTimeNs(timestampNs)
            .orderId(maker ? trade.makerOrderId() : trade.takerOrderId())
            .clientOrderId(maker ? trade.makerClientOrderId() : trade.takerClientOrderId())
            .tradeId(trade.tradeId())
            .priceTicks(trade.priceTicks())
            .sizeLots(trade.sizeLots())
            .leavesLots(maker ? trade.makerRemainingLots() : trade.takerRemainingLots())
            .feeMicros(maker ? trade.makerFeeMicros() : trade.takerFeeMicros())
            .eventIndex(eventIndex)
            .market(trade.market());
        final int body = MessageHeaderEncoder.ENCODED_LENGTH;
        raw(body + ExecutionTradeEncoder.sideEncodingOffset(), maker ? makerSide : 1 - makerSide);
        raw(body + ExecutionTradeEncoder.liquidityEncodingOffset(), maker ? 0 : 1);
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int executionRested(final long sequence, final long timestampNs, final int eventIndex)
    {
        final ExecutionRestedEncoder e = executionRested.wrapAndApplyHeader(out, 0, headerEncoder)
            .seqNo(0)
            .sequence(sequence)
            .transactTimeNs(timestampNs)
            .orderId(resting.orderId())
            .clientOrderId(resting.clientOrderId())
            .priceTicks(resting.priceTicks())
            .leavesLots(resting.remainingLots())
            .eventIndex(eventIndex)
            .market(resting.market());
        raw(MessageHeaderEncoder.ENCODED_LENGTH + ExecutionRestedEncoder.sideEncodingOffset(), resting.sideRaw());
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int executionCanceled(final long sequence, final long timestampNs, final int eventIndex)
    {
        final ExecutionCanceledEncoder e = executionCanceled.wrapAndApplyHeader(out, 0, headerEncoder)
            .seqNo(0)
            .sequence(sequence)
            .transactTimeNs(timestampNs)
            .orderId(canceled.orderId())
            .clientOrderId(canceled.clientOrderId())
            .priceTicks(canceled.priceTicks())
            .canceledLots(canceled.canceledLots())
            .eventIndex(eventIndex)
            .market(canceled.market());
        final int body = MessageHeaderEncoder.ENCODED_LENGTH;
        raw(body + ExecutionCanceledEncoder.sideEncodingOffset(), canceled.sideRaw());
        raw(body + ExecutionCanceledEncoder.reasonEncodingOffset(), canceled.reasonRaw());
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int executionAmended(final long sequence, final long timestampNs, final int eventIndex)
    {
        final ExecutionAmendedEncoder e = executionAmended.wrapAndApplyHeader(out, 0, headerEncoder)
            .seqNo(0)
            .sequence(sequence)
            .transactTimeNs(timestampNs)
            .orderId(amended.orderId())
            .clientOrderId(amended.clientOrderId())
            .priceTicks(amended.priceTicks())
            .sizeLots(amended.sizeLots())
            .leavesLots(amended.remainingLots())
            .eventIndex(eventIndex)
            .market(amended.market());
        final int body = MessageHeaderEncoder.ENCODED_LENGTH;
        raw(body + ExecutionAmendedEncoder.sideEncodingOffset(), amended.sideRaw());
        raw(body + ExecutionAmendedEncoder.priorityKeptEncodingOffset(), amended.priorityKeptRaw());
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int massCancelReport(final long sequence, final long timestampNs, final int eventIndex)
    {
        final MassCancelReportEncoder e = massCancelReport.wrapAndApplyHeader(out, 0, headerEncoder)
            .seqNo(0)
            .sequence(sequence)
            .transactTimeNs(timestampNs)
            .count(massCanceled.count())
            .eventIndex(eventIndex)
            .market(massCanceled.market());
        raw(MessageHeaderEncoder.ENCODED_LENGTH + MassCancelReportEncoder.sideEncodingOffset(), massCanceled.sideRaw());
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int executionRejected(final long sequence, final long timestampNs, final int eventIndex)
    {
        final ExecutionRejectedEncoder e = executionRejected.wrapAndApplyHeader(out, 0, headerEncoder)
            .seqNo(0)
            .sequence(sequence)
            .transactTimeNs(timestampNs)
            .orderId(rejected.orderId())
            .clientOrderId(rejected.clientOrderId())
            .detail(rejected.detail())
            .refSeqNo(0)
            .eventIndex(eventIndex)
            .market(rejected.market());
        raw(MessageHeaderEncoder.ENCODED_LENGTH + ExecutionRejectedEncoder.reasonEncodingOffset(), rejected.reasonRaw());
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    /** Enum values are the same numbers in both schemas; copying them raw never throws on a value one side lacks. */
    private void raw(final int offset, final int value)
    {
        out.putByte(offset, (byte)value);
    }
}
