package io.rollbook.gateway.http;

import io.rollbook.protocol.engine.BalanceChangedDecoder;
import io.rollbook.protocol.engine.CommandRejectedDecoder;
import io.rollbook.protocol.engine.LiquidationStartedDecoder;
import io.rollbook.protocol.engine.MassCanceledDecoder;
import io.rollbook.protocol.engine.OrderAcceptedDecoder;
import io.rollbook.protocol.engine.OrderAmendedDecoder;
import io.rollbook.protocol.engine.OrderCanceledDecoder;
import io.rollbook.protocol.engine.OrderRestingDecoder;
import io.rollbook.protocol.engine.PositionChangedDecoder;
import io.rollbook.protocol.engine.PositionTransferredDecoder;
import io.rollbook.protocol.engine.TradeDecoder;
import org.agrona.DirectBuffer;

/**
 * Which accounts an engine event is about, and on which private WebSocket channel it travels: order events on
 * {@code orders}, trades on {@code fills} (for the maker and the taker), position changes on {@code positions},
 * balance changes on {@code balances}. A liquidation's start and its position transfers travel on {@code positions}
 * too (a transfer for both accounts): without them a trader would see its position vanish with no word of why.
 *
 * <p>Not thread-safe: one per thread (flyweight decoders).
 */
final class EventRouting
{
    static final int NONE = -1;
    static final int ORDERS = 0;
    static final int FILLS = 1;
    static final int POSITIONS = 2;
    static final int BALANCES = 3;
    static final String[] CHANNELS = {"orders", "fills", "positions", "balances"};

    private final OrderAcceptedDecoder accepted = new OrderAcceptedDecoder();
    private final CommandRejectedDecoder rejected = new CommandRejectedDecoder();
    private final TradeDecoder trade = new TradeDecoder();
    private final OrderCanceledDecoder canceled = new OrderCanceledDecoder();
    private final OrderRestingDecoder resting = new OrderRestingDecoder();
    private final OrderAmendedDecoder amended = new OrderAmendedDecoder();
    private final MassCanceledDecoder massCanceled = new MassCanceledDecoder();
    private final BalanceChangedDecoder balanceChanged = new BalanceChangedDecoder();
    private final PositionChangedDecoder positionChanged = new PositionChangedDecoder();
    private final LiquidationStartedDecoder liquidationStarted = new LiquidationStartedDecoder();
    private final PositionTransferredDecoder positionTransferred = new PositionTransferredDecoder();

    int first;
    int second;

    /**
     * @return after a trade was routed: its taker's account, which is {@link #first} (the maker's) when the account
     *         traded with itself
     */
    int taker()
    {
        return second == 0 ? first : second;
    }

    /**
     * @return the private channel of the event, {@link #NONE} if it has none; {@link #first} and {@link #second}
     *         receive its accounts (0 for none)
     */
    int route(final int templateId, final DirectBuffer buffer, final int body, final int blockLength, final int version)
    {
        first = 0;
        second = 0;
        switch (templateId)
        {
            case OrderAcceptedDecoder.TEMPLATE_ID:
                first = accepted.wrap(buffer, body, blockLength, version).account();
                return ORDERS;
            case CommandRejectedDecoder.TEMPLATE_ID:
                first = rejected.wrap(buffer, body, blockLength, version).account();
                return ORDERS;
            case OrderCanceledDecoder.TEMPLATE_ID:
                first = canceled.wrap(buffer, body, blockLength, version).account();
                return ORDERS;
            case OrderRestingDecoder.TEMPLATE_ID:
                first = resting.wrap(buffer, body, blockLength, version).account();
                return ORDERS;
            case OrderAmendedDecoder.TEMPLATE_ID:
                first = amended.wrap(buffer, body, blockLength, version).account();
                return ORDERS;
            case MassCanceledDecoder.TEMPLATE_ID:
                first = massCanceled.wrap(buffer, body, blockLength, version).account();
                return ORDERS;
            case TradeDecoder.TEMPLATE_ID:
                trade.wrap(buffer, body, blockLength, version);
                first = trade.makerAccount();
                second = trade.takerAccount() == first ? 0 : trade.takerAccount();
                return FILLS;
            case PositionChangedDecoder.TEMPLATE_ID:
                first = positionChanged.wrap(buffer, body, blockLength, version).account();
                return POSITIONS;
            case LiquidationStartedDecoder.TEMPLATE_ID:
                first = liquidationStarted.wrap(buffer, body, blockLength, version).account();
                return POSITIONS;
            case PositionTransferredDecoder.TEMPLATE_ID:
                positionTransferred.wrap(buffer, body, blockLength, version);
                first = positionTransferred.fromAccount();
                second = positionTransferred.toAccount() == first ? 0 : positionTransferred.toAccount();
                return POSITIONS;
            case BalanceChangedDecoder.TEMPLATE_ID:
                first = balanceChanged.wrap(buffer, body, blockLength, version).account();
                return BALANCES;
            default:
                return NONE;
        }
    }
}
