package io.rollbook.gateway.http;

import io.rollbook.protocol.engine.AccountConfiguredDecoder;
import io.rollbook.protocol.engine.BalanceChangedDecoder;
import io.rollbook.protocol.engine.CommandRejectedDecoder;
import io.rollbook.protocol.engine.FeeTierDefinedDecoder;
import io.rollbook.protocol.engine.FundingAppliedDecoder;
import io.rollbook.protocol.engine.LiquidationStartedDecoder;
import io.rollbook.protocol.engine.MarketDefinedDecoder;
import io.rollbook.protocol.engine.MassCanceledDecoder;
import io.rollbook.protocol.engine.OracleUpdatedDecoder;
import io.rollbook.protocol.engine.OrderAcceptedDecoder;
import io.rollbook.protocol.engine.OrderAmendedDecoder;
import io.rollbook.protocol.engine.OrderCanceledDecoder;
import io.rollbook.protocol.engine.OrderRestingDecoder;
import io.rollbook.protocol.engine.PositionChangedDecoder;
import io.rollbook.protocol.engine.PositionTransferredDecoder;
import io.rollbook.protocol.engine.TradeDecoder;
import io.rollbook.protocol.json.JsonEvents;
import org.agrona.DirectBuffer;

/**
 * Which accounts an engine event is about, and on which private WebSocket channel it travels: order events on
 * {@code orders}, trades on {@code fills} (for the maker and the taker), position changes on {@code positions},
 * balance changes on {@code balances}. A liquidation's start and its position transfers travel on {@code positions}
 * too (a transfer for both accounts): without them a trader would see its position vanish with no word of why.
 * The operator's changes of an account's settings (its fee tier, its default self-trade prevention) travel on
 * {@code account}, to that account: both change what its orders pay and how they match, so it must not learn of
 * them from its fills. Market-wide events ({@link #PUBLIC}) are anyone's; an event that is neither an account's nor
 * the market's ({@link #NONE}: a template this gateway does not know) is the operator's only. A fee tier's definition
 * is public and also travels on {@code account}, to every account that follows it ({@link #everyAccount}): a change of
 * its tier's rates changes what an account pays as much as a change of its tier does.
 *
 * <p>A trade and a position transfer name two accounts and are {@link #sided}: each account is shown its own side
 * only ({@code JsonEvents.appendFill}, {@code JsonEvents.appendTransfer}), never the whole event, which names the
 * other account (a deleveraged counterparty, a liquidated trader, a maker's order and fee).
 *
 * <p>Not thread-safe: one per thread (flyweight decoders).
 */
final class EventRouting
{
    static final int NONE = -1;
    static final int PUBLIC = -2;
    static final int ORDERS = 0;
    static final int FILLS = 1;
    static final int POSITIONS = 2;
    static final int BALANCES = 3;
    static final int ACCOUNT = 4;
    static final String[] CHANNELS = {"orders", "fills", "positions", "balances", "account"};

    private final OrderAcceptedDecoder accepted = new OrderAcceptedDecoder();
    private final CommandRejectedDecoder rejected = new CommandRejectedDecoder();
    private final TradeDecoder trade = new TradeDecoder();
    private final OrderCanceledDecoder canceled = new OrderCanceledDecoder();
    private final OrderRestingDecoder resting = new OrderRestingDecoder();
    private final OrderAmendedDecoder amended = new OrderAmendedDecoder();
    private final MassCanceledDecoder massCanceled = new MassCanceledDecoder();
    private final BalanceChangedDecoder balanceChanged = new BalanceChangedDecoder();
    private final AccountConfiguredDecoder accountConfigured = new AccountConfiguredDecoder();
    private final PositionChangedDecoder positionChanged = new PositionChangedDecoder();
    private final LiquidationStartedDecoder liquidationStarted = new LiquidationStartedDecoder();
    private final PositionTransferredDecoder positionTransferred = new PositionTransferredDecoder();

    int first;
    int second;
    boolean sided;
    /** The event is public and travels on the {@link #ACCOUNT} channel of every account as well. */
    boolean everyAccount;
    private int templateId;
    private int channel;

    /**
     * @return after a sided event was routed: the account of its second side (a trade's taker, the account that took
     *         a transferred position over), which is {@link #first} when the event is between an account and itself
     */
    int taker()
    {
        return second == 0 ? first : second;
    }

    /**
     * Appends the {@link #sided} event last routed as one of its accounts sees it: a trade as that side's fill, a
     * position transfer as that side's transfer.
     *
     * @param firstSide true for {@link #first}'s side (the maker, the liquidated account), false for
     *                  {@link #taker()}'s
     */
    void appendSide(
        final JsonEvents events, final StringBuilder out, final long sequence, final DirectBuffer buffer,
        final int offset, final boolean firstSide)
    {
        if (templateId == TradeDecoder.TEMPLATE_ID)
        {
            events.appendFill(out, sequence, buffer, offset, firstSide);
        }
        else
        {
            events.appendTransfer(out, sequence, buffer, offset, firstSide);
        }
    }

    /**
     * @return the private channel of the event; {@link #PUBLIC} for a market-wide event, {@link #NONE} for one that
     *         is the operator's only; {@link #first} and {@link #second} receive its accounts (0 for none) and
     *         {@link #sided} whether each is to see its own side of it only
     */
    int route(final int templateId, final DirectBuffer buffer, final int body, final int blockLength, final int version)
    {
        first = 0;
        second = 0;
        sided = false;
        everyAccount = templateId == FeeTierDefinedDecoder.TEMPLATE_ID;
        this.templateId = templateId;
        channel = classify(templateId, buffer, body, blockLength, version);
        return channel;
    }

    /**
     * Appends the event last routed as an account sees it, in the JSON event format: a market-wide event whole, an
     * event of the account's own whole, its own side of a {@link #sided} event (both sides for an event between the
     * account and itself), and nothing of another account's.
     *
     * @param first true if nothing precedes it in {@code out}'s JSON array, false to write a comma first
     * @return whether {@code out}'s array is still empty
     */
    boolean appendSeenBy(
        final int account, final JsonEvents events, final StringBuilder out, final long sequence,
        final DirectBuffer buffer, final int offset, final boolean first)
    {
        boolean empty = first;
        if (sided)
        {
            if (this.first == account)
            {
                empty = separate(out, empty);
                appendSide(events, out, sequence, buffer, offset, true);
            }
            if (taker() == account)
            {
                empty = separate(out, empty);
                appendSide(events, out, sequence, buffer, offset, false);
            }
        }
        else if (channel == PUBLIC || (channel != NONE && (this.first == account || second == account)))
        {
            empty = separate(out, empty);
            events.append(out, sequence, buffer, offset);
        }
        return empty;
    }

    /**
     * Writes the comma between two elements of a JSON array.
     *
     * @return false: the array is no longer empty
     */
    static boolean separate(final StringBuilder out, final boolean first)
    {
        if (!first)
        {
            out.append(',');
        }
        return false;
    }

    private int classify(
        final int templateId, final DirectBuffer buffer, final int body, final int blockLength, final int version)
    {
        switch (templateId)
        {
            case OracleUpdatedDecoder.TEMPLATE_ID:
            case FundingAppliedDecoder.TEMPLATE_ID:
            case MarketDefinedDecoder.TEMPLATE_ID:
            case FeeTierDefinedDecoder.TEMPLATE_ID:
                return PUBLIC;
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
                sided = true;
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
                sided = true;
                return POSITIONS;
            case BalanceChangedDecoder.TEMPLATE_ID:
                first = balanceChanged.wrap(buffer, body, blockLength, version).account();
                return BALANCES;
            case AccountConfiguredDecoder.TEMPLATE_ID:
                first = accountConfigured.wrap(buffer, body, blockLength, version).account();
                return ACCOUNT;
            default:
                return NONE;
        }
    }
}
