package io.rollbook.gateway.http;

import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.Decimals;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.RejectMessages;
import io.rollbook.protocol.engine.CommandRejectedDecoder;
import io.rollbook.protocol.engine.MassCanceledDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.OrderAcceptedDecoder;
import io.rollbook.protocol.engine.OrderCanceledDecoder;
import io.rollbook.protocol.engine.OrderRestingDecoder;
import io.rollbook.protocol.engine.RejectReason;
import io.rollbook.protocol.engine.TradeDecoder;
import org.agrona.DirectBuffer;

/**
 * The answer to a request whose command was published: rendered from the command's released events (so it leaves
 * only after the durability gate), or 504 if no release comes in time. A place answers with the order's id, its
 * status after the command (open, partiallyFilled, filled, canceled) and how much filled; every answer lists the
 * command's events that its requester may see, in the JSON event format; a rejection is 422 with the matcher's reason as its code (404 for
 * an unknown order).
 *
 * <p>Owned by its event loop.
 */
final class CommandAnswer implements HttpLoop.Pending
{
    static final int PLACE = 0;
    static final int CANCEL = 1;
    static final int AMEND = 2;
    static final int MASS_CANCEL = 3;
    static final int OTHER = 4;
    /** The requester of an operator command: it is answered with every event of its command. */
    static final int OPERATOR = 0;

    private final RestApi api;
    private final HttpConnection connection;
    private final HttpConnection.Slot slot;
    private final int kind;
    private final int account;
    private final long deadlineNs;
    private final BatchAnswer batch;
    private final int index;
    long clientOrderId;

    CommandAnswer(
        final RestApi api,
        final HttpConnection connection,
        final HttpConnection.Slot slot,
        final int kind,
        final int account,
        final long deadlineNs,
        final BatchAnswer batch,
        final int index)
    {
        this.api = api;
        this.connection = connection;
        this.slot = slot;
        this.kind = kind;
        this.account = account;
        this.deadlineNs = deadlineNs;
        this.batch = batch;
        this.index = index;
    }

    @Override
    public long deadlineNs()
    {
        return deadlineNs;
    }

    @Override
    public void onTimeout()
    {
        finish(504, Json.error("TIMEOUT", "no answer within the request timeout; the command was published and " +
            "may still be executed: look before sending it again (GET /v1/orders/{clientId})"));
    }

    @Override
    public void onReleased(final long sequence, final DirectBuffer buffer, final int eventsOffset, final int eventsLength)
    {
        final Scan scan = api.scan();
        scan.read(buffer, eventsOffset, eventsLength, kind == PLACE ? clientOrderId : ClientOrderIds.NULL_VALUE);
        final StringBuilder out = new StringBuilder(256 + eventsLength * 2);
        final int status;
        if (scan.rejected != null)
        {
            status = scan.rejected == RejectReason.UNKNOWN_ORDER ? 404 : 422;
            out.append("{\"code\":\"").append(scan.rejected.name()).append("\",\"message\":");
            Json.string(out, RejectMessages.describe(scan.rejected, scan.rejectDetail,
                api.markets().byId(scan.rejectMarket), scan.rejectCommand));
            out.append(",\"seq\":").append(sequence);
        }
        else
        {
            status = 200;
            out.append("{\"seq\":").append(sequence);
            if (kind == PLACE && scan.orderId != 0)
            {
                place(out, scan);
            }
            else if (kind == MASS_CANCEL)
            {
                out.append(",\"canceled\":").append(scan.massCanceled);
            }
        }
        out.append(",\"events\":[");
        appendEvents(out, sequence, buffer, eventsOffset, eventsLength);
        out.append("]}");
        finish(status, out.toString());
    }

    /**
     * The command's events as its requester may see them: an operator all of them; an account its own and the
     * market-wide ones, with a trade as its own side's fill and a position transfer as its own side's transfer. The
     * whole trade event names the other side's account, order, client order id and fee, a whole transfer the other
     * account (a deleveraged counterparty, the liquidated trader), and a taker's command also changes the makers'
     * positions and the fee account's balance: none of that is the requester's business.
     */
    private void appendEvents(
        final StringBuilder out, final long sequence, final DirectBuffer buffer, final int eventsOffset,
        final int eventsLength)
    {
        final MessageHeaderDecoder header = api.scan().header;
        final EventRouting routing = api.routing();
        final int end = eventsOffset + eventsLength;
        int offset = eventsOffset;
        boolean first = true;
        while (offset < end)
        {
            header.wrap(buffer, offset);
            final int length = MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
            if (account == OPERATOR)
            {
                first = EventRouting.separate(out, first);
                api.events().append(out, sequence, buffer, offset);
            }
            else
            {
                routing.route(header.templateId(), buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH,
                    header.blockLength(), header.version());
                first = routing.appendSeenBy(account, api.events(), out, sequence, buffer, offset, first);
            }
            offset += length;
        }
    }

    private void place(final StringBuilder out, final Scan scan)
    {
        final MarketSpec market = api.markets().byId(scan.market);
        out.append(",\"orderId\":").append(scan.orderId).append(",\"clientId\":");
        ClientOrderIds.appendJson(out, clientOrderId);
        if (market != null)
        {
            out.append(",\"market\":");
            Json.string(out, market.symbol());
        }
        final String status;
        if (scan.resting)
        {
            status = scan.filledLots > 0 ? "partiallyFilled" : "open";
        }
        else if (scan.filledLots == scan.sizeLots)
        {
            status = "filled";
        }
        else
        {
            status = "canceled";
        }
        out.append(",\"status\":\"").append(status).append('"');
        if (market != null)
        {
            out.append(",\"filled\":\"");
            Decimals.appendUnits(out, scan.filledLots, market.lotSizeMantissa(), market.lotSizeExponent());
            out.append("\",\"remaining\":\"");
            Decimals.appendUnits(out, scan.resting ? scan.sizeLots - scan.filledLots : 0, market.lotSizeMantissa(),
                market.lotSizeExponent());
            out.append('"');
        }
    }

    private void finish(final int status, final String json)
    {
        if (batch != null)
        {
            batch.complete(index, status, json);
        }
        else
        {
            connection.respondJson(slot, status, json);
        }
    }

    /**
     * What a command's events say about the request's outcome; one per loop, reused.
     */
    static final class Scan
    {
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final CommandRejectedDecoder rejectedDecoder = new CommandRejectedDecoder();
        private final OrderAcceptedDecoder accepted = new OrderAcceptedDecoder();
        private final TradeDecoder trade = new TradeDecoder();
        private final OrderRestingDecoder restingDecoder = new OrderRestingDecoder();
        private final OrderCanceledDecoder canceled = new OrderCanceledDecoder();
        private final MassCanceledDecoder massCanceledDecoder = new MassCanceledDecoder();

        RejectReason rejected;
        long rejectDetail;
        int rejectMarket;
        int rejectCommand;
        long orderId;
        int market;
        long sizeLots;
        long filledLots;
        boolean resting;
        int massCanceled;

        void read(final DirectBuffer buffer, final int eventsOffset, final int eventsLength, final long clientOrderId)
        {
            rejected = null;
            orderId = 0;
            filledLots = 0;
            sizeLots = 0;
            resting = false;
            massCanceled = 0;
            int offset = eventsOffset;
            final int end = eventsOffset + eventsLength;
            while (offset < end)
            {
                header.wrap(buffer, offset);
                final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
                final int blockLength = header.blockLength();
                final int version = header.version();
                switch (header.templateId())
                {
                    case CommandRejectedDecoder.TEMPLATE_ID:
                        rejectedDecoder.wrap(buffer, body, blockLength, version);
                        rejected = rejectedDecoder.reason();
                        rejectDetail = rejectedDecoder.detail();
                        rejectMarket = rejectedDecoder.market();
                        rejectCommand = rejectedDecoder.commandTemplateId();
                        break;
                    case OrderAcceptedDecoder.TEMPLATE_ID:
                        accepted.wrap(buffer, body, blockLength, version);
                        if (orderId == 0 && accepted.clientOrderId() == clientOrderId)
                        {
                            orderId = accepted.orderId();
                            market = accepted.market();
                            sizeLots = accepted.sizeLots();
                        }
                        break;
                    case TradeDecoder.TEMPLATE_ID:
                        trade.wrap(buffer, body, blockLength, version);
                        if (orderId != 0 && trade.takerOrderId() == orderId)
                        {
                            filledLots += trade.sizeLots();
                        }
                        break;
                    case OrderRestingDecoder.TEMPLATE_ID:
                        restingDecoder.wrap(buffer, body, blockLength, version);
                        if (orderId != 0 && restingDecoder.orderId() == orderId)
                        {
                            resting = true;
                        }
                        break;
                    case OrderCanceledDecoder.TEMPLATE_ID:
                        canceled.wrap(buffer, body, blockLength, version);
                        if (orderId != 0 && canceled.orderId() == orderId)
                        {
                            resting = false;
                        }
                        break;
                    case MassCanceledDecoder.TEMPLATE_ID:
                        massCanceled = massCanceledDecoder.wrap(buffer, body, blockLength, version).count();
                        break;
                    default:
                        break;
                }
                offset = body + blockLength;
            }
        }
    }
}
