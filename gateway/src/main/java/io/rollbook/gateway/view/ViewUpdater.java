package io.rollbook.gateway.view;

import java.util.Arrays;

import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.engine.AccountConfiguredDecoder;
import io.rollbook.protocol.engine.BalanceChangedDecoder;
import io.rollbook.protocol.engine.BooleanType;
import io.rollbook.protocol.engine.CommandRejectedDecoder;
import io.rollbook.protocol.engine.FeeTierDefinedDecoder;
import io.rollbook.protocol.engine.FundingAppliedDecoder;
import io.rollbook.protocol.engine.LiquidationStartedDecoder;
import io.rollbook.protocol.engine.MarketDefinedDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.OracleUpdatedDecoder;
import io.rollbook.protocol.engine.OrderAcceptedDecoder;
import io.rollbook.protocol.engine.OrderAmendedDecoder;
import io.rollbook.protocol.engine.OrderCanceledDecoder;
import io.rollbook.protocol.engine.OrderRestingDecoder;
import io.rollbook.protocol.engine.PlaceOrderDecoder;
import io.rollbook.protocol.engine.PositionChangedDecoder;
import io.rollbook.protocol.engine.PositionTransferredDecoder;
import io.rollbook.protocol.engine.TradeDecoder;
import io.rollbook.sequencer.ReleaseListener;
import org.agrona.DirectBuffer;

/**
 * Applies every released command's events to the gateway's views: defined markets, the public market data with its
 * channel sequence numbers, market statistics, the orders by client order id, and the accounts (with the fee tiers
 * their margin figures count), and the liquidation counts of {@link RiskCounters}. Market data changes are passed on to the {@link MarketDataListener}s as they are
 * applied.
 *
 * <p>The same code builds the views at start from the journal ({@link ViewBootstrap}) and keeps them current
 * afterwards as a {@link ReleaseListener} registered before the protocol layers' listeners, so a protocol sees a
 * command's view changes before it hands out the command's reports.
 *
 * <p>Owned by one thread at a time: the bootstrapping thread, then the release thread. Allocates nothing per
 * command (a market definition allocates its symbol).
 */
public final class ViewUpdater implements ReleaseListener
{
    private final GatewayViews views;
    private final Object commandLock;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final MarketDefinedDecoder marketDefined = new MarketDefinedDecoder();
    private final OrderAcceptedDecoder accepted = new OrderAcceptedDecoder();
    private final CommandRejectedDecoder rejected = new CommandRejectedDecoder();
    private final TradeDecoder trade = new TradeDecoder();
    private final OrderCanceledDecoder canceled = new OrderCanceledDecoder();
    private final OrderRestingDecoder resting = new OrderRestingDecoder();
    private final OrderAmendedDecoder amended = new OrderAmendedDecoder();
    private final OracleUpdatedDecoder oracleUpdated = new OracleUpdatedDecoder();
    private final FundingAppliedDecoder fundingApplied = new FundingAppliedDecoder();
    private final BalanceChangedDecoder balanceChanged = new BalanceChangedDecoder();
    private final PositionChangedDecoder positionChanged = new PositionChangedDecoder();
    private final FeeTierDefinedDecoder feeTierDefined = new FeeTierDefinedDecoder();
    private final AccountConfiguredDecoder accountConfigured = new AccountConfiguredDecoder();
    private final LiquidationStartedDecoder liquidationStarted = new LiquidationStartedDecoder();
    private final PositionTransferredDecoder positionTransferred = new PositionTransferredDecoder();
    private MarketDataListener[] listeners = new MarketDataListener[0];
    private volatile long lastSequence;

    ViewUpdater(final GatewayViews views, final long lastSequence)
    {
        this.views = views;
        this.commandLock = views.accounts().lock();
        this.lastSequence = lastSequence;
        views.marketStats().applied(lastSequence);
    }

    /**
     * Adds a listener for market data changes; before the release thread starts.
     */
    public void addListener(final MarketDataListener listener)
    {
        listeners = Arrays.copyOf(listeners, listeners.length + 1);
        listeners[listeners.length - 1] = listener;
    }

    /**
     * @return the sequence of the last command applied
     */
    public long lastSequence()
    {
        return lastSequence;
    }

    @Override
    public void onReleased(
        final long sequence,
        final long timestampNs,
        final long source,
        final DirectBuffer buffer,
        final int commandOffset,
        final int commandLength,
        final int eventsOffset,
        final int eventsLength)
    {
        // One command's events at once for the readers of accounts and prices: between two of them an account can
        // be half-way through a trade (position moved, fee not yet charged).
        synchronized (commandLock)
        {
            apply(sequence, timestampNs, buffer, eventsOffset, eventsLength);
            views.marketStats().applied(sequence);
        }
        lastSequence = sequence;
    }

    private void apply(
        final long sequence, final long timestampNs, final DirectBuffer buffer, final int eventsOffset,
        final int eventsLength)
    {
        int offset = eventsOffset;
        final int end = eventsOffset + eventsLength;
        while (offset < end)
        {
            header.wrap(buffer, offset);
            final int blockLength = header.blockLength();
            final int version = header.version();
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            switch (header.templateId())
            {
                case OrderAcceptedDecoder.TEMPLATE_ID:
                    onAccepted(accepted.wrap(buffer, body, blockLength, version), sequence);
                    break;
                case CommandRejectedDecoder.TEMPLATE_ID:
                    onRejected(rejected.wrap(buffer, body, blockLength, version));
                    break;
                case TradeDecoder.TEMPLATE_ID:
                    onTrade(trade.wrap(buffer, body, blockLength, version), sequence, timestampNs);
                    break;
                case OrderCanceledDecoder.TEMPLATE_ID:
                    onCanceled(canceled.wrap(buffer, body, blockLength, version), sequence);
                    break;
                case OrderRestingDecoder.TEMPLATE_ID:
                    resting.wrap(buffer, body, blockLength, version);
                    level(resting.market(), resting.sideRaw(), resting.priceTicks(), resting.remainingLots(), sequence);
                    views.accounts().onResting(resting.account(), resting.orderId(), resting.priceTicks(),
                        resting.remainingLots());
                    break;
                case OrderAmendedDecoder.TEMPLATE_ID:
                    onAmended(amended.wrap(buffer, body, blockLength, version), sequence);
                    break;
                case MarketDefinedDecoder.TEMPLATE_ID:
                    marketDefined.wrap(buffer, body, blockLength, version);
                    views.markets().define(marketDefined.market(), marketDefined.symbol().trim());
                    views.marketData().define(marketDefined.market());
                    views.marketStats().define(marketDefined.market());
                    break;
                case OracleUpdatedDecoder.TEMPLATE_ID:
                    oracleUpdated.wrap(buffer, body, blockLength, version);
                    views.marketStats().onOracle(oracleUpdated.market(), oracleUpdated.priceTicks());
                    break;
                case FundingAppliedDecoder.TEMPLATE_ID:
                    fundingApplied.wrap(buffer, body, blockLength, version);
                    views.marketStats().onFunding(fundingApplied.market(), fundingApplied.ratePpb(),
                        fundingApplied.fundingIndex(), fundingApplied.oraclePriceTicks(), sequence);
                    break;
                case BalanceChangedDecoder.TEMPLATE_ID:
                    balanceChanged.wrap(buffer, body, blockLength, version);
                    views.accounts().onBalance(balanceChanged.account(), balanceChanged.collateralMicros());
                    views.risk().onBalanceChanged(balanceChanged.cause(), balanceChanged.deltaMicros());
                    break;
                case LiquidationStartedDecoder.TEMPLATE_ID:
                    liquidationStarted.wrap(buffer, body, blockLength, version);
                    views.risk().onLiquidationStarted(
                        liquidationStarted.market() != LiquidationStartedDecoder.marketNullValue());
                    break;
                case PositionTransferredDecoder.TEMPLATE_ID:
                    positionTransferred.wrap(buffer, body, blockLength, version);
                    views.risk().onPositionTransferred(positionTransferred.autoDeleveraged() == BooleanType.TRUE);
                    break;
                case PositionChangedDecoder.TEMPLATE_ID:
                    onPosition(positionChanged.wrap(buffer, body, blockLength, version));
                    break;
                case FeeTierDefinedDecoder.TEMPLATE_ID:
                    feeTierDefined.wrap(buffer, body, blockLength, version);
                    views.accounts().onFeeTierDefined(feeTierDefined.tier(), feeTierDefined.makerFeePpm(),
                        feeTierDefined.takerFeePpm());
                    views.feeTiers().onFeeTierDefined(feeTierDefined.tier(), feeTierDefined.makerFeePpm(),
                        feeTierDefined.takerFeePpm());
                    break;
                case AccountConfiguredDecoder.TEMPLATE_ID:
                    accountConfigured.wrap(buffer, body, blockLength, version);
                    views.accounts().onAccountConfigured(accountConfigured.account(), accountConfigured.feeTier(),
                        accountConfigured.selfTradePreventionRaw());
                    break;
                default:
                    break;
            }
            offset = body + blockLength;
        }
    }

    private void onAccepted(final OrderAcceptedDecoder event, final long sequence)
    {
        if (event.clientOrderId() != ClientOrderIds.NULL_VALUE)
        {
            views.orders().onAccepted(event.account(), event.clientOrderId(), event.orderId(), event.market(),
                sequence);
        }
        views.accounts().onAccepted(event.account(), event.orderId(), event.clientOrderId(), event.market(),
            event.sideRaw(), event.priceTicks(), event.sizeLots(), event.orderTypeRaw(), event.timeInForceRaw(),
            event.marginModeRaw(), event.flags().postOnly(), event.flags().reduceOnly(), sequence);
    }

    private void onPosition(final PositionChangedDecoder event)
    {
        views.accounts().onPosition(event.account(), event.market(), event.sizeLots(), event.entryValueMicros(),
            event.fundingIndex(), event.isolatedMarginMicros(), event.realizedPnlMicros(), event.collateralMicros(),
            event.marginModeRaw());
    }

    private void onRejected(final CommandRejectedDecoder event)
    {
        if (event.commandTemplateId() == PlaceOrderDecoder.TEMPLATE_ID &&
            event.clientOrderId() != CommandRejectedDecoder.clientOrderIdNullValue())
        {
            views.orders().onPlaceRejected(event.account(), event.clientOrderId());
        }
    }

    private void onTrade(final TradeDecoder event, final long sequence, final long timestampNs)
    {
        final int market = event.market();
        final short makerSide = event.makerSideRaw();
        level(market, makerSide, event.priceTicks(), -event.sizeLots(), sequence);
        final long tradeSeq = views.marketData().nextTradeSeq(market, sequence);
        views.marketStats().onTrade(market, event.tradeId(), event.priceTicks(), event.sizeLots(), 1 - makerSide,
            tradeSeq, sequence, timestampNs);
        final AccountsView accounts = views.accounts();
        // The orders' sizes before a fill that ends one takes it out of the account view.
        final long makerSizeLots = accounts.orderSizeLots(event.makerAccount(), event.makerOrderId());
        final long takerSizeLots = accounts.orderSizeLots(event.takerAccount(), event.takerOrderId());
        accounts.onFill(event.makerAccount(), event.makerOrderId(), event.makerClientOrderId(),
            event.makerRemainingLots(), market, makerSide, event.priceTicks(), event.sizeLots(), event.makerFeeMicros(),
            true, event.tradeId(), sequence, timestampNs);
        accounts.onFill(event.takerAccount(), event.takerOrderId(), event.takerClientOrderId(),
            event.takerRemainingLots(), market, 1 - makerSide, event.priceTicks(), event.sizeLots(),
            event.takerFeeMicros(), false, event.tradeId(), sequence, timestampNs);
        for (final MarketDataListener listener : listeners)
        {
            listener.onTrade(market, event.tradeId(), event.priceTicks(), event.sizeLots(), 1 - makerSide, tradeSeq,
                sequence, timestampNs);
        }
        if (event.makerRemainingLots() == 0 && event.makerClientOrderId() != ClientOrderIds.NULL_VALUE)
        {
            views.orders().onEnded(event.makerAccount(), event.makerClientOrderId(), event.makerOrderId(), true,
                Math.max(0, makerSizeLots), sequence);
        }
        if (event.takerRemainingLots() == 0 && event.takerClientOrderId() != ClientOrderIds.NULL_VALUE)
        {
            views.orders().onEnded(event.takerAccount(), event.takerClientOrderId(), event.takerOrderId(), true,
                Math.max(0, takerSizeLots), sequence);
        }
    }

    private void onCanceled(final OrderCanceledDecoder event, final long sequence)
    {
        if (event.wasResting() == BooleanType.TRUE)
        {
            level(event.market(), event.sideRaw(), event.priceTicks(), -event.canceledLots(), sequence);
        }
        if (event.clientOrderId() != ClientOrderIds.NULL_VALUE)
        {
            final long sizeLots = views.accounts().orderSizeLots(event.account(), event.orderId());
            views.orders().onEnded(event.account(), event.clientOrderId(), event.orderId(), false,
                Math.max(0, sizeLots - event.canceledLots()), sequence);
        }
        views.accounts().onEnded(event.account(), event.orderId());
    }

    private void onAmended(final OrderAmendedDecoder event, final long sequence)
    {
        views.accounts().onAmended(event.account(), event.orderId(), event.priceTicks(), event.sizeLots(),
            event.remainingLots(), event.priorityKept() == BooleanType.TRUE);
        if (event.priorityKept() == BooleanType.TRUE)
        {
            level(event.market(), event.sideRaw(), event.oldPriceTicks(),
                event.remainingLots() - event.oldRemainingLots(), sequence);
        }
        else
        {
            level(event.market(), event.sideRaw(), event.oldPriceTicks(), -event.oldRemainingLots(), sequence);
        }
    }

    private void level(final int market, final int side, final long priceTicks, final long deltaLots, final long sequence)
    {
        if (deltaLots == 0)
        {
            return;
        }
        final MarketDataView marketData = views.marketData();
        final long channelSeq = marketData.applyLevelDelta(market, side, priceTicks, deltaLots, sequence);
        final long total = marketData.lastLevelTotal();
        for (final MarketDataListener listener : listeners)
        {
            listener.onLevel(market, side, priceTicks, total, channelSeq, sequence);
        }
    }
}
