package io.rollbook.matcher.account;

import io.rollbook.matcher.risk.FixedMath;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.Side;

/**
 * An account's stake in one market: its position, its isolated bucket when it trades the market in isolated
 * mode, and the totals of its open orders there (what worst-case margin needs, kept in step as orders rest, fill
 * and leave, so a margin check never walks orders).
 *
 * <p>A slot exists while the account has a position, open orders or isolated collateral in the market; pooled.
 * Owned by the matcher thread.
 */
public final class Position
{
    private Account account;
    private int market;
    private MarginMode marginMode;

    private long sizeLots;
    private long entryValueMicros;
    private long fundingIndex;
    private long isolatedMarginMicros;
    private long realizedPnlMicros;

    private long buyOpenLots;
    private long buyOpenPriceLots;
    private long sellOpenLots;
    private long sellOpenPriceLots;
    private int openOrderCount;
    private int reduceOnlyOrderCount;

    private int heapIndex = -1;
    private long liquidationKey;
    private Position multiPrev;
    private Position multiNext;
    private boolean inMultiList;
    private long touchedSequence;
    private long dryRun;
    private int dryRunIndex;
    private boolean open;

    Position next;

    Position init(final Account account, final int market, final MarginMode marginMode, final long fundingIndex)
    {
        this.account = account;
        this.market = market;
        this.marginMode = marginMode;
        this.sizeLots = 0;
        this.entryValueMicros = 0;
        this.fundingIndex = fundingIndex;
        this.isolatedMarginMicros = 0;
        this.realizedPnlMicros = 0;
        this.buyOpenLots = 0;
        this.buyOpenPriceLots = 0;
        this.sellOpenLots = 0;
        this.sellOpenPriceLots = 0;
        this.openOrderCount = 0;
        this.reduceOnlyOrderCount = 0;
        this.touchedSequence = 0;
        this.dryRun = 0;
        this.heapIndex = -1;
        this.liquidationKey = 0;
        this.multiPrev = null;
        this.multiNext = null;
        this.inMultiList = false;
        this.next = null;
        this.open = true;
        return this;
    }

    /**
     * @return false once the slot was closed: a reference to it kept from earlier in the command is stale
     */
    public boolean isOpen()
    {
        return open;
    }

    void close()
    {
        open = false;
    }

    public Account account()
    {
        return account;
    }

    public int market()
    {
        return market;
    }

    public MarginMode marginMode()
    {
        return marginMode;
    }

    public boolean isIsolated()
    {
        return marginMode == MarginMode.ISOLATED;
    }

    public long sizeLots()
    {
        return sizeLots;
    }

    public long entryValueMicros()
    {
        return entryValueMicros;
    }

    public long fundingIndex()
    {
        return fundingIndex;
    }

    public long isolatedMarginMicros()
    {
        return isolatedMarginMicros;
    }

    public long realizedPnlMicros()
    {
        return realizedPnlMicros;
    }

    public long buyOpenLots()
    {
        return buyOpenLots;
    }

    /**
     * @return the sum of price x open size of the open buys, in ticks x lots
     */
    public long buyOpenPriceLots()
    {
        return buyOpenPriceLots;
    }

    public long sellOpenLots()
    {
        return sellOpenLots;
    }

    public long sellOpenPriceLots()
    {
        return sellOpenPriceLots;
    }

    public int openOrderCount()
    {
        return openOrderCount;
    }

    /**
     * @return how many of the open orders are reduce-only
     */
    public int reduceOnlyOrderCount()
    {
        return reduceOnlyOrderCount;
    }

    public void changeReduceOnlyOrderCount(final int delta)
    {
        reduceOnlyOrderCount += delta;
    }

    /**
     * @return where the slot sits in its market's liquidation heap, or -1; maintained by the liquidation index
     */
    public int heapIndex()
    {
        return heapIndex;
    }

    public void heapIndex(final int heapIndex)
    {
        this.heapIndex = heapIndex;
    }

    /**
     * @return the liquidation threshold the slot is filed under (micro-USDC per lot); see docs/MARGIN.md
     */
    public long liquidationKey()
    {
        return liquidationKey;
    }

    public void liquidationKey(final long liquidationKey)
    {
        this.liquidationKey = liquidationKey;
    }

    /**
     * @return true while the slot is in its market's list of positions re-checked on every move of the market
     */
    public boolean inMultiList()
    {
        return inMultiList;
    }

    public Position multiNext()
    {
        return multiNext;
    }

    public void linkMulti(final Position prev, final Position next, final boolean inList)
    {
        this.multiPrev = prev;
        this.multiNext = next;
        this.inMultiList = inList;
    }

    public Position multiPrev()
    {
        return multiPrev;
    }

    public void multiNext(final Position next)
    {
        this.multiNext = next;
    }

    public void multiPrev(final Position prev)
    {
        this.multiPrev = prev;
    }

    /**
     * @return where a fill-or-kill dry run numbered {@code run} keeps this slot's pending fills, or -1 if that run
     * has not met the slot yet. Scratch of the matcher thread, never part of the state: it saves the dry run a
     * search through the slots it met, which made a walk over the orders of many accounts quadratic.
     */
    public int dryRunIndex(final long run)
    {
        return dryRun == run ? dryRunIndex : -1;
    }

    public void dryRunIndex(final long run, final int index)
    {
        this.dryRun = run;
        this.dryRunIndex = index;
    }

    /**
     * Marks the slot as changed by the command with this sequence number.
     *
     * @return true the first time in that command
     */
    public boolean touch(final long sequence)
    {
        if (touchedSequence == sequence)
        {
            return false;
        }
        touchedSequence = sequence;
        return true;
    }

    /**
     * @return true when nothing keeps the slot alive: no position, no open order, no isolated collateral
     */
    public boolean isEmpty()
    {
        return sizeLots == 0 && openOrderCount == 0 && isolatedMarginMicros == 0;
    }

    public void addOpenOrder(final Side side, final long priceTicks, final long lots)
    {
        openOrderCount++;
        changeOpen(side, priceTicks, lots);
    }

    public void removeOpenOrder(final Side side, final long priceTicks, final long lots)
    {
        openOrderCount--;
        changeOpen(side, priceTicks, -lots);
    }

    /**
     * An open order's open size changed by {@code deltaLots} (negative when filled or shrunk).
     */
    public void changeOpen(final Side side, final long priceTicks, final long deltaLots)
    {
        final long priceLots = Math.multiplyExact(priceTicks, deltaLots);
        if (side == Side.BUY)
        {
            buyOpenLots += deltaLots;
            buyOpenPriceLots += priceLots;
        }
        else
        {
            sellOpenLots += deltaLots;
            sellOpenPriceLots += priceLots;
        }
    }

    /**
     * Sets the position's own fields when a snapshot is loaded; open-order totals are rebuilt from the orders.
     */
    public void restore(
        final long sizeLots,
        final long entryValueMicros,
        final long isolatedMarginMicros,
        final long realizedPnlMicros)
    {
        this.sizeLots = sizeLots;
        this.entryValueMicros = entryValueMicros;
        this.isolatedMarginMicros = isolatedMarginMicros;
        this.realizedPnlMicros = realizedPnlMicros;
    }

    public void marginMode(final MarginMode marginMode)
    {
        this.marginMode = marginMode;
    }

    /**
     * Funding settled up to this index; its cash has moved.
     */
    public void fundingIndex(final long fundingIndex)
    {
        this.fundingIndex = fundingIndex;
    }

    public void addIsolatedMargin(final long deltaMicros)
    {
        isolatedMarginMicros = Math.addExact(isolatedMarginMicros, deltaMicros);
    }

    /**
     * Records a fill of {@code deltaLots} (signed: positive buys) at {@code valueMicros} (the fill's notional,
     * positive), updating size, cost basis and realized PnL. Cash moves elsewhere (cross collateral or the
     * isolated bucket); the cost basis only records it.
     */
    public void applyFill(final long deltaLots, final long valueMicros)
    {
        final long signedValue = deltaLots > 0 ? valueMicros : -valueMicros;
        if (sizeLots == 0 || (sizeLots > 0) == (deltaLots > 0))
        {
            sizeLots = Math.addExact(sizeLots, deltaLots);
            entryValueMicros = Math.addExact(entryValueMicros, signedValue);
            return;
        }

        final long closingLots = Math.min(Math.abs(deltaLots), Math.abs(sizeLots));
        final long closedEntry = FixedMath.mulDivFloor(entryValueMicros, closingLots, Math.abs(sizeLots));
        final long closingValue = FixedMath.mulDivFloor(valueMicros, closingLots, Math.abs(deltaLots));
        // Closing a long sells: PnL = proceeds - cost. Closing a short buys back: PnL = cost - price paid.
        realizedPnlMicros += sizeLots > 0 ? closingValue - closedEntry : -closedEntry - closingValue;
        entryValueMicros -= closedEntry;
        final long openingLots = Math.abs(deltaLots) - closingLots;
        sizeLots += deltaLots;
        if (openingLots > 0)
        {
            entryValueMicros = deltaLots > 0 ? valueMicros - closingValue : -(valueMicros - closingValue);
        }
        else if (sizeLots == 0)
        {
            entryValueMicros = 0;
        }
    }
}
