package io.rollbook.matcher;

import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.AccountTable;
import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.matcher.market.Market;
import io.rollbook.matcher.market.MarketTable;
import io.rollbook.matcher.risk.Clearing;
import io.rollbook.matcher.risk.FixedMath;
import io.rollbook.matcher.risk.LiquidationScan;
import io.rollbook.matcher.risk.Margin;
import io.rollbook.protocol.engine.BalanceCause;
import io.rollbook.protocol.engine.CommandRejectedEncoder;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;

/**
 * Finds margin scopes below maintenance and liquidates them, as docs/MARGIN.md describes: cancel their orders,
 * close each position against the book with an IOC order bounded by the bankruptcy-aware price, hand what the
 * book could not take to the insurance fund or, when it cannot carry it, auto-deleverage the most profitable
 * opposite positions, and settle the remaining collateral with the insurance fund.
 *
 * <p>Runs only between match loops (never inside one), after the fills of a command and after oracle updates and
 * funding ticks; liquidations that push others under are followed until none is left.
 */
final class Liquidations
{
    private static final long NULL_CLIENT_ORDER_ID = CommandRejectedEncoder.clientOrderIdNullValue();
    private static final int NULL_MARKET = CommandRejectedEncoder.marketNullValue();

    private final MarketTable markets;
    private final AccountTable accounts;
    private final Clearing clearing;
    private final Margin margin;
    private final OrderEntry orderEntry;
    private final LiquidationScan scan = new LiquidationScan();
    private Position[] closing = new Position[8];

    Liquidations(
        final MarketTable markets, final AccountTable accounts, final Clearing clearing, final OrderEntry orderEntry)
    {
        this.markets = markets;
        this.accounts = accounts;
        this.clearing = clearing;
        this.margin = clearing.margin();
        this.orderEntry = orderEntry;
    }

    /**
     * After the market's oracle price or funding index moved: finds its candidates through the liquidation index,
     * checks them exactly and liquidates those below maintenance. The cascade (everyone those liquidations traded
     * with) is followed by the matcher's end-of-command pass over touched slots.
     */
    void onMarketMoved(final Market market, final EventWriter events)
    {
        scan.collect(market);
        for (int i = 0; i < scan.count(); i++)
        {
            final Position position = scan.at(i);
            if (!checkAndLiquidate(position, events) && position.sizeLots() != 0)
            {
                clearing.refile(position);
            }
        }
    }

    /**
     * Liquidates the position's margin scope (its isolated bucket, or its account's cross side) if it is below
     * maintenance.
     *
     * @return true if it was liquidated
     */
    boolean checkAndLiquidate(final Position position, final EventWriter events)
    {
        if (position.isIsolated())
        {
            if (margin.isolatedBelowMaintenance(position))
            {
                liquidateIsolated(position, events);
                return true;
            }
            return false;
        }
        final Account account = position.account();
        if (account.id() != clearing.insuranceAccountId() && margin.crossBelowMaintenance(account))
        {
            liquidateCross(account, events);
            return true;
        }
        return false;
    }

    private void liquidateCross(final Account account, final EventWriter events)
    {
        final long equity = margin.crossEquity(account);
        final long maintenance = margin.crossMaintenance(account);
        events.liquidationStarted(account.id(), NULL_MARKET, equity, maintenance);
        orderEntry.cancelForLiquidation(account, NULL_MARKET, events);

        int count = 0;
        for (int i = 0; i < account.positionCount(); i++)
        {
            final Position position = account.positionAt(i);
            if (!position.isIsolated() && position.sizeLots() != 0)
            {
                if (count == closing.length)
                {
                    final Position[] grown = new Position[count * 2];
                    System.arraycopy(closing, 0, grown, 0, count);
                    closing = grown;
                }
                closing[count++] = position;
            }
        }
        for (int i = 0; i < count; i++)
        {
            close(closing[i], equity, maintenance, events);
            closing[i] = null;
        }

        final long left = account.collateralMicros();
        final Account insurance = accounts.getOrCreate(clearing.insuranceAccountId());
        if (left > 0)
        {
            clearing.transferCollateral(account, insurance, left, BalanceCause.LIQUIDATION_REMAINDER, events);
        }
        else if (left < 0)
        {
            clearing.transferCollateral(insurance, account, -left, BalanceCause.INSURANCE_COVER, events);
        }
        for (int i = account.positionCount() - 1; i >= 0; i--)
        {
            final Position position = account.positionAt(i);
            if (!position.isIsolated())
            {
                clearing.releaseIfEmpty(position);
            }
        }
    }

    private void liquidateIsolated(final Position position, final EventWriter events)
    {
        final Account account = position.account();
        final Market market = markets.get(position.market());
        final long equity = margin.isolatedEquity(position);
        final long maintenance = Margin.maintenance(market, position.sizeLots());
        events.liquidationStarted(account.id(), market.id(), equity, maintenance);
        orderEntry.cancelForLiquidation(account, market.id(), events);

        close(position, equity, maintenance, events);

        final long left = position.isolatedMarginMicros();
        if (left != 0)
        {
            final Account insurance = accounts.getOrCreate(clearing.insuranceAccountId());
            position.addIsolatedMargin(-left);
            insurance.addCollateral(left);
            clearing.positionChanged(position, events);
            events.balanceChanged(insurance.id(), left, insurance.collateralMicros(),
                left > 0 ? BalanceCause.LIQUIDATION_REMAINDER : BalanceCause.INSURANCE_COVER);
            clearing.refile(insurance);
        }
        clearing.releaseIfEmpty(position);
    }

    /**
     * Closes one position of a scope with equity {@code equity} and maintenance requirement {@code maintenance}.
     */
    private void close(final Position position, final long equity, final long maintenance, final EventWriter events)
    {
        final Market market = markets.get(position.market());
        final long size = position.sizeLots();
        final Side side = size > 0 ? Side.SELL : Side.BUY;
        final long limit = boundPrice(market, size, equity, maintenance);

        orderEntry.closeForLiquidation(market, position.account(), side, limit, Math.abs(size), position.marginMode(),
            events);

        final long remaining = position.sizeLots();
        if (remaining != 0)
        {
            takeOver(market, position, limit, events);
        }
    }

    /**
     * dYdX v3's bound on the price a liquidated position closes at, {@code P * (1 - M * V / W)} for a long and
     * {@code P * (1 + M * V / W)} for a short, rounded so the account never closes beyond its bankruptcy price, and
     * kept to prices the position can trade at: at least one tick, and for a long at most the price at which its
     * notional reaches the engine's limit. Only an equity far below zero against a small requirement takes the
     * bound there, where {@code P * V / W} may not even fit in a long.
     */
    private static long boundPrice(
        final Market market, final long size, final long equity, final long maintenance)
    {
        final long oracle = market.oraclePriceTicks();
        final long highest =
            Math.max(oracle, Margin.MAX_NOTIONAL_MICROS / Math.abs(size) / market.tickLotValueMicros());
        // With V >= 0 (and V < W, or it would not be liquidated) P * V / W < P always fits.
        if (equity < 0 && FixedMath.compareProducts(oracle, -equity, maintenance, Long.MAX_VALUE) >= 0)
        {
            return size > 0 ? highest : 1;
        }
        final long adjustment = FixedMath.mulDivFloor(
            FixedMath.mulDivFloor(oracle, equity, maintenance), market.maintenanceMarginPpm(), Margin.PPM);
        if (size < 0)
        {
            return Math.max(1, oracle + adjustment);
        }
        return adjustment < 0 && -adjustment >= highest - oracle ? highest : Math.max(1, oracle - adjustment);
    }

    /**
     * The insurance fund takes what the book could not; if it cannot carry it, auto-deleverage.
     */
    private void takeOver(final Market market, final Position position, final long priceTicks, final EventWriter events)
    {
        final long size = position.sizeLots();
        final Account insurance = accounts.getOrCreate(clearing.insuranceAccountId());
        final Position existing = insurance.position(market.id());
        if (existing == null || !existing.isIsolated())
        {
            final Position slot = clearing.slotFor(insurance, market, MarginMode.CROSS);
            if (clearing.canAbsorb(market, slot, size, priceTicks))
            {
                events.positionTransferred(market.id(), position.account().id(), insurance.id(), priceTicks,
                    Math.abs(size), size > 0 ? Side.BUY : Side.SELL, false);
                clearing.transfer(market, position, slot, -size, priceTicks, events);
                return;
            }
            clearing.releaseIfEmpty(slot);
        }
        autoDeleverage(market, position, priceTicks, events);
    }

    private void autoDeleverage(
        final Market market, final Position position, final long priceTicks, final EventWriter events)
    {
        while (position.sizeLots() != 0)
        {
            final long size = position.sizeLots();
            final Position counterparty = scan.mostProfitableOpposite(market, size, position.account().id());
            final Position to;
            final long lots;
            if (counterparty == null)
            {
                // Only the insurance fund holds the other side: it takes the rest, whatever its margin.
                to = clearing.slotFor(accounts.getOrCreate(clearing.insuranceAccountId()), market, MarginMode.CROSS);
                lots = Math.abs(size);
            }
            else
            {
                to = counterparty;
                lots = Math.min(Math.abs(size), Math.abs(counterparty.sizeLots()));
            }
            events.positionTransferred(market.id(), position.account().id(), to.account().id(), priceTicks, lots,
                size > 0 ? Side.BUY : Side.SELL, counterparty != null);
            clearing.transfer(market, position, to, size > 0 ? -lots : lots, priceTicks, events);
            clearing.releaseIfEmpty(to);
        }
    }

    static Order liquidationOrder(
        final Order order,
        final long orderId,
        final int account,
        final int market,
        final Side side,
        final long limitTicks,
        final long lots,
        final MarginMode marginMode)
    {
        return order.init(orderId, NULL_CLIENT_ORDER_ID, account, market, side, OrderType.LIMIT, TimeInForce.IOC,
            marginMode, SelfTradePrevention.EXPIRE_MAKER, (byte)0, limitTicks, lots);
    }
}
