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
 * opposite positions (at a price that never costs them more than the exact bound, nor more than their equity), and
 * settle the remaining collateral with the insurance fund.
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
        // Collecting takes the candidates out of the heaps. They go back before any is liquidated: deleveraging
        // picks its counterparties from the index, and a candidate that passes the exact check (the index errs by
        // a micro-USDC or two per lot) is an opposite position like any other, possibly the most profitable one.
        for (int i = 0; i < scan.count(); i++)
        {
            clearing.refile(scan.at(i));
        }
        for (int i = 0; i < scan.count(); i++)
        {
            checkAndLiquidate(scan.at(i), events);
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
        if (remaining != 0 && !takeOver(market, position, limit, events))
        {
            autoDeleverage(market, position, limit, counterpartyBound(market, size, equity, maintenance), events);
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
     * The same bound rounded the other way, in the favour of whoever takes the position over: the price of
     * auto-deleveraging, so that a counterparty never pays for the loss beyond what closing at the exact bound (the
     * bankruptcy price, for a single position) would cost it, and the rounding is the liquidated account's deficit.
     * Rounded once on the exact value, and kept to the prices the position can trade at like {@link #boundPrice}.
     * When {@code P * V / W} does not fit in a long, {@code M * Long.MAX_VALUE} ticks beyond the oracle price stand
     * for the distance {@code P * M * V / W}, which is larger: still in the counterparty's favour.
     */
    private static long counterpartyBound(
        final Market market, final long size, final long equity, final long maintenance)
    {
        final long oracle = market.oraclePriceTicks();
        final long highest =
            Math.max(oracle, Margin.MAX_NOTIONAL_MICROS / Math.abs(size) / market.tickLotValueMicros());
        final long maintenancePpm = market.maintenanceMarginPpm();
        // How far the exact bound lies beyond the oracle price, against the liquidated side, rounded down.
        final long loss = Math.negateExact(equity);
        final long beyond = loss > 0 && FixedMath.compareProducts(oracle, loss, maintenance, Long.MAX_VALUE) >= 0 ?
            Long.MAX_VALUE / Margin.PPM * maintenancePpm :
            FixedMath.mulDivScaleFloor(oracle, loss, maintenance, maintenancePpm, Margin.PPM);
        if (size < 0)
        {
            return Math.max(1, oracle - beyond);
        }
        return beyond >= highest - oracle ? highest : Math.max(1, oracle + beyond);
    }

    /**
     * The insurance fund takes what the book could not, if it can carry it.
     *
     * @return false if it cannot: the position is to be auto-deleveraged
     */
    private boolean takeOver(
        final Market market, final Position position, final long priceTicks, final EventWriter events)
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
                return true;
            }
            clearing.releaseIfEmpty(slot);
        }
        return false;
    }

    /**
     * Closes the position against the most profitable opposite positions, each at {@link #deleveragePrice}; the
     * insurance fund takes what none of them holds, at the liquidated account's bound {@code priceTicks}.
     */
    private void autoDeleverage(
        final Market market,
        final Position position,
        final long priceTicks,
        final long counterpartyBound,
        final EventWriter events)
    {
        while (position.sizeLots() != 0)
        {
            final long size = position.sizeLots();
            final Position counterparty = scan.mostProfitableOpposite(market, size, position.account().id());
            final Position to;
            final long lots;
            final long price;
            if (counterparty == null)
            {
                // Only the insurance fund holds the other side: it takes the rest, whatever its margin.
                to = clearing.slotFor(accounts.getOrCreate(clearing.insuranceAccountId()), market, MarginMode.CROSS);
                lots = Math.abs(size);
                price = priceTicks;
            }
            else
            {
                to = counterparty;
                lots = Math.min(Math.abs(size), Math.abs(counterparty.sizeLots()));
                price = deleveragePrice(market, size, lots, counterpartyBound, counterparty);
            }
            events.positionTransferred(market.id(), position.account().id(), to.account().id(), price, lots,
                size > 0 ? Side.BUY : Side.SELL, counterparty != null);
            // The counterparty's emptied slot stays open to the end of the command, where the pass over touched
            // slots checks its margin scope (deleveraging may leave it below maintenance) and then closes it.
            clearing.transfer(market, position, to, size > 0 ? -lots : lots, price, events);
        }
    }

    /**
     * The price at which {@code counterparty} takes {@code lots} of a liquidated position of {@code size}: the bound
     * in its favour, but no further beyond the oracle price than the equity of its margin scope can pay, so that
     * deleveraging never leaves it with negative equity (nor deepens a deficit it already had). What it does not pay
     * is the liquidated account's deficit.
     */
    private long deleveragePrice(
        final Market market, final long size, final long lots, final long bound, final Position counterparty)
    {
        final long oracle = market.oraclePriceTicks();
        final long equity = counterparty.isIsolated() ?
            margin.isolatedEquity(counterparty) : margin.crossEquity(counterparty.account());
        // Each tick beyond the oracle price costs the counterparty lots x v.
        final long affordable = Math.max(0, equity) / Math.multiplyExact(lots, market.tickLotValueMicros());
        if (size > 0)
        {
            return bound - oracle <= affordable ? bound : oracle + affordable;
        }
        return oracle - bound <= affordable ? bound : oracle - affordable;
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
