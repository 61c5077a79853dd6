package io.rollbook.matcher.risk;

import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.market.Market;
import io.rollbook.matcher.market.MarketTable;
import io.rollbook.protocol.engine.Side;

/**
 * The margin arithmetic of docs/MARGIN.md: values at the oracle price, unsettled funding, initial and maintenance
 * requirements (with dYdX v3 size tiering), the worst case of open orders, equity and shortfall of a cross account
 * or an isolated position. Pure functions of the state; exact, with requirements rounded up and equity's funding
 * rounded against the holder. The worst case of open orders counts the fees they would pay, at the rate of the
 * account's fee tier that the {@link FeeSchedule} gives.
 *
 * <p>Engine limits keep every figure here inside a {@code long}: a position's notional is at most
 * {@link #MAX_NOTIONAL_MICROS} (orders and oracle prices that could break it are rejected), so are the open orders
 * of one side of a position at their limit prices ({@link #openNotionalFits}), and a few hundred markets of such
 * positions still sum within range.
 */
public final class Margin
{
    public static final long PPM = 1_000_000L;
    public static final long NANOS_PER_MICRO = 1_000_000_000L;
    /** Ten billion USDC: the largest notional of one position or order, at any price the engine accepts. */
    public static final long MAX_NOTIONAL_MICROS = 10_000_000_000_000_000L;

    private final MarketTable markets;
    private final FeeSchedule fees;

    public Margin(final MarketTable markets, final FeeSchedule fees)
    {
        this.markets = markets;
        this.fees = fees;
    }

    public Market market(final Position position)
    {
        return markets.get(position.market());
    }

    /**
     * @return the notional of {@code lots} at {@code priceTicks} in micro-USDC, or -1 above the engine limit
     */
    public static long notionalOrMinusOne(final Market market, final long priceTicks, final long lots)
    {
        final long absLots = Math.abs(lots);
        if (absLots != 0 && priceTicks > MAX_NOTIONAL_MICROS / absLots)
        {
            return -1;
        }
        final long priceLots = priceTicks * absLots;
        final long tickLotValue = market.tickLotValueMicros();
        if (priceLots != 0 && tickLotValue > MAX_NOTIONAL_MICROS / priceLots)
        {
            return -1;
        }
        return priceLots * tickLotValue;
    }

    /**
     * Whether the slot's open orders on {@code side}, with one of them at {@code oldPriceTicks} x {@code oldLots}
     * replaced by {@code priceTicks} x {@code lots} (0 and 0 for a new order), stay within the engine's notional
     * limit at their limit prices. Each order's own notional fits already; without this bound a thousand sells far
     * above the oracle price, which cost no margin, would sum to more than a {@code long} holds in the worst case.
     */
    public static boolean openNotionalFits(
        final Market market,
        final Position slot,
        final Side side,
        final long priceTicks,
        final long lots,
        final long oldPriceTicks,
        final long oldLots)
    {
        final long open = side == Side.BUY ? slot.buyOpenPriceLots() : slot.sellOpenPriceLots();
        return open - oldPriceTicks * oldLots + priceTicks * lots <= MAX_NOTIONAL_MICROS / market.tickLotValueMicros();
    }

    /**
     * @return |lots| x price x value of a tick-lot, in micro-USDC
     */
    public static long notional(final Market market, final long priceTicks, final long lots)
    {
        return Math.multiplyExact(Math.multiplyExact(Math.abs(lots), priceTicks), market.tickLotValueMicros());
    }

    /**
     * @return the signed value of the position at the oracle price
     */
    public static long value(final Market market, final long sizeLots)
    {
        return Math.multiplyExact(sizeLots, market.valuePerLotMicros());
    }

    /**
     * @return |size| x the value of a lot at the oracle price
     */
    public static long notionalAtOracle(final Market market, final long sizeLots)
    {
        return Math.multiplyExact(Math.abs(sizeLots), market.valuePerLotMicros());
    }

    /**
     * @return what the position would pay if its funding settled now (negative: what it would receive), rounded
     * up: a payer pays the rounded-up amount, a receiver gets the rounded-down one
     */
    public static long owedFunding(final Market market, final Position position)
    {
        final long indexDelta = market.fundingIndex() - position.fundingIndex();
        return indexDelta == 0 || position.sizeLots() == 0 ? 0 :
            FixedMath.mulDivCeil(position.sizeLots(), indexDelta, NANOS_PER_MICRO);
    }

    /**
     * @return the maintenance requirement of a position of {@code sizeLots}
     */
    public static long maintenance(final Market market, final long sizeLots)
    {
        return sizeLots == 0 ? 0 : FixedMath.mulDivCeil(
            notionalAtOracle(market, sizeLots), market.maintenanceMarginPpm(), PPM);
    }

    /**
     * @return the initial requirement of a position of {@code sizeLots}, size-tiered
     */
    public static long initial(final Market market, final long sizeLots)
    {
        return sizeLots == 0 ? 0 : FixedMath.mulDivCeil(
            notionalAtOracle(market, sizeLots), market.initialMarginPpm(sizeLots), PPM);
    }

    /**
     * @return the slot's initial requirement with the worst case of its open orders, their fees counted at the
     * worst-case rate of its account's fee tier
     */
    public long worstCaseInitial(final Position position)
    {
        return worstCaseInitial(markets.get(position.market()), position,
            fees.worstCasePpm(position.account().feeTier()));
    }

    /**
     * The initial requirement of the position with the worst case of its open orders: the worse of "every open
     * buy fills at its price" and "every open sell fills at its price", each counting what filling away from the
     * oracle price would cost and the fees those fills would pay at {@code feePpm}. The fees count for resting
     * orders too, not only for the order being checked: they are paid at each fill, and an account whose margin
     * left them out could spend the same collateral twice, on its next order and on the fees of the ones resting.
     *
     * @param feePpm the highest fee rate the account's orders can pay ({@link FeeSchedule#worstCasePpm}), >= 0
     */
    public static long worstCaseInitial(final Market market, final Position position, final int feePpm)
    {
        final long size = position.sizeLots();
        final long buyLots = position.buyOpenLots();
        final long sellLots = position.sellOpenLots();
        if (buyLots == 0 && sellLots == 0)
        {
            return initial(market, size);
        }

        final long oracle = market.oraclePriceTicks();
        final long tickLotValue = market.tickLotValueMicros();
        final long buyCost = Math.max(0, Math.multiplyExact(
            position.buyOpenPriceLots() - Math.multiplyExact(oracle, buyLots), tickLotValue));
        final long sellCost = Math.max(0, Math.multiplyExact(
            Math.multiplyExact(oracle, sellLots) - position.sellOpenPriceLots(), tickLotValue));
        final long buyFee = FeeSchedule.fee(Math.multiplyExact(position.buyOpenPriceLots(), tickLotValue), feePpm);
        final long sellFee = FeeSchedule.fee(Math.multiplyExact(position.sellOpenPriceLots(), tickLotValue), feePpm);
        final long buysFill = Math.addExact(initial(market, size + buyLots), Math.addExact(buyCost, buyFee));
        final long sellsFill = Math.addExact(initial(market, size - sellLots), Math.addExact(sellCost, sellFee));
        return Math.max(buysFill, sellsFill);
    }

    /**
     * @return the largest absolute position the open orders could lead to
     */
    public static long worstCaseSize(final Position position)
    {
        return Math.max(Math.abs(position.sizeLots() + position.buyOpenLots()),
            Math.abs(position.sizeLots() - position.sellOpenLots()));
    }

    /**
     * @return the cross account's equity: collateral plus its cross positions at the oracle price, less
     * unsettled funding
     */
    public long crossEquity(final Account account)
    {
        long equity = account.collateralMicros();
        for (int i = 0, count = account.positionCount(); i < count; i++)
        {
            final Position position = account.positionAt(i);
            if (!position.isIsolated() && position.sizeLots() != 0)
            {
                final Market market = markets.get(position.market());
                equity += value(market, position.sizeLots()) - owedFunding(market, position);
            }
        }
        return equity;
    }

    /**
     * @return the sum of the maintenance requirements of the account's cross positions
     */
    public long crossMaintenance(final Account account)
    {
        long requirement = 0;
        for (int i = 0, count = account.positionCount(); i < count; i++)
        {
            final Position position = account.positionAt(i);
            if (!position.isIsolated() && position.sizeLots() != 0)
            {
                requirement += maintenance(markets.get(position.market()), position.sizeLots());
            }
        }
        return requirement;
    }

    /**
     * @return the cross account's worst-case initial requirement, open orders counted
     */
    public long crossWorstCaseInitial(final Account account)
    {
        long requirement = 0;
        for (int i = 0, count = account.positionCount(); i < count; i++)
        {
            final Position position = account.positionAt(i);
            if (!position.isIsolated())
            {
                requirement += worstCaseInitial(position);
            }
        }
        return requirement;
    }

    /**
     * @return worst-case initial requirement less equity of the cross side: positive means short of margin
     */
    public long crossShortfall(final Account account)
    {
        return crossWorstCaseInitial(account) - crossEquity(account);
    }

    /**
     * @return what the cross side could give away: equity less worst-case initial requirement (may be negative)
     */
    public long crossFreeCollateral(final Account account)
    {
        return -crossShortfall(account);
    }

    /**
     * @return the isolated bucket's equity: its collateral plus the position at the oracle price, less unsettled
     * funding
     */
    public long isolatedEquity(final Position position)
    {
        final Market market = markets.get(position.market());
        return position.isolatedMarginMicros() + value(market, position.sizeLots()) - owedFunding(market, position);
    }

    /**
     * @return worst-case initial requirement less equity of the isolated bucket
     */
    public long isolatedShortfall(final Position position)
    {
        return worstCaseInitial(position) - isolatedEquity(position);
    }

    /**
     * @return the shortfall of the margin scope the slot belongs to: its bucket, or its account's cross side
     */
    public long shortfall(final Position position)
    {
        return position.isIsolated() ? isolatedShortfall(position) : crossShortfall(position.account());
    }

    /**
     * @return true if the account's cross side is below maintenance
     */
    public boolean crossBelowMaintenance(final Account account)
    {
        return account.crossPositionCount() > 0 && crossEquity(account) < crossMaintenance(account);
    }

    /**
     * @return true if the isolated position is below maintenance
     */
    public boolean isolatedBelowMaintenance(final Position position)
    {
        return position.sizeLots() != 0 &&
            isolatedEquity(position) < maintenance(markets.get(position.market()), position.sizeLots());
    }
}
