package io.rollbook.matcher.risk;

import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.AccountTable;
import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.matcher.market.Market;
import io.rollbook.matcher.market.MarketTable;
import io.rollbook.protocol.engine.BalanceCause;
import io.rollbook.protocol.engine.MarginMode;

/**
 * Where money moves: the cash flows and fees of fills, lazy funding settlement, transfers of liquidated positions
 * and collateral, each with its events, keeping the liquidation index and the list of slots this command touched
 * in step. Every movement is a transfer between accounts, so the conservation identity of docs/MARGIN.md holds
 * after each one.
 *
 * <p>Owned by the matcher thread. Allocation-free.
 */
public final class Clearing
{
    /** The fill may go ahead. */
    public static final int FILL_OK = 0;
    /** The maker's fill would break its margin validity. */
    public static final int MAKER_INVALID = 1;
    /** The taker's fill would break its margin validity. */
    public static final int TAKER_INVALID = 2;

    private final MarketTable markets;
    private final AccountTable accounts;
    private final Margin margin;
    private final FeeSchedule fees;
    private final int feeAccountId;
    private final int insuranceAccountId;
    private Position[] touched = new Position[16];
    private int touchedCount;
    private long sequence;
    private long fundingResidueNanos;

    public Clearing(
        final MarketTable markets,
        final AccountTable accounts,
        final Margin margin,
        final FeeSchedule fees,
        final int feeAccountId,
        final int insuranceAccountId)
    {
        this.markets = markets;
        this.accounts = accounts;
        this.margin = margin;
        this.fees = fees;
        this.feeAccountId = feeAccountId;
        this.insuranceAccountId = insuranceAccountId;
    }

    public Margin margin()
    {
        return margin;
    }

    public FeeSchedule fees()
    {
        return fees;
    }

    public int feeAccountId()
    {
        return feeAccountId;
    }

    public int insuranceAccountId()
    {
        return insuranceAccountId;
    }

    /**
     * @return the funding rounding residue not yet paid to the insurance fund, in 1e-9 micro-USDC
     */
    public long fundingResidueNanos()
    {
        return fundingResidueNanos;
    }

    /**
     * Restores the residue (snapshot loading).
     */
    public void fundingResidueNanos(final long residue)
    {
        fundingResidueNanos = residue;
    }

    /**
     * Starts a command: the touched list empties.
     */
    public void beginCommand(final long sequence)
    {
        this.sequence = sequence;
        touchedCount = 0;
    }

    public int touchedCount()
    {
        return touchedCount;
    }

    public Position touchedAt(final int index)
    {
        return touched[index];
    }

    /**
     * @return the account's slot in the market, opened in the order's margin mode if needed
     */
    public Position slotFor(final Account account, final Market market, final MarginMode mode)
    {
        return accounts.openPosition(account, market.id(), mode, market.fundingIndex());
    }

    /**
     * Closes the slot if nothing keeps it alive; an isolated slot's leftover collateral has already returned.
     */
    public void releaseIfEmpty(final Position position)
    {
        if (position.isEmpty() && position.isOpen())
        {
            markets.get(position.market()).liquidationIndex().unfile(position);
            accounts.closePosition(position);
        }
    }

    /**
     * Checks whether a fill of {@code lots} at {@code priceTicks} keeps both parties valid (StarkEx's rule:
     * well-leveraged afterwards, or strictly risk-reducing without lowering value over risk).
     *
     * @param takerExempt true for a liquidation's own fills, which StarkEx proves as liquidations
     * @return {@link #FILL_OK}, {@link #MAKER_INVALID} or {@link #TAKER_INVALID}
     */
    public int checkFill(
        final Market market,
        final Order maker,
        final Order taker,
        final long priceTicks,
        final long lots,
        final boolean takerExempt)
    {
        return checkFill(market, maker, taker, priceTicks, lots, takerExempt, 0, 0, 0, 0);
    }

    /**
     * As {@link #checkFill(Market, Order, Order, long, long, boolean)}, on top of fills not yet executed that
     * would already have changed the maker's and the taker's positions and cash: how a fill-or-kill order is
     * checked before any of its fills happen.
     */
    public int checkFill(
        final Market market,
        final Order maker,
        final Order taker,
        final long priceTicks,
        final long lots,
        final boolean takerExempt,
        final long makerPendingLots,
        final long makerPendingCash,
        final long takerPendingLots,
        final long takerPendingCash)
    {
        final long notional = Margin.notional(market, priceTicks, lots);
        final Position makerSlot = maker.slot();
        final Position takerSlot = taker.slot();
        final Account makerAccount = makerSlot.account();
        final Account takerAccount = takerSlot.account();
        final long makerDelta = maker.isBuy() ? lots : -lots;
        final long takerFee = FeeSchedule.fee(notional, fees.takerPpm(takerAccount.feeTier()));
        final long makerFee = FeeSchedule.makerFee(notional, fees.makerPpm(makerAccount.feeTier()), takerFee);
        final long makerCash = (maker.isBuy() ? -notional : notional) - makerFee;
        final long takerCash = (maker.isBuy() ? notional : -notional) - takerFee;

        if (!validAfter(market, makerSlot, makerPendingLots, makerPendingCash, makerDelta,
            makerCash))
        {
            return MAKER_INVALID;
        }
        if (!takerExempt && !validAfter(market, takerSlot, takerPendingLots,
            takerPendingCash, -makerDelta, takerCash))
        {
            return TAKER_INVALID;
        }
        return FILL_OK;
    }

    /**
     * @return the cash a fill of {@code lots} at {@code priceTicks} moves for one party: the notional one way, its
     * fee the other; for the maker when {@code maker}, else for the taker
     */
    public long fillCash(
        final Market market, final Order maker, final Order taker, final long priceTicks, final long lots,
        final boolean forMaker)
    {
        final long notional = Margin.notional(market, priceTicks, lots);
        final long takerFee = FeeSchedule.fee(notional, fees.takerPpm(taker.slot().account().feeTier()));
        if (forMaker)
        {
            return (maker.isBuy() ? -notional : notional) -
                FeeSchedule.makerFee(notional, fees.makerPpm(maker.slot().account().feeTier()), takerFee);
        }
        return (maker.isBuy() ? notional : -notional) - takerFee;
    }

    /**
     * Executes a fill checked with {@link #checkFill}: settles both positions' funding, moves the cash and the
     * fees, updates both positions and the maker's open-order totals, and writes the trade, both positions and the
     * fee account's balance.
     */
    public void fill(
        final Market market,
        final Order maker,
        final Order taker,
        final long priceTicks,
        final long lots,
        final long tradeId,
        final EventWriter events)
    {
        final long notional = Margin.notional(market, priceTicks, lots);
        final Position makerSlot = maker.slot();
        final Position takerSlot = taker.slot();
        final Account makerAccount = makerSlot.account();
        final Account takerAccount = takerSlot.account();
        final long takerFee = FeeSchedule.fee(notional, fees.takerPpm(takerAccount.feeTier()));
        final long makerFee = FeeSchedule.makerFee(notional, fees.makerPpm(makerAccount.feeTier()), takerFee);
        final long makerDelta = maker.isBuy() ? lots : -lots;

        settleFunding(market, makerSlot, events);
        settleFunding(market, takerSlot, events);
        moveCash(makerSlot, (maker.isBuy() ? -notional : notional) - makerFee);
        moveCash(takerSlot, (maker.isBuy() ? notional : -notional) - takerFee);
        changeSize(makerAccount, makerSlot, makerDelta, notional);
        changeSize(takerAccount, takerSlot, -makerDelta, notional);
        makerSlot.changeOpen(maker.side(), maker.priceTicks(), -lots);

        events.trade(tradeId, maker, taker, priceTicks, lots, makerFee, takerFee);
        positionChanged(makerSlot, events);
        positionChanged(takerSlot, events);
        final long feeTotal = makerFee + takerFee;
        if (feeTotal != 0)
        {
            final Account feeAccount = accounts.getOrCreate(feeAccountId);
            feeAccount.addCollateral(feeTotal);
            events.balanceChanged(feeAccountId, feeTotal, feeAccount.collateralMicros(), BalanceCause.FEES);
            refile(feeAccount);
        }
        refile(makerSlot);
        refile(takerSlot);
    }

    /**
     * Moves {@code lots} of a position from one account to another at {@code priceTicks}, without fees: the
     * insurance fund taking over a liquidated position, or auto-deleveraging.
     *
     * @param fromDelta the signed change of the giving side's position
     */
    public void transfer(
        final Market market,
        final Position from,
        final Position to,
        final long fromDelta,
        final long priceTicks,
        final EventWriter events)
    {
        final long lots = Math.abs(fromDelta);
        final long notional = Margin.notional(market, priceTicks, lots);
        settleFunding(market, from, events);
        settleFunding(market, to, events);
        moveCash(from, fromDelta > 0 ? -notional : notional);
        moveCash(to, fromDelta > 0 ? notional : -notional);
        changeSize(from.account(), from, fromDelta, notional);
        changeSize(to.account(), to, -fromDelta, notional);
        positionChanged(from, events);
        positionChanged(to, events);
        refile(from);
        refile(to);
    }

    /**
     * Settles a position's funding: it pays (or receives) what it owes since it last settled, rounded in the
     * venue's favour, and the rounding goes to the residue, whole micro-USDC of which go to the insurance fund.
     */
    public void settleFunding(final Market market, final Position position, final EventWriter events)
    {
        final long index = market.fundingIndex();
        final long indexDelta = index - position.fundingIndex();
        if (indexDelta == 0)
        {
            return;
        }
        position.fundingIndex(index);
        final long size = position.sizeLots();
        if (size == 0)
        {
            return;
        }

        final long owed = FixedMath.mulDivCeil(size, indexDelta, Margin.NANOS_PER_MICRO);
        moveCash(position, -owed);
        // The true amount is size x delta nano-micro-USDC; what was paid exceeds it by less than one micro-USDC,
        // so the wrapping 64-bit difference is exact.
        fundingResidueNanos += owed * Margin.NANOS_PER_MICRO - size * indexDelta;
        if (fundingResidueNanos >= Margin.NANOS_PER_MICRO)
        {
            final long whole = fundingResidueNanos / Margin.NANOS_PER_MICRO;
            fundingResidueNanos -= whole * Margin.NANOS_PER_MICRO;
            final Account insurance = accounts.getOrCreate(insuranceAccountId);
            insurance.addCollateral(whole);
            events.balanceChanged(insuranceAccountId, whole, insurance.collateralMicros(), BalanceCause.FUNDING_RESIDUE);
        }
    }

    /**
     * Moves collateral between two accounts' cross balances with a balance event for each.
     */
    public void transferCollateral(
        final Account from, final Account to, final long amount, final BalanceCause cause, final EventWriter events)
    {
        from.addCollateral(-amount);
        to.addCollateral(amount);
        events.balanceChanged(from.id(), -amount, from.collateralMicros(), cause);
        events.balanceChanged(to.id(), amount, to.collateralMicros(), cause);
        refile(from);
        refile(to);
    }

    /**
     * Writes the slot's state as a position event.
     */
    public void positionChanged(final Position position, final EventWriter events)
    {
        events.positionChanged(position);
        touch(position);
    }

    /**
     * Lists the slot as changed by this command, once, so that after the command its reduce-only orders are
     * trimmed, its margin scope is checked and, if nothing keeps it alive, it is closed.
     */
    public void touch(final Position position)
    {
        if (position.touch(sequence))
        {
            if (touchedCount == touched.length)
            {
                final Position[] grown = new Position[touchedCount * 2];
                System.arraycopy(touched, 0, grown, 0, touchedCount);
                touched = grown;
            }
            touched[touchedCount++] = position;
        }
    }

    /**
     * Files the slot's margin scope afresh in the liquidation index: after its collateral or size changed.
     */
    public void refile(final Position position)
    {
        if (position.isIsolated())
        {
            fileIsolated(position);
        }
        else
        {
            refile(position.account());
        }
    }

    /**
     * Files every cross position of the account afresh in the liquidation index.
     */
    public void refile(final Account account)
    {
        final boolean exempt = account.id() == insuranceAccountId;
        final boolean single = account.crossPositionCount() == 1;
        for (int i = 0, count = account.positionCount(); i < count; i++)
        {
            final Position position = account.positionAt(i);
            if (position.isIsolated())
            {
                continue;
            }
            final LiquidationIndex index = markets.get(position.market()).liquidationIndex();
            if (exempt || position.sizeLots() == 0)
            {
                index.unfile(position);
            }
            else if (single)
            {
                index.fileInHeap(position, threshold(position, account.collateralMicros()));
            }
            else
            {
                index.fileInMulti(position);
            }
        }
    }

    private void fileIsolated(final Position position)
    {
        final LiquidationIndex index = markets.get(position.market()).liquidationIndex();
        if (position.sizeLots() == 0 || position.account().id() == insuranceAccountId)
        {
            index.unfile(position);
        }
        else
        {
            index.fileInHeap(position, threshold(position, position.isolatedMarginMicros()));
        }
    }

    /**
     * The threshold of a position that is alone in its margin scope, rounded so the index errs towards checking
     * too many rather than too few (docs/MARGIN.md): a long is a candidate when the market's long value reaches
     * down to it, a short when the market's short value reaches up to it.
     */
    private static long threshold(final Position position, final long collateral)
    {
        final long size = position.sizeLots();
        final long funding = position.fundingIndex();
        if (size > 0)
        {
            return FixedMath.ceilDiv(-collateral, size) + FixedMath.ceilDiv(-funding, Margin.NANOS_PER_MICRO) + 1;
        }
        final long lots = -size;
        return Math.floorDiv(collateral, lots) + Math.floorDiv(-funding, Margin.NANOS_PER_MICRO) - 1;
    }

    /**
     * @return true if the insurance fund (or any account) could take {@code delta} lots at {@code priceTicks} and
     * stay at or above maintenance and within the market's maximum position
     */
    public boolean canAbsorb(final Market market, final Position slot, final long delta, final long priceTicks)
    {
        if (Math.abs(slot.sizeLots() + delta) > market.maxPositionLots())
        {
            return false;
        }
        final long notional = Margin.notional(market, priceTicks, delta);
        final long cash = delta > 0 ? -notional : notional;
        final long newSize = slot.sizeLots() + delta;
        final long valueBefore = slot.isIsolated() ? margin.isolatedEquity(slot) : margin.crossEquity(slot.account());
        final long riskBefore = slot.isIsolated() ? Margin.maintenance(market, slot.sizeLots()) :
            margin.crossMaintenance(slot.account());
        final long valueAfter = valueBefore + cash + Margin.value(market, newSize) - Margin.value(market, slot.sizeLots());
        final long riskAfter = riskBefore - Margin.maintenance(market, slot.sizeLots()) + Margin.maintenance(market, newSize);
        return valueAfter >= riskAfter;
    }

    /**
     * StarkEx's rule for one party: after the fill its value covers its risk, or the fill strictly shrinks its
     * position without lowering value over risk. The fill ({@code delta}, {@code cash}) comes on top of earlier
     * fills of the same sequence not executed yet ({@code pendingDelta}, {@code pendingCash}).
     */
    private boolean validAfter(
        final Market market,
        final Position slot,
        final long pendingDelta,
        final long pendingCash,
        final long delta,
        final long cash)
    {
        final long size = slot.sizeLots();
        final long valueNow;
        final long riskNow;
        if (slot.isIsolated())
        {
            valueNow = margin.isolatedEquity(slot);
            riskNow = Margin.maintenance(market, size);
        }
        else
        {
            valueNow = margin.crossEquity(slot.account());
            riskNow = margin.crossMaintenance(slot.account());
        }
        final long sizeBefore = size + pendingDelta;
        final long sizeAfter = sizeBefore + delta;
        final long valueOfSizeNow = Margin.value(market, size);
        final long valueBefore = valueNow + pendingCash + Margin.value(market, sizeBefore) - valueOfSizeNow;
        final long valueAfter = valueNow + pendingCash + cash + Margin.value(market, sizeAfter) - valueOfSizeNow;
        final long riskOfSizeNow = Margin.maintenance(market, size);
        final long riskBefore = riskNow - riskOfSizeNow + Margin.maintenance(market, sizeBefore);
        final long riskAfter = riskNow - riskOfSizeNow + Margin.maintenance(market, sizeAfter);
        if (valueAfter >= riskAfter)
        {
            return true;
        }

        final boolean reducing = Math.abs(sizeAfter) < Math.abs(sizeBefore) &&
            (sizeAfter == 0 || (sizeAfter > 0) == (sizeBefore > 0));
        return reducing && FixedMath.compareProducts(valueAfter, riskBefore, valueBefore, riskAfter) >= 0;
    }

    private static void moveCash(final Position slot, final long amount)
    {
        if (slot.isIsolated())
        {
            slot.addIsolatedMargin(amount);
        }
        else
        {
            slot.account().addCollateral(amount);
        }
    }

    private static void changeSize(final Account account, final Position slot, final long delta, final long notional)
    {
        final boolean wasOpen = slot.sizeLots() != 0;
        slot.applyFill(delta, notional);
        final boolean isOpen = slot.sizeLots() != 0;
        if (!slot.isIsolated() && wasOpen != isOpen)
        {
            account.crossPositionCount(account.crossPositionCount() + (isOpen ? 1 : -1));
        }
    }
}
