package io.rollbook.gateway.view;

import java.util.ArrayDeque;
import java.util.Arrays;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Every account's state as the trader API shows it, built from released events only: cross collateral, fee tier
 * (with the rates of the tiers as defined) and default self-trade prevention mode, positions (size, cost basis,
 * funding index, isolated margin, realized PnL, margin mode), open orders with their prices and sizes, and the most
 * recent fills. The margin figures derived
 * from them (equity, requirements with the worst case of the open orders, free collateral: {@link AccountMargin};
 * liquidation price) are computed by the reader with the oracle prices and funding indices that {@link #read}
 * copies with the account.
 *
 * <p>Single writer: the release thread, through {@link ViewUpdater}. Readers on any thread copy an account under
 * the view's lock ({@link #read}). The lock is the {@link MarketStatsView}'s, and the writer holds it across all
 * the events of a command, so a copy shows the account and its markets' prices as they stood between two commands:
 * never a position already moved by a trade whose fee is not yet charged, nor an oracle price newer than the
 * positions it values. An account's first event allocates its record, and an order takes a record from a pool that
 * grows only when more orders are open than ever before; the steady state allocates nothing.
 */
public final class AccountsView
{
    /** How many recent fills each account keeps. */
    public static final int RECENT_FILLS = 100;
    /** Fee tiers run from 0 to 255, as the matcher has them. */
    private static final int FEE_TIERS = 256;

    private final MarketStatsView prices;
    private final Object lock;
    private final MarketStatsView.Stats price = new MarketStatsView.Stats();
    private final Int2ObjectHashMap<Account> accounts = new Int2ObjectHashMap<>();
    private final Long2LongHashMap openOrderAccounts = new Long2LongHashMap(0);
    private final ArrayDeque<Order> pool = new ArrayDeque<>();
    /** Per fee tier, the higher of its maker and taker rates, never below 0; tier 0 charges nothing until defined. */
    private final int[] worstCaseFeePpm = new int[FEE_TIERS];

    static final class Order
    {
        long orderId;
        long clientOrderId;
        int market;
        int side;
        long priceTicks;
        long sizeLots;
        long remainingLots;
        int orderType;
        int timeInForce;
        int marginMode;
        boolean postOnly;
        boolean reduceOnly;
        boolean resting;
        long sequence;
    }

    static final class Account
    {
        long collateralMicros;
        int feeTier;
        int selfTradePrevention = AccountSnapshot.DEFAULT_SELF_TRADE_PREVENTION;
        int positionCount;
        int[] positionMarkets = new int[4];
        long[] positionFields = new long[4 * AccountSnapshot.P_FIELDS];
        final Long2ObjectHashMap<Order> orders = new Long2ObjectHashMap<>();
        final long[] fills = new long[RECENT_FILLS * AccountSnapshot.F_FIELDS];
        long fillCount;

        int positionSlot(final int market)
        {
            for (int i = 0; i < positionCount; i++)
            {
                if (positionMarkets[i] == market)
                {
                    return i;
                }
            }
            if (positionCount == positionMarkets.length)
            {
                positionMarkets = Arrays.copyOf(positionMarkets, positionCount * 2);
                positionFields = Arrays.copyOf(positionFields, positionCount * 2 * AccountSnapshot.P_FIELDS);
            }
            positionMarkets[positionCount] = market;
            Arrays.fill(positionFields, positionCount * AccountSnapshot.P_FIELDS,
                (positionCount + 1) * AccountSnapshot.P_FIELDS, 0);
            return positionCount++;
        }
    }

    /**
     * @param prices the markets' oracle prices and funding indices, whose lock this view shares
     */
    public AccountsView(final MarketStatsView prices)
    {
        this.prices = prices;
        this.lock = prices.lock();
    }

    /**
     * The lock the writer holds across a command's events.
     */
    Object lock()
    {
        return lock;
    }

    /**
     * Copies an account's state, with the oracle price and funding index of every market it holds a position or
     * an open order in.
     *
     * @return false if no event has named the account yet (out is then emptied)
     */
    public boolean read(final int account, final AccountSnapshot out)
    {
        out.clear(account);
        synchronized (lock)
        {
            out.sequence = prices.appliedSequence();
            final Account state = accounts.get(account);
            if (state == null)
            {
                return false;
            }
            out.collateralMicros = state.collateralMicros;
            out.feeTier = state.feeTier;
            out.selfTradePrevention = state.selfTradePrevention;
            out.worstCaseFeePpm = worstCaseFeePpm[state.feeTier];
            out.ensurePositions(state.positionCount);
            for (int i = 0; i < state.positionCount; i++)
            {
                out.positionMarkets[i] = state.positionMarkets[i];
            }
            System.arraycopy(state.positionFields, 0, out.positionFields, 0,
                state.positionCount * AccountSnapshot.P_FIELDS);
            out.positionCount = state.positionCount;
            for (int i = 0; i < state.positionCount; i++)
            {
                copyPrice(state.positionMarkets[i], out);
            }
            out.ensureOrders(state.orders.size());
            int count = 0;
            final Long2ObjectHashMap<Order>.ValueIterator orders = state.orders.values().iterator();
            while (orders.hasNext())
            {
                final Order order = orders.next();
                if (order.resting)
                {
                    out.putOrder(count++, order);
                    copyPrice(order.market, out);
                }
            }
            out.orderCount = count;
            final int fills = (int)Math.min(state.fillCount, RECENT_FILLS);
            for (int i = 0; i < fills; i++)
            {
                final int slot = (int)((state.fillCount - 1 - i) % RECENT_FILLS);
                System.arraycopy(state.fills, slot * AccountSnapshot.F_FIELDS, out.fills, i * AccountSnapshot.F_FIELDS,
                    AccountSnapshot.F_FIELDS);
            }
            out.fillCount = fills;
        }
        out.sortOrders();
        return true;
    }

    /**
     * Under the lock.
     */
    private void copyPrice(final int market, final AccountSnapshot out)
    {
        if (!out.isPriced(market) && prices.read(market, price))
        {
            out.price(market, price.oraclePriceTicks(), price.fundingIndex());
        }
    }

    /**
     * Release thread, the only writer: every account with its positions, open orders and recent fills, and the fee
     * tiers' worst cases. The map of accounts is walked without the lock (nothing else walks it, and only this
     * thread changes it); each account's orders under it, since a reader's {@link #read} walks the same map.
     */
    void encode(final ViewSnapshotCursor out)
    {
        for (int tier = 0; tier < FEE_TIERS; tier++)
        {
            out.putInt(worstCaseFeePpm[tier]);
        }
        out.putInt(accounts.size());
        final Int2ObjectHashMap<Account>.EntryIterator entries = accounts.entrySet().iterator();
        while (entries.hasNext())
        {
            entries.next();
            out.putInt(entries.getIntKey());
            final Account state = entries.getValue();
            out.putLong(state.collateralMicros);
            out.putInt(state.feeTier);
            out.putInt(state.selfTradePrevention);
            out.putInt(state.positionMarkets.length);
            out.putInt(state.positionCount);
            for (int i = 0; i < state.positionCount; i++)
            {
                out.putInt(state.positionMarkets[i]);
                for (int f = 0; f < AccountSnapshot.P_FIELDS; f++)
                {
                    out.putLong(state.positionFields[i * AccountSnapshot.P_FIELDS + f]);
                }
            }
            synchronized (lock)
            {
                out.putInt(state.orders.size());
                final Long2ObjectHashMap<Order>.ValueIterator orders = state.orders.values().iterator();
                while (orders.hasNext())
                {
                    encode(orders.next(), out);
                }
            }
            out.putLong(state.fillCount);
            out.putLongs(state.fills, 0, (int)Math.min(state.fillCount, RECENT_FILLS) * AccountSnapshot.F_FIELDS);
        }
    }

    private static void encode(final Order order, final ViewSnapshotCursor out)
    {
        out.putLong(order.orderId);
        out.putLong(order.clientOrderId);
        out.putInt(order.market);
        out.putInt(order.side);
        out.putLong(order.priceTicks);
        out.putLong(order.sizeLots);
        out.putLong(order.remainingLots);
        out.putInt(order.orderType);
        out.putInt(order.timeInForce);
        out.putInt(order.marginMode);
        out.putByte((order.postOnly ? 1 : 0) | (order.reduceOnly ? 2 : 0) | (order.resting ? 4 : 0));
        out.putLong(order.sequence);
    }

    /**
     * At start, into a new view; the owners of open orders follow from the accounts' orders.
     */
    void decode(final ViewSnapshotCursor in)
    {
        synchronized (lock)
        {
            for (int tier = 0; tier < FEE_TIERS; tier++)
            {
                worstCaseFeePpm[tier] = in.getInt();
            }
            final int count = in.count(32);
            for (int a = 0; a < count; a++)
            {
                final int account = in.getInt();
                final Account state = new Account();
                if (accounts.put(account, state) != null)
                {
                    throw new ViewSnapshotException("account " + account + " twice");
                }
                state.collateralMicros = in.getLong();
                state.feeTier = in.getInt();
                state.selfTradePrevention = in.getInt();
                if (state.feeTier < 0 || state.feeTier >= FEE_TIERS)
                {
                    throw new ViewSnapshotException("account " + account + " in fee tier " + state.feeTier);
                }
                final int slots = in.count(4);
                final int positions = in.count(4 + 8 * AccountSnapshot.P_FIELDS);
                if (slots < positions || slots == 0)
                {
                    throw new ViewSnapshotException("account " + account + " with " + positions + " positions in " +
                        slots + " slots");
                }
                state.positionMarkets = new int[slots];
                state.positionFields = new long[slots * AccountSnapshot.P_FIELDS];
                for (int i = 0; i < positions; i++)
                {
                    state.positionMarkets[i] = in.getInt();
                    for (int f = 0; f < AccountSnapshot.P_FIELDS; f++)
                    {
                        state.positionFields[i * AccountSnapshot.P_FIELDS + f] = in.getLong();
                    }
                }
                state.positionCount = positions;
                final int orders = in.count(8 * 6 + 4 * 5 + 1);
                for (int i = 0; i < orders; i++)
                {
                    final Order order = decodeOrder(in);
                    state.orders.put(order.orderId, order);
                    openOrderAccounts.put(order.orderId, account);
                }
                final long fillCount = in.getLong();
                if (fillCount < 0)
                {
                    throw new ViewSnapshotException("account " + account + " counts " + fillCount + " fills");
                }
                state.fillCount = fillCount;
                final int used = (int)Math.min(fillCount, RECENT_FILLS) * AccountSnapshot.F_FIELDS;
                for (int i = 0; i < used; i++)
                {
                    state.fills[i] = in.getLong();
                }
            }
        }
    }

    private static Order decodeOrder(final ViewSnapshotCursor in)
    {
        final Order order = new Order();
        order.orderId = in.getLong();
        order.clientOrderId = in.getLong();
        order.market = in.getInt();
        order.side = in.getInt();
        order.priceTicks = in.getLong();
        order.sizeLots = in.getLong();
        order.remainingLots = in.getLong();
        order.orderType = in.getInt();
        order.timeInForce = in.getInt();
        order.marginMode = in.getInt();
        final int flags = in.getByte();
        order.postOnly = (flags & 1) != 0;
        order.reduceOnly = (flags & 2) != 0;
        order.resting = (flags & 4) != 0;
        order.sequence = in.getLong();
        return order;
    }

    /**
     * @return the account that owns the open order, 0 if no open order has this id
     */
    public int ownerOfOpenOrder(final long orderId)
    {
        synchronized (lock)
        {
            return (int)openOrderAccounts.get(orderId);
        }
    }

    private Account account(final int account)
    {
        Account state = accounts.get(account);
        if (state == null)
        {
            state = new Account();
            accounts.put(account, state);
        }
        return state;
    }

    /**
     * A fee tier was defined (or redefined): only its worst case for an open order is kept.
     */
    void onFeeTierDefined(final int tier, final int makerFeePpm, final int takerFeePpm)
    {
        if (tier < 0 || tier >= FEE_TIERS)
        {
            return;
        }
        synchronized (lock)
        {
            worstCaseFeePpm[tier] = Math.max(0, Math.max(makerFeePpm, takerFeePpm));
        }
    }

    /**
     * The account's settings after an operator's change: both as the event gives them, whichever of the two changed.
     *
     * @param selfTradePrevention the engine's SelfTradePrevention value, kept raw: the release thread never fails on
     *                            a mode a newer engine added
     */
    void onAccountConfigured(final int account, final int feeTier, final int selfTradePrevention)
    {
        if (feeTier < 0 || feeTier >= FEE_TIERS)
        {
            return;
        }
        synchronized (lock)
        {
            final Account state = account(account);
            state.feeTier = feeTier;
            state.selfTradePrevention = selfTradePrevention;
        }
    }

    void onBalance(final int account, final long collateralMicros)
    {
        synchronized (lock)
        {
            account(account).collateralMicros = collateralMicros;
        }
    }

    void onPosition(
        final int account,
        final int market,
        final long sizeLots,
        final long entryValueMicros,
        final long fundingIndex,
        final long isolatedMarginMicros,
        final long realizedPnlMicros,
        final long collateralMicros,
        final int marginMode)
    {
        synchronized (lock)
        {
            final Account state = account(account);
            state.collateralMicros = collateralMicros;
            final int at = state.positionSlot(market) * AccountSnapshot.P_FIELDS;
            final long[] fields = state.positionFields;
            fields[at + AccountSnapshot.P_SIZE] = sizeLots;
            fields[at + AccountSnapshot.P_ENTRY_VALUE] = entryValueMicros;
            fields[at + AccountSnapshot.P_FUNDING_INDEX] = fundingIndex;
            fields[at + AccountSnapshot.P_ISOLATED_MARGIN] = isolatedMarginMicros;
            fields[at + AccountSnapshot.P_REALIZED_PNL] = realizedPnlMicros;
            fields[at + AccountSnapshot.P_MARGIN_MODE] = marginMode;
        }
    }

    void onAccepted(
        final int account,
        final long orderId,
        final long clientOrderId,
        final int market,
        final int side,
        final long priceTicks,
        final long sizeLots,
        final int orderType,
        final int timeInForce,
        final int marginMode,
        final boolean postOnly,
        final boolean reduceOnly,
        final long sequence)
    {
        synchronized (lock)
        {
            final Order order = pool.isEmpty() ? new Order() : pool.pollFirst();
            order.orderId = orderId;
            order.clientOrderId = clientOrderId;
            order.market = market;
            order.side = side;
            order.priceTicks = priceTicks;
            order.sizeLots = sizeLots;
            order.remainingLots = sizeLots;
            order.orderType = orderType;
            order.timeInForce = timeInForce;
            order.marginMode = marginMode;
            order.postOnly = postOnly;
            order.reduceOnly = reduceOnly;
            order.resting = false;
            order.sequence = sequence;
            account(account).orders.put(orderId, order);
            openOrderAccounts.put(orderId, account);
        }
    }

    void onResting(final int account, final long orderId, final long priceTicks, final long remainingLots)
    {
        synchronized (lock)
        {
            final Order order = order(account, orderId);
            if (order != null)
            {
                order.resting = true;
                order.priceTicks = priceTicks;
                order.remainingLots = remainingLots;
            }
        }
    }

    void onAmended(
        final int account,
        final long orderId,
        final long priceTicks,
        final long sizeLots,
        final long remainingLots,
        final boolean priorityKept)
    {
        synchronized (lock)
        {
            final Order order = order(account, orderId);
            if (order != null)
            {
                order.priceTicks = priceTicks;
                order.sizeLots = sizeLots;
                order.remainingLots = remainingLots;
                order.resting = priorityKept;
            }
        }
    }

    /**
     * @return the open order's total size (after amends), or -1 if the account has no such open order
     */
    long orderSizeLots(final int account, final long orderId)
    {
        synchronized (lock)
        {
            final Order order = order(account, orderId);
            return order == null ? -1 : order.sizeLots;
        }
    }

    void onEnded(final int account, final long orderId)
    {
        synchronized (lock)
        {
            final Account state = accounts.get(account);
            if (state != null)
            {
                final Order order = state.orders.remove(orderId);
                if (order != null)
                {
                    openOrderAccounts.remove(orderId);
                    pool.addLast(order);
                }
            }
        }
    }

    /**
     * One side of a trade: the order's remaining size, and a fill for the account.
     */
    void onFill(
        final int account,
        final long orderId,
        final long clientOrderId,
        final long remainingLots,
        final int market,
        final int side,
        final long priceTicks,
        final long sizeLots,
        final long feeMicros,
        final boolean maker,
        final long tradeId,
        final long sequence,
        final long timestampNs)
    {
        synchronized (lock)
        {
            final Account state = account(account);
            final int at = (int)(state.fillCount % RECENT_FILLS) * AccountSnapshot.F_FIELDS;
            final long[] fills = state.fills;
            fills[at + AccountSnapshot.F_TRADE_ID] = tradeId;
            fills[at + AccountSnapshot.F_ORDER_ID] = orderId;
            fills[at + AccountSnapshot.F_CLIENT_ORDER_ID] = clientOrderId;
            fills[at + AccountSnapshot.F_MARKET] = market;
            fills[at + AccountSnapshot.F_SIDE] = side;
            fills[at + AccountSnapshot.F_PRICE] = priceTicks;
            fills[at + AccountSnapshot.F_SIZE] = sizeLots;
            fills[at + AccountSnapshot.F_FEE] = feeMicros;
            fills[at + AccountSnapshot.F_MAKER] = maker ? 1 : 0;
            fills[at + AccountSnapshot.F_SEQUENCE] = sequence;
            fills[at + AccountSnapshot.F_TIMESTAMP] = timestampNs;
            state.fillCount++;
            final Order order = state.orders.get(orderId);
            if (order != null)
            {
                order.remainingLots = remainingLots;
            }
        }
        if (remainingLots == 0)
        {
            onEnded(account, orderId);
        }
    }

    private Order order(final int account, final long orderId)
    {
        final Account state = accounts.get(account);
        return state == null ? null : state.orders.get(orderId);
    }
}
