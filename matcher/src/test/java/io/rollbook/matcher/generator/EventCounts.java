package io.rollbook.matcher.generator;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

import io.rollbook.protocol.engine.BooleanType;
import io.rollbook.protocol.engine.CancelReason;
import io.rollbook.protocol.engine.CommandRejectedDecoder;
import io.rollbook.protocol.engine.MassCanceledDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.OrderAcceptedDecoder;
import io.rollbook.protocol.engine.OrderAmendedDecoder;
import io.rollbook.protocol.engine.OrderCanceledDecoder;
import io.rollbook.protocol.engine.RejectReason;
import io.rollbook.protocol.engine.TradeDecoder;
import org.agrona.DirectBuffer;

/**
 * Tallies what a stream of events showed: how many of each event type, each rejection reason, each cancel reason,
 * amends that kept and lost priority, and the self-trade prevention modes orders were accepted with. Tests use it
 * to show that a generated stream really reaches every rule, so that agreement between two matchers on it means
 * something.
 */
public final class EventCounts
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final CommandRejectedDecoder rejected = new CommandRejectedDecoder();
    private final OrderCanceledDecoder canceled = new OrderCanceledDecoder();
    private final OrderAmendedDecoder amended = new OrderAmendedDecoder();
    private final OrderAcceptedDecoder accepted = new OrderAcceptedDecoder();
    private final MassCanceledDecoder massCanceled = new MassCanceledDecoder();
    private final TradeDecoder trade = new TradeDecoder();

    private final Map<Integer, Long> templates = new TreeMap<>();
    private final Map<RejectReason, Long> rejections = new EnumMap<>(RejectReason.class);
    private final Map<CancelReason, Long> cancels = new EnumMap<>(CancelReason.class);
    private final Map<String, Long> other = new TreeMap<>();

    public void onEvents(final DirectBuffer buffer, final int offset, final int length)
    {
        int position = offset;
        final int end = offset + length;
        while (position < end)
        {
            header.wrap(buffer, position);
            final int body = position + MessageHeaderDecoder.ENCODED_LENGTH;
            final int blockLength = header.blockLength();
            final int version = header.version();
            final int templateId = header.templateId();
            templates.merge(templateId, 1L, Long::sum);
            switch (templateId)
            {
                case CommandRejectedDecoder.TEMPLATE_ID:
                    rejections.merge(rejected.wrap(buffer, body, blockLength, version).reason(), 1L, Long::sum);
                    break;
                case OrderCanceledDecoder.TEMPLATE_ID:
                    canceled.wrap(buffer, body, blockLength, version);
                    cancels.merge(canceled.reason(), 1L, Long::sum);
                    if (canceled.reason() == CancelReason.SELF_TRADE_PREVENTION)
                    {
                        count(canceled.wasResting() == BooleanType.TRUE ? "stp maker canceled" : "stp taker canceled");
                    }
                    break;
                case OrderAmendedDecoder.TEMPLATE_ID:
                    amended.wrap(buffer, body, blockLength, version);
                    count(amended.priorityKept() == BooleanType.TRUE ? "amend kept priority" : "amend lost priority");
                    break;
                case OrderAcceptedDecoder.TEMPLATE_ID:
                    accepted.wrap(buffer, body, blockLength, version);
                    count("accepted " + accepted.orderType() + " " + accepted.timeInForce() +
                        (accepted.flags().postOnly() ? " postOnly" : ""));
                    count("accepted stp " + accepted.selfTradePrevention());
                    break;
                case MassCanceledDecoder.TEMPLATE_ID:
                    massCanceled.wrap(buffer, body, blockLength, version);
                    count(massCanceled.count() > 0 ? "mass cancel hit orders" : "mass cancel found none");
                    break;
                case TradeDecoder.TEMPLATE_ID:
                    trade.wrap(buffer, body, blockLength, version);
                    if (trade.makerAccount() == trade.takerAccount())
                    {
                        count("self trade");
                    }
                    break;
                default:
                    break;
            }
            position = body + blockLength;
        }
    }

    /**
     * @return how many events of this template were seen
     */
    public long template(final int templateId)
    {
        return templates.getOrDefault(templateId, 0L);
    }

    public long rejections(final RejectReason reason)
    {
        return rejections.getOrDefault(reason, 0L);
    }

    public long cancels(final CancelReason reason)
    {
        return cancels.getOrDefault(reason, 0L);
    }

    /**
     * @return the count of a named observation, e.g. "amend kept priority", "stp maker canceled",
     * "accepted MARKET FOK", "accepted stp EXPIRE_BOTH"
     */
    public long other(final String name)
    {
        return other.getOrDefault(name, 0L);
    }

    private void count(final String name)
    {
        other.merge(name, 1L, Long::sum);
    }

    @Override
    public String toString()
    {
        return "templates " + templates + "\nrejections " + rejections + "\ncancels " + cancels + "\nother " + other;
    }
}
