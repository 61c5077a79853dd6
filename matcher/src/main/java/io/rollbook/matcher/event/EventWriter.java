package io.rollbook.matcher.event;

import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.book.Order;
import io.rollbook.protocol.engine.AccountConfiguredEncoder;
import io.rollbook.protocol.engine.BalanceCause;
import io.rollbook.protocol.engine.BalanceChangedEncoder;
import io.rollbook.protocol.engine.BooleanType;
import io.rollbook.protocol.engine.CancelReason;
import io.rollbook.protocol.engine.CommandRejectedEncoder;
import io.rollbook.protocol.engine.FeeTierDefinedEncoder;
import io.rollbook.protocol.engine.FundingAppliedEncoder;
import io.rollbook.protocol.engine.LiquidationStartedEncoder;
import io.rollbook.protocol.engine.MarketDefinedEncoder;
import io.rollbook.protocol.engine.MassCancelTrigger;
import io.rollbook.protocol.engine.MassCanceledEncoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OracleUpdatedEncoder;
import io.rollbook.protocol.engine.OrderAcceptedEncoder;
import io.rollbook.protocol.engine.OrderAmendedEncoder;
import io.rollbook.protocol.engine.OrderCanceledEncoder;
import io.rollbook.protocol.engine.OrderRestingEncoder;
import io.rollbook.protocol.engine.PositionChangedEncoder;
import io.rollbook.protocol.engine.PositionTransferredEncoder;
import io.rollbook.protocol.engine.RejectReason;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TradeEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes the matcher's events, one SBE message after another, into a buffer the caller owns: in the service
 * that is the open journal batch, so events are written once and never copied on the matcher thread.
 *
 * <p>Single-threaded: owned by the matcher thread. Allocates nothing; when the target is an expandable buffer it
 * grows only when a command emits more event bytes than any before it.
 */
public final class EventWriter
{
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final OrderAcceptedEncoder accepted = new OrderAcceptedEncoder();
    private final CommandRejectedEncoder rejected = new CommandRejectedEncoder();
    private final TradeEncoder trade = new TradeEncoder();
    private final OrderCanceledEncoder canceled = new OrderCanceledEncoder();
    private final OrderRestingEncoder resting = new OrderRestingEncoder();
    private final OrderAmendedEncoder amended = new OrderAmendedEncoder();
    private final MassCanceledEncoder massCanceled = new MassCanceledEncoder();
    private final OracleUpdatedEncoder oracleUpdated = new OracleUpdatedEncoder();
    private final BalanceChangedEncoder balanceChanged = new BalanceChangedEncoder();
    private final AccountConfiguredEncoder accountConfigured = new AccountConfiguredEncoder();
    private final MarketDefinedEncoder marketDefined = new MarketDefinedEncoder();
    private final PositionChangedEncoder positionChanged = new PositionChangedEncoder();
    private final FundingAppliedEncoder fundingApplied = new FundingAppliedEncoder();
    private final LiquidationStartedEncoder liquidationStarted = new LiquidationStartedEncoder();
    private final PositionTransferredEncoder positionTransferred = new PositionTransferredEncoder();
    private final FeeTierDefinedEncoder feeTierDefined = new FeeTierDefinedEncoder();

    private MutableDirectBuffer buffer;
    private int position;
    private int eventCount;

    /**
     * Directs the following events to {@code buffer} from {@code offset} on.
     */
    public EventWriter wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.position = offset;
        this.eventCount = 0;
        return this;
    }

    /**
     * @return the offset just past the last event written
     */
    public int position()
    {
        return position;
    }

    /**
     * @return how many events were written since the last {@link #wrap}
     */
    public int eventCount()
    {
        return eventCount;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public void accepted(final Order order)
    {
        accepted.wrapAndApplyHeader(buffer, position, header)
            .orderId(order.orderId())
            .clientOrderId(order.clientOrderId())
            .priceTicks(order.priceTicks())
            .sizeLots(order.sizeLots())
            .account(order.account())
            .market(order.market())
            .side(order.side())
            .orderType(order.orderType())
            .timeInForce(order.timeInForce())
            .marginMode(order.marginMode())
            .selfTradePrevention(order.selfTradePrevention())
            .flags().clear().postOnly(order.isPostOnly()).reduceOnly(order.isReduceOnly());
        advance(OrderAcceptedEncoder.BLOCK_LENGTH);
    }

    public void rejected(
        final int commandTemplateId,
        final RejectReason reason,
        final int account,
        final int market,
        final long orderId,
        final long clientOrderId,
        final long detail)
    {
        rejected.wrapAndApplyHeader(buffer, position, header)
            .orderId(orderId)
            .clientOrderId(clientOrderId)
            .detail(detail)
            .account(account)
            .market(market)
            .commandTemplateId(commandTemplateId)
            .reason(reason);
        advance(CommandRejectedEncoder.BLOCK_LENGTH);
    }

    public void trade(
        final long tradeId,
        final Order maker,
        final Order taker,
        final long priceTicks,
        final long sizeLots,
        final long makerFeeMicros,
        final long takerFeeMicros)
    {
        trade.wrapAndApplyHeader(buffer, position, header)
            .tradeId(tradeId)
            .priceTicks(priceTicks)
            .sizeLots(sizeLots)
            .makerOrderId(maker.orderId())
            .takerOrderId(taker.orderId())
            .makerClientOrderId(maker.clientOrderId())
            .takerClientOrderId(taker.clientOrderId())
            .makerRemainingLots(maker.remainingLots())
            .takerRemainingLots(taker.remainingLots())
            .makerAccount(maker.account())
            .takerAccount(taker.account())
            .market(maker.market())
            .makerSide(maker.side())
            .makerFeeMicros(makerFeeMicros)
            .takerFeeMicros(takerFeeMicros);
        advance(TradeEncoder.BLOCK_LENGTH);
    }

    public void canceled(
        final Order order, final long canceledLots, final CancelReason reason, final boolean wasResting)
    {
        canceled.wrapAndApplyHeader(buffer, position, header)
            .orderId(order.orderId())
            .clientOrderId(order.clientOrderId())
            .priceTicks(order.priceTicks())
            .canceledLots(canceledLots)
            .account(order.account())
            .market(order.market())
            .side(order.side())
            .reason(reason)
            .wasResting(wasResting ? BooleanType.TRUE : BooleanType.FALSE);
        advance(OrderCanceledEncoder.BLOCK_LENGTH);
    }

    public void resting(final Order order)
    {
        resting.wrapAndApplyHeader(buffer, position, header)
            .orderId(order.orderId())
            .clientOrderId(order.clientOrderId())
            .priceTicks(order.priceTicks())
            .remainingLots(order.remainingLots())
            .account(order.account())
            .market(order.market())
            .side(order.side());
        advance(OrderRestingEncoder.BLOCK_LENGTH);
    }

    public void amended(
        final Order order, final long oldPriceTicks, final long oldRemainingLots, final boolean priorityKept)
    {
        amended.wrapAndApplyHeader(buffer, position, header)
            .orderId(order.orderId())
            .clientOrderId(order.clientOrderId())
            .oldPriceTicks(oldPriceTicks)
            .oldRemainingLots(oldRemainingLots)
            .priceTicks(order.priceTicks())
            .sizeLots(order.sizeLots())
            .remainingLots(order.remainingLots())
            .account(order.account())
            .market(order.market())
            .side(order.side())
            .priorityKept(priorityKept ? BooleanType.TRUE : BooleanType.FALSE);
        advance(OrderAmendedEncoder.BLOCK_LENGTH);
    }

    public void massCanceled(
        final int account, final int market, final Side side, final int count, final MassCancelTrigger trigger)
    {
        massCanceled.wrapAndApplyHeader(buffer, position, header)
            .account(account)
            .market(market)
            .count(count)
            .side(side)
            .trigger(trigger);
        advance(MassCanceledEncoder.BLOCK_LENGTH);
    }

    public void oracleUpdated(final int market, final long priceTicks)
    {
        oracleUpdated.wrapAndApplyHeader(buffer, position, header)
            .priceTicks(priceTicks)
            .market(market);
        advance(OracleUpdatedEncoder.BLOCK_LENGTH);
    }

    public void balanceChanged(
        final int account, final long deltaMicros, final long collateralMicros, final BalanceCause cause)
    {
        balanceChanged.wrapAndApplyHeader(buffer, position, header)
            .deltaMicros(deltaMicros)
            .collateralMicros(collateralMicros)
            .account(account)
            .cause(cause);
        advance(BalanceChangedEncoder.BLOCK_LENGTH);
    }

    public void accountConfigured(final int account, final int feeTier, final SelfTradePrevention selfTradePrevention)
    {
        accountConfigured.wrapAndApplyHeader(buffer, position, header)
            .account(account)
            .feeTier(feeTier)
            .selfTradePrevention(selfTradePrevention);
        advance(AccountConfiguredEncoder.BLOCK_LENGTH);
    }

    /**
     * The slot's full state and its account's cross collateral: everything a commitment leaf holds.
     */
    public void positionChanged(final Position slot)
    {
        positionChanged.wrapAndApplyHeader(buffer, position, header)
            .sizeLots(slot.sizeLots())
            .entryValueMicros(slot.entryValueMicros())
            .fundingIndex(slot.fundingIndex())
            .isolatedMarginMicros(slot.isolatedMarginMicros())
            .realizedPnlMicros(slot.realizedPnlMicros())
            .collateralMicros(slot.account().collateralMicros())
            .account(slot.account().id())
            .market(slot.market())
            .marginMode(slot.marginMode());
        advance(PositionChangedEncoder.BLOCK_LENGTH);
    }

    public void fundingApplied(final int market, final long ratePpb, final long fundingIndex, final long oracleTicks)
    {
        fundingApplied.wrapAndApplyHeader(buffer, position, header)
            .ratePpb(ratePpb)
            .fundingIndex(fundingIndex)
            .oraclePriceTicks(oracleTicks)
            .market(market);
        advance(FundingAppliedEncoder.BLOCK_LENGTH);
    }

    public void liquidationStarted(
        final int account, final int market, final long equityMicros, final long maintenanceMicros)
    {
        liquidationStarted.wrapAndApplyHeader(buffer, position, header)
            .equityMicros(equityMicros)
            .maintenanceMicros(maintenanceMicros)
            .account(account)
            .market(market);
        advance(LiquidationStartedEncoder.BLOCK_LENGTH);
    }

    public void positionTransferred(
        final int market,
        final int fromAccount,
        final int toAccount,
        final long priceTicks,
        final long sizeLots,
        final Side fromSide,
        final boolean autoDeleveraged)
    {
        positionTransferred.wrapAndApplyHeader(buffer, position, header)
            .priceTicks(priceTicks)
            .sizeLots(sizeLots)
            .fromAccount(fromAccount)
            .toAccount(toAccount)
            .market(market)
            .fromSide(fromSide)
            .autoDeleveraged(autoDeleveraged ? BooleanType.TRUE : BooleanType.FALSE);
        advance(PositionTransferredEncoder.BLOCK_LENGTH);
    }

    public void feeTierDefined(final int tier, final int makerFeePpm, final int takerFeePpm)
    {
        feeTierDefined.wrapAndApplyHeader(buffer, position, header)
            .tier(tier)
            .makerFeePpm(makerFeePpm)
            .takerFeePpm(takerFeePpm);
        advance(FeeTierDefinedEncoder.BLOCK_LENGTH);
    }

    /**
     * Echoes a market definition; the symbol bytes are copied from the command.
     */
    public void marketDefined(
        final int market,
        final long tickSizeMantissa,
        final byte tickSizeExponent,
        final long lotSizeMantissa,
        final byte lotSizeExponent,
        final long minSizeLots,
        final long maxOrderSizeLots,
        final int marketOrderBandPpm,
        final long baselinePositionLots,
        final long incrementalPositionLots,
        final long maxPositionLots,
        final int initialMarginPpm,
        final int maintenanceMarginPpm,
        final int incrementalInitialMarginPpm,
        final DirectBuffer symbolSource,
        final int symbolOffset)
    {
        marketDefined.wrapAndApplyHeader(buffer, position, header)
            .tickSizeMantissa(tickSizeMantissa)
            .lotSizeMantissa(lotSizeMantissa)
            .minSizeLots(minSizeLots)
            .maxOrderSizeLots(maxOrderSizeLots)
            .market(market)
            .marketOrderBandPpm(marketOrderBandPpm)
            .tickSizeExponent(tickSizeExponent)
            .lotSizeExponent(lotSizeExponent)
            .baselinePositionLots(baselinePositionLots)
            .incrementalPositionLots(incrementalPositionLots)
            .maxPositionLots(maxPositionLots)
            .initialMarginPpm(initialMarginPpm)
            .maintenanceMarginPpm(maintenanceMarginPpm)
            .incrementalInitialMarginPpm(incrementalInitialMarginPpm);
        buffer.putBytes(
            marketDefined.offset() + MarketDefinedEncoder.symbolEncodingOffset(),
            symbolSource,
            symbolOffset,
            MarketDefinedEncoder.symbolLength());
        advance(MarketDefinedEncoder.BLOCK_LENGTH);
    }

    private void advance(final int blockLength)
    {
        position += MessageHeaderEncoder.ENCODED_LENGTH + blockLength;
        eventCount++;
    }
}
