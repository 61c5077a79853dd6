package io.rollbook.matcher.margin;

import java.math.BigInteger;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.book.BookSide;
import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.market.Market;
import io.rollbook.protocol.engine.Side;

/**
 * The invariants of docs/MARGIN.md and docs/MATCHING.md, computed from a matcher's state independently of the
 * matcher's own margin code, with {@link BigInteger} so nothing can overflow or round unnoticed:
 *
 * <ul>
 *   <li>conservation: {@code 1e9 * sum(Q + isolated margins) - sum S * (F - fundingIndex) + R = 1e9 * (D - W)};</li>
 *   <li>positions sum to zero in every market;</li>
 *   <li>no account but the insurance fund is below maintenance on its cross side, no isolated position below
 *   maintenance in its bucket, and no account without a position owes money;</li>
 *   <li>no book is crossed at rest, every slot's open-order totals match its orders, resting reduce-only orders
 *   never exceed their position, and no empty slot lingers.</li>
 * </ul>
 *
 * <p>Reusable by other modules' tests. Not thread-safe; call on the matcher's thread.
 */
public final class MarginInvariants
{
    private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger PPM = BigInteger.valueOf(1_000_000L);

    private MarginInvariants()
    {
    }

    /**
     * @throws AssertionError naming the first invariant that fails
     */
    public static void check(final Matcher matcher)
    {
        final Matcher.Context context = matcher.context();
        final int insurance = context.insuranceFundAccount();
        final long[] sizeSums = new long[context.marketCapacity()];
        BigInteger left = BigInteger.valueOf(matcher.fundingResidueNanos());
        for (int id = 1; id < context.accountCapacity(); id++)
        {
            final Account account = matcher.account(id);
            if (account == null)
            {
                continue;
            }
            BigInteger collateral = BigInteger.valueOf(account.collateralMicros());
            BigInteger crossEquity = BigInteger.valueOf(account.collateralMicros());
            BigInteger crossMaintenance = BigInteger.ZERO;
            boolean crossOpen = false;
            for (int i = 0; i < account.positionCount(); i++)
            {
                final Position position = account.positionAt(i);
                final Market market = matcher.market(position.market());
                final long size = position.sizeLots();
                sizeSums[position.market()] += size;
                collateral = collateral.add(BigInteger.valueOf(position.isolatedMarginMicros()));
                final BigInteger unsettled = BigInteger.valueOf(size).multiply(
                    BigInteger.valueOf(market.fundingIndex()).subtract(BigInteger.valueOf(position.fundingIndex())));
                left = left.subtract(unsettled);
                checkOrders(matcher, account, position);
                if (!position.isIsolated() && position.isolatedMarginMicros() != 0)
                {
                    fail(matcher, "cross slot of account " + id + " in market " + position.market() +
                        " holds isolated margin " + position.isolatedMarginMicros());
                }
                if (size == 0 && position.openOrderCount() == 0 && position.isolatedMarginMicros() == 0)
                {
                    fail(matcher, "empty slot of account " + id + " in market " + position.market() + " lingers");
                }
                if (size == 0)
                {
                    continue;
                }
                final BigInteger value = value(market, size).subtract(ceilDiv(unsettled, NANOS));
                final BigInteger maintenance = maintenance(market, size);
                if (position.isIsolated())
                {
                    final BigInteger equity = BigInteger.valueOf(position.isolatedMarginMicros()).add(value);
                    if (id != insurance && equity.compareTo(maintenance) < 0)
                    {
                        fail(matcher, "isolated position of account " + id + " in market " + position.market() +
                            " is below maintenance: equity " + equity + " < " + maintenance);
                    }
                }
                else
                {
                    crossOpen = true;
                    crossEquity = crossEquity.add(value);
                    crossMaintenance = crossMaintenance.add(maintenance);
                }
            }
            left = left.add(collateral.multiply(NANOS));
            if (id != insurance && crossEquity.compareTo(crossMaintenance) < 0)
            {
                fail(matcher, "account " + id + " is below maintenance on its cross side: equity " + crossEquity +
                    " < " + crossMaintenance + (crossOpen ? "" : " (and holds no cross position)"));
            }
        }
        // Running totals that may wrap; their difference, bounded by the deposit limit, is exact in 64 bits.
        final BigInteger right = BigInteger.valueOf(matcher.depositedMicros() - matcher.withdrawnMicros())
            .multiply(NANOS);
        if (!left.equals(right))
        {
            fail(matcher, "conservation broken: 1e9 * collateral - unsettled funding + residue = " + left +
                " but 1e9 * (deposits - withdrawals) = " + right);
        }
        if (matcher.fundingResidueNanos() < 0 || matcher.fundingResidueNanos() >= 1_000_000_000L)
        {
            fail(matcher, "funding residue out of [0, 1e9): " + matcher.fundingResidueNanos());
        }
        for (int marketId = 1; marketId < context.marketCapacity(); marketId++)
        {
            final Market market = matcher.market(marketId);
            if (market == null)
            {
                continue;
            }
            if (sizeSums[marketId] != 0)
            {
                fail(matcher, "positions in market " + marketId + " sum to " + sizeSums[marketId]);
            }
            final BookSide bids = market.book().bids();
            final BookSide asks = market.book().asks();
            if (bids.best() != null && asks.best() != null && bids.best().priceTicks() >= asks.best().priceTicks())
            {
                fail(matcher, "book of market " + marketId + " is crossed: " + bids.best().priceTicks() + " >= " +
                    asks.best().priceTicks());
            }
        }
    }

    private static void checkOrders(final Matcher matcher, final Account account, final Position position)
    {
        long buyLots = 0;
        long buyPriceLots = 0;
        long sellLots = 0;
        long sellPriceLots = 0;
        int count = 0;
        int reduceOnly = 0;
        long reduceOnlyLots = 0;
        final Side closing = position.sizeLots() > 0 ? Side.SELL : Side.BUY;
        for (Order order = account.firstLiveOrder(); order != null; order = order.nextOfAccount())
        {
            if (order.market() != position.market())
            {
                continue;
            }
            count++;
            if (order.marginMode() != position.marginMode())
            {
                fail(matcher, "order " + order.orderId() + " is " + order.marginMode() + " in a " +
                    position.marginMode() + " slot");
            }
            if (order.isBuy())
            {
                buyLots += order.remainingLots();
                buyPriceLots += order.remainingLots() * order.priceTicks();
            }
            else
            {
                sellLots += order.remainingLots();
                sellPriceLots += order.remainingLots() * order.priceTicks();
            }
            if (order.isReduceOnly())
            {
                reduceOnly++;
                if (position.sizeLots() == 0 || order.side() != closing)
                {
                    fail(matcher, "reduce-only order " + order.orderId() + " rests against position " +
                        position.sizeLots());
                }
                reduceOnlyLots += order.remainingLots();
            }
        }
        if (reduceOnlyLots > Math.abs(position.sizeLots()))
        {
            fail(matcher, "reduce-only orders of account " + account.id() + " in market " + position.market() +
                " total " + reduceOnlyLots + " lots against a position of " + position.sizeLots());
        }
        if (buyLots != position.buyOpenLots() || buyPriceLots != position.buyOpenPriceLots() ||
            sellLots != position.sellOpenLots() || sellPriceLots != position.sellOpenPriceLots() ||
            count != position.openOrderCount() || reduceOnly != position.reduceOnlyOrderCount())
        {
            fail(matcher, "open-order totals of account " + account.id() + " in market " + position.market() +
                " do not match its orders");
        }
    }

    private static BigInteger value(final Market market, final long size)
    {
        return BigInteger.valueOf(size).multiply(BigInteger.valueOf(market.oraclePriceTicks()))
            .multiply(BigInteger.valueOf(market.tickLotValueMicros()));
    }

    private static BigInteger maintenance(final Market market, final long size)
    {
        return ceilDiv(value(market, size).abs().multiply(BigInteger.valueOf(market.maintenanceMarginPpm())), PPM);
    }

    private static BigInteger ceilDiv(final BigInteger a, final BigInteger b)
    {
        final BigInteger[] qr = a.divideAndRemainder(b);
        return qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    }

    private static void fail(final Matcher matcher, final String message)
    {
        throw new AssertionError("after sequence " + matcher.lastSequence() + ": " + message);
    }
}
