package io.rollbook.gateway.view;

import java.math.BigInteger;
import java.util.Arrays;

import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.MarketSpec;

/**
 * An account's margin figures at the markets' oracle prices, as docs/MARGIN.md defines them and as the matcher
 * counts them when it accepts an order or a withdrawal ("Accepting orders"): per position its value, unsettled
 * funding, initial and maintenance requirements and its worst case with the open orders (their fees included, at
 * the account's {@link AccountSnapshot#worstCaseFeePpm()}); for the cross side the equity, the positions'
 * requirements, the worst-case initial requirement and the free collateral (equity - worst-case initial
 * requirement: what an order may add, or a withdrawal take, before the matcher refuses it for margin).
 *
 * <p>The gateway never reads the matcher, so this is the same arithmetic over what the released events show
 * ({@link AccountSnapshot}'s positions and resting orders, and the oracle prices and funding indices copied with them,
 * so that every figure values one moment's positions at that moment's prices), with the matcher's rounding:
 * requirements and unsettled funding rounded up. It runs in BigInteger so that no figure can wrap. A margin scope is
 * one market in one margin mode: the account's position there if it holds the market in that mode, and the open orders
 * placed in that mode; a cross scope with open orders but no position counts towards the cross figures even though it
 * has no position to show.
 *
 * <p>Not thread-safe: its owner (an event loop) computes one account after another into it. Each computation
 * allocates its BigIntegers: the trader API's account answers are not a hot path.
 */
public final class AccountMargin
{
    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);
    private static final BigInteger BILLION = BigInteger.valueOf(1_000_000_000);
    private static final long FULL_MARGIN_PPM = 1_000_000L;
    private static final int CROSS = 0;
    private static final int BUY = 0;

    private final MarketDirectory markets;

    private int positionCount;
    private long[] oracleTicks = new long[8];
    private BigInteger[] value = new BigInteger[8];
    private BigInteger[] funding = new BigInteger[8];
    private BigInteger[] initial = new BigInteger[8];
    private BigInteger[] maintenance = new BigInteger[8];
    private BigInteger[] worstCaseInitial = new BigInteger[8];
    private int[] orderOnlyMarkets = new int[8];
    private BigInteger equity = BigInteger.ZERO;
    private BigInteger crossInitial = BigInteger.ZERO;
    private BigInteger crossMaintenance = BigInteger.ZERO;
    private BigInteger crossWorstCaseInitial = BigInteger.ZERO;

    public AccountMargin(final MarketDirectory markets)
    {
        this.markets = markets;
    }

    /**
     * Computes every figure of the account; a market the directory does not know counts for nothing.
     */
    public void compute(final AccountSnapshot account)
    {
        ensure(account.positionCount());
        positionCount = account.positionCount();
        equity = BigInteger.valueOf(account.collateralMicros());
        crossInitial = BigInteger.ZERO;
        crossMaintenance = BigInteger.ZERO;
        crossWorstCaseInitial = BigInteger.ZERO;
        for (int i = 0; i < positionCount; i++)
        {
            final int marketId = account.positionMarket(i);
            final MarketSpec market = markets.byId(marketId);
            oracleTicks[i] = account.oraclePriceTicks(marketId);
            final long sizeLots = account.positionSizeLots(i);
            if (market == null)
            {
                value[i] = BigInteger.ZERO;
                funding[i] = BigInteger.ZERO;
                initial[i] = BigInteger.ZERO;
                maintenance[i] = BigInteger.ZERO;
                worstCaseInitial[i] = BigInteger.ZERO;
                continue;
            }
            final BigInteger size = BigInteger.valueOf(sizeLots);
            value[i] = size.multiply(valuePerLot(market, oracleTicks[i]));
            funding[i] = ceilDiv(size.multiply(BigInteger.valueOf(account.marketFundingIndex(marketId))
                .subtract(BigInteger.valueOf(account.positionFundingIndex(i)))), BILLION);
            initial[i] = initial(market, oracleTicks[i], sizeLots);
            maintenance[i] = maintenance(market, oracleTicks[i], sizeLots);
            final int marginMode = account.positionMarginMode(i);
            worstCaseInitial[i] = scopeWorstCase(account, market, oracleTicks[i], sizeLots, marginMode);
            if (marginMode == CROSS)
            {
                equity = equity.add(value[i]).subtract(funding[i]);
                crossInitial = crossInitial.add(initial[i]);
                crossMaintenance = crossMaintenance.add(maintenance[i]);
                crossWorstCaseInitial = crossWorstCaseInitial.add(worstCaseInitial[i]);
            }
        }
        addOrderOnlyScopes(account);
    }

    /**
     * The cross scopes that have open orders but no position entry: a market never traded, or last held in the
     * other margin mode.
     */
    private void addOrderOnlyScopes(final AccountSnapshot account)
    {
        int count = 0;
        for (int j = 0; j < account.orderCount(); j++)
        {
            final int marketId = account.orderMarket(j);
            if (account.orderMarginMode(j) != CROSS || hasCrossPosition(account, marketId) ||
                contains(orderOnlyMarkets, count, marketId))
            {
                continue;
            }
            if (count == orderOnlyMarkets.length)
            {
                orderOnlyMarkets = Arrays.copyOf(orderOnlyMarkets, count * 2);
            }
            orderOnlyMarkets[count++] = marketId;
            final MarketSpec market = markets.byId(marketId);
            if (market != null)
            {
                crossWorstCaseInitial = crossWorstCaseInitial.add(
                    scopeWorstCase(account, market, account.oraclePriceTicks(marketId), 0, CROSS));
            }
        }
    }

    private static boolean hasCrossPosition(final AccountSnapshot account, final int marketId)
    {
        for (int i = 0; i < account.positionCount(); i++)
        {
            if (account.positionMarket(i) == marketId && account.positionMarginMode(i) == CROSS)
            {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(final int[] values, final int count, final int value)
    {
        for (int i = 0; i < count; i++)
        {
            if (values[i] == value)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The worst case of one scope: its position and the totals of the account's open orders in its market and mode.
     */
    private static BigInteger scopeWorstCase(
        final AccountSnapshot account,
        final MarketSpec market,
        final long oracleTicks,
        final long sizeLots,
        final int marginMode)
    {
        long buyLots = 0;
        long sellLots = 0;
        BigInteger buyPriceLots = BigInteger.ZERO;
        BigInteger sellPriceLots = BigInteger.ZERO;
        for (int j = 0; j < account.orderCount(); j++)
        {
            if (account.orderMarket(j) != market.id() || account.orderMarginMode(j) != marginMode)
            {
                continue;
            }
            final long lots = account.orderRemainingLots(j);
            final BigInteger priceLots =
                BigInteger.valueOf(account.orderPriceTicks(j)).multiply(BigInteger.valueOf(lots));
            if (account.orderSide(j) == BUY)
            {
                buyLots = Math.addExact(buyLots, lots);
                buyPriceLots = buyPriceLots.add(priceLots);
            }
            else
            {
                sellLots = Math.addExact(sellLots, lots);
                sellPriceLots = sellPriceLots.add(priceLots);
            }
        }
        return worstCaseInitial(market, oracleTicks, sizeLots, buyLots, buyPriceLots, sellLots, sellPriceLots,
            account.worstCaseFeePpm());
    }

    /**
     * The initial requirement of a position with the worst case of its open orders: the worse of "every open buy
     * fills at its price" and "every open sell fills at its price", each with what filling away from the oracle
     * price would cost and the fee those fills can pay, rounded up; the position's own requirement when there are
     * no open orders.
     *
     * @param buyPriceLots  the sum of price x open size of the open buys, in ticks x lots
     * @param sellPriceLots likewise for the open sells
     * @param feePpm        the highest fee rate the account's orders can pay, >= 0
     * @return micro-USDC
     */
    public static BigInteger worstCaseInitial(
        final MarketSpec market,
        final long oracleTicks,
        final long sizeLots,
        final long buyLots,
        final BigInteger buyPriceLots,
        final long sellLots,
        final BigInteger sellPriceLots,
        final int feePpm)
    {
        if (buyLots == 0 && sellLots == 0)
        {
            return initial(market, oracleTicks, sizeLots);
        }
        final BigInteger oracle = BigInteger.valueOf(oracleTicks);
        final BigInteger tickLotValue = BigInteger.valueOf(market.tickLotValueMicros());
        final BigInteger buyCost = buyPriceLots.subtract(oracle.multiply(BigInteger.valueOf(buyLots)))
            .multiply(tickLotValue).max(BigInteger.ZERO);
        final BigInteger sellCost = oracle.multiply(BigInteger.valueOf(sellLots)).subtract(sellPriceLots)
            .multiply(tickLotValue).max(BigInteger.ZERO);
        final BigInteger rate = BigInteger.valueOf(feePpm);
        final BigInteger buyFee = ceilDiv(buyPriceLots.multiply(tickLotValue).multiply(rate), MILLION);
        final BigInteger sellFee = ceilDiv(sellPriceLots.multiply(tickLotValue).multiply(rate), MILLION);
        final BigInteger buysFill = initial(market, oracleTicks, Math.addExact(sizeLots, buyLots)).add(buyCost)
            .add(buyFee);
        final BigInteger sellsFill = initial(market, oracleTicks, Math.subtractExact(sizeLots, sellLots)).add(sellCost)
            .add(sellFee);
        return buysFill.max(sellsFill);
    }

    /**
     * @return the initial requirement of a position of {@code sizeLots} at the oracle price, size-tiered, rounded up
     */
    public static BigInteger initial(final MarketSpec market, final long oracleTicks, final long sizeLots)
    {
        return sizeLots == 0 ? BigInteger.ZERO : ceilDiv(notional(market, oracleTicks, sizeLots)
            .multiply(BigInteger.valueOf(initialMarginPpm(market, sizeLots))), MILLION);
    }

    /**
     * @return the maintenance requirement of a position of {@code sizeLots} at the oracle price, rounded up
     */
    public static BigInteger maintenance(final MarketSpec market, final long oracleTicks, final long sizeLots)
    {
        return sizeLots == 0 ? BigInteger.ZERO : ceilDiv(notional(market, oracleTicks, sizeLots)
            .multiply(BigInteger.valueOf(market.maintenanceMarginPpm())), MILLION);
    }

    /**
     * @return the initial margin fraction of a position of {@code sizeLots}, parts per million: I0 up to the
     * baseline size, then d more for every started step of D lots, never above 100% (docs/MARGIN.md)
     */
    public static long initialMarginPpm(final MarketSpec market, final long sizeLots)
    {
        final long size = Math.abs(sizeLots);
        if (size <= market.baselinePositionLots() || market.incrementalInitialMarginPpm() == 0)
        {
            return market.initialMarginPpm();
        }
        final long increment = market.incrementalPositionLots();
        // ceil((size - B) / D) for size > B, in a form that cannot wrap however large D is: the matcher's.
        final long steps = (size - market.baselinePositionLots() - 1) / increment + 1;
        return steps >= FULL_MARGIN_PPM ? FULL_MARGIN_PPM :
            Math.min(FULL_MARGIN_PPM, market.initialMarginPpm() + steps * market.incrementalInitialMarginPpm());
    }

    private static BigInteger notional(final MarketSpec market, final long oracleTicks, final long sizeLots)
    {
        return BigInteger.valueOf(sizeLots).abs().multiply(valuePerLot(market, oracleTicks));
    }

    private static BigInteger valuePerLot(final MarketSpec market, final long oracleTicks)
    {
        return BigInteger.valueOf(oracleTicks).multiply(BigInteger.valueOf(market.tickLotValueMicros()));
    }

    private static BigInteger ceilDiv(final BigInteger value, final BigInteger divisor)
    {
        final BigInteger[] qr = value.divideAndRemainder(divisor);
        return qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    }

    private void ensure(final int count)
    {
        if (oracleTicks.length < count)
        {
            final int capacity = count * 2;
            oracleTicks = Arrays.copyOf(oracleTicks, capacity);
            value = Arrays.copyOf(value, capacity);
            funding = Arrays.copyOf(funding, capacity);
            initial = Arrays.copyOf(initial, capacity);
            maintenance = Arrays.copyOf(maintenance, capacity);
            worstCaseInitial = Arrays.copyOf(worstCaseInitial, capacity);
        }
    }

    /**
     * @return cross collateral + the cross positions' value at the oracle prices - their unsettled funding
     */
    public BigInteger equity()
    {
        return equity;
    }

    /**
     * @return the sum of the cross positions' initial requirements, open orders not counted
     */
    public BigInteger crossInitial()
    {
        return crossInitial;
    }

    /**
     * @return the sum of the cross positions' maintenance requirements
     */
    public BigInteger crossMaintenance()
    {
        return crossMaintenance;
    }

    /**
     * @return the cross side's initial requirement with the worst case of its open orders: what the matcher checks
     */
    public BigInteger crossWorstCaseInitial()
    {
        return crossWorstCaseInitial;
    }

    /**
     * @return what the open orders add to the cross initial requirement in their worst case (never negative)
     */
    public BigInteger crossOpenOrdersInitial()
    {
        return crossWorstCaseInitial.subtract(crossInitial);
    }

    /**
     * @return equity - worst-case cross initial requirement (negative when short of margin)
     */
    public BigInteger freeCollateral()
    {
        return equity.subtract(crossWorstCaseInitial);
    }

    /**
     * @return the oracle price of the i-th position's market, 0 while it has none
     */
    public long positionOracleTicks(final int i)
    {
        return oracleTicks[i];
    }

    /**
     * @return the i-th position's signed value at the oracle price
     */
    public BigInteger positionValue(final int i)
    {
        return value[i];
    }

    /**
     * @return what the i-th position would pay if its funding settled now (negative: receive), rounded up
     */
    public BigInteger positionFunding(final int i)
    {
        return funding[i];
    }

    public BigInteger positionInitial(final int i)
    {
        return initial[i];
    }

    public BigInteger positionMaintenance(final int i)
    {
        return maintenance[i];
    }

    /**
     * @return the i-th position's initial requirement with the worst case of its scope's open orders
     */
    public BigInteger positionWorstCaseInitial(final int i)
    {
        return worstCaseInitial[i];
    }
}
