package io.rollbook.gateway.view;

import java.util.Arrays;

import io.rollbook.protocol.engine.SelfTradePrevention;

/**
 * A reader's copy of one account from {@link AccountsView}: collateral, fee tier and default self-trade prevention,
 * the highest fee rate its orders can pay, positions, open orders (by ascending order id) and recent fills (newest
 * first), and the oracle price and funding index of each market they are in, as they stood when the account was
 * copied. Reused by its owner from one read to the next.
 *
 * <p>Not thread-safe: filled and read by one thread.
 */
public final class AccountSnapshot
{
    static final int P_SIZE = 0;
    static final int P_ENTRY_VALUE = 1;
    static final int P_FUNDING_INDEX = 2;
    static final int P_ISOLATED_MARGIN = 3;
    static final int P_REALIZED_PNL = 4;
    static final int P_MARGIN_MODE = 5;
    static final int P_FIELDS = 6;

    static final int O_ORDER_ID = 0;
    static final int O_CLIENT_ORDER_ID = 1;
    static final int O_MARKET = 2;
    static final int O_SIDE = 3;
    static final int O_PRICE = 4;
    static final int O_SIZE = 5;
    static final int O_REMAINING = 6;
    static final int O_TYPE = 7;
    static final int O_TIF = 8;
    static final int O_MARGIN_MODE = 9;
    static final int O_FLAGS = 10;
    static final int O_SEQUENCE = 11;
    static final int O_FIELDS = 12;

    static final int F_TRADE_ID = 0;
    static final int F_ORDER_ID = 1;
    static final int F_CLIENT_ORDER_ID = 2;
    static final int F_MARKET = 3;
    static final int F_SIDE = 4;
    static final int F_PRICE = 5;
    static final int F_SIZE = 6;
    static final int F_FEE = 7;
    static final int F_MAKER = 8;
    static final int F_SEQUENCE = 9;
    static final int F_TIMESTAMP = 10;
    static final int F_FIELDS = 11;

    /** An account's default self-trade prevention until an operator sets one: the matcher's, EXPIRE_TAKER. */
    static final int DEFAULT_SELF_TRADE_PREVENTION = SelfTradePrevention.EXPIRE_TAKER.value();

    int account;
    long sequence;
    long collateralMicros;
    int feeTier;
    int selfTradePrevention;
    int worstCaseFeePpm;
    int positionCount;
    int[] positionMarkets = new int[8];
    long[] positionFields = new long[8 * P_FIELDS];
    int orderCount;
    long[] orders = new long[64 * O_FIELDS];
    int fillCount;
    final long[] fills = new long[AccountsView.RECENT_FILLS * F_FIELDS];
    int pricedCount;
    int[] pricedMarkets = new int[8];
    long[] pricedOracleTicks = new long[8];
    long[] pricedFundingIndex = new long[8];

    void clear(final int account)
    {
        this.account = account;
        collateralMicros = 0;
        feeTier = 0;
        selfTradePrevention = DEFAULT_SELF_TRADE_PREVENTION;
        worstCaseFeePpm = 0;
        positionCount = 0;
        orderCount = 0;
        fillCount = 0;
        pricedCount = 0;
    }

    boolean isPriced(final int market)
    {
        return pricedSlot(market) >= 0;
    }

    void price(final int market, final long oracleTicks, final long fundingIndex)
    {
        if (pricedCount == pricedMarkets.length)
        {
            pricedMarkets = Arrays.copyOf(pricedMarkets, pricedCount * 2);
            pricedOracleTicks = Arrays.copyOf(pricedOracleTicks, pricedCount * 2);
            pricedFundingIndex = Arrays.copyOf(pricedFundingIndex, pricedCount * 2);
        }
        pricedMarkets[pricedCount] = market;
        pricedOracleTicks[pricedCount] = oracleTicks;
        pricedFundingIndex[pricedCount] = fundingIndex;
        pricedCount++;
    }

    private int pricedSlot(final int market)
    {
        for (int i = 0; i < pricedCount; i++)
        {
            if (pricedMarkets[i] == market)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @return the market's oracle price in ticks when the account was copied; 0 if it had none, or if the account
     *         holds neither a position nor an open order there
     */
    public long oraclePriceTicks(final int market)
    {
        final int slot = pricedSlot(market);
        return slot < 0 ? 0 : pricedOracleTicks[slot];
    }

    /**
     * @return the market's cumulative funding index when the account was copied (0 under the same conditions as
     *         {@link #oraclePriceTicks})
     */
    public long marketFundingIndex(final int market)
    {
        final int slot = pricedSlot(market);
        return slot < 0 ? 0 : pricedFundingIndex[slot];
    }

    void ensurePositions(final int count)
    {
        if (positionMarkets.length < count)
        {
            positionMarkets = new int[count * 2];
            positionFields = new long[count * 2 * P_FIELDS];
        }
    }

    void ensureOrders(final int count)
    {
        if (orders.length < count * O_FIELDS)
        {
            orders = new long[count * 2 * O_FIELDS];
        }
    }

    void putOrder(final int index, final AccountsView.Order order)
    {
        final int at = index * O_FIELDS;
        orders[at + O_ORDER_ID] = order.orderId;
        orders[at + O_CLIENT_ORDER_ID] = order.clientOrderId;
        orders[at + O_MARKET] = order.market;
        orders[at + O_SIDE] = order.side;
        orders[at + O_PRICE] = order.priceTicks;
        orders[at + O_SIZE] = order.sizeLots;
        orders[at + O_REMAINING] = order.remainingLots;
        orders[at + O_TYPE] = order.orderType;
        orders[at + O_TIF] = order.timeInForce;
        orders[at + O_MARGIN_MODE] = order.marginMode;
        orders[at + O_FLAGS] = (order.postOnly ? 1 : 0) | (order.reduceOnly ? 2 : 0);
        orders[at + O_SEQUENCE] = order.sequence;
    }

    void sortOrders()
    {
        for (int i = 1; i < orderCount; i++)
        {
            for (int j = i; j > 0 && orders[(j - 1) * O_FIELDS] > orders[j * O_FIELDS]; j--)
            {
                swap(j - 1, j);
            }
        }
    }

    private void swap(final int a, final int b)
    {
        final long[] tmp = Arrays.copyOfRange(orders, a * O_FIELDS, (a + 1) * O_FIELDS);
        System.arraycopy(orders, b * O_FIELDS, orders, a * O_FIELDS, O_FIELDS);
        System.arraycopy(tmp, 0, orders, b * O_FIELDS, O_FIELDS);
    }

    /**
     * @return the journal sequence of the last command this copy reflects: a subscriber drops the events of that
     *         command and earlier ones, which the copy holds already
     */
    public long sequence()
    {
        return sequence;
    }

    public int account()
    {
        return account;
    }

    public long collateralMicros()
    {
        return collateralMicros;
    }

    /**
     * @return the account's fee tier (0 until an operator sets one)
     */
    public int feeTier()
    {
        return feeTier;
    }

    /**
     * @return the engine's SelfTradePrevention value of the account's default mode (EXPIRE_TAKER until an operator
     *         sets one)
     */
    public int selfTradePrevention()
    {
        return selfTradePrevention;
    }

    /**
     * @return the highest rate, maker or taker, of the account's fee tier in parts per million, 0 for a tier whose
     * makers get a rebate and takers pay nothing: what worst-case margin counts as the fee of an open order
     */
    public int worstCaseFeePpm()
    {
        return worstCaseFeePpm;
    }

    public int positionCount()
    {
        return positionCount;
    }

    public int positionMarket(final int i)
    {
        return positionMarkets[i];
    }

    /**
     * @return signed lots, positive long
     */
    public long positionSizeLots(final int i)
    {
        return positionFields[i * P_FIELDS + P_SIZE];
    }

    public long positionEntryValueMicros(final int i)
    {
        return positionFields[i * P_FIELDS + P_ENTRY_VALUE];
    }

    public long positionFundingIndex(final int i)
    {
        return positionFields[i * P_FIELDS + P_FUNDING_INDEX];
    }

    public long positionIsolatedMarginMicros(final int i)
    {
        return positionFields[i * P_FIELDS + P_ISOLATED_MARGIN];
    }

    public long positionRealizedPnlMicros(final int i)
    {
        return positionFields[i * P_FIELDS + P_REALIZED_PNL];
    }

    /**
     * @return the engine's MarginMode value (0 cross, 1 isolated)
     */
    public int positionMarginMode(final int i)
    {
        return (int)positionFields[i * P_FIELDS + P_MARGIN_MODE];
    }

    public int orderCount()
    {
        return orderCount;
    }

    public long orderId(final int i)
    {
        return orders[i * O_FIELDS + O_ORDER_ID];
    }

    public long orderClientOrderId(final int i)
    {
        return orders[i * O_FIELDS + O_CLIENT_ORDER_ID];
    }

    public int orderMarket(final int i)
    {
        return (int)orders[i * O_FIELDS + O_MARKET];
    }

    /**
     * @return the engine's Side value (0 buy, 1 sell)
     */
    public int orderSide(final int i)
    {
        return (int)orders[i * O_FIELDS + O_SIDE];
    }

    public long orderPriceTicks(final int i)
    {
        return orders[i * O_FIELDS + O_PRICE];
    }

    public long orderSizeLots(final int i)
    {
        return orders[i * O_FIELDS + O_SIZE];
    }

    public long orderRemainingLots(final int i)
    {
        return orders[i * O_FIELDS + O_REMAINING];
    }

    /**
     * @return the engine's TimeInForce value
     */
    public int orderTimeInForce(final int i)
    {
        return (int)orders[i * O_FIELDS + O_TIF];
    }

    /**
     * @return the engine's MarginMode value
     */
    public int orderMarginMode(final int i)
    {
        return (int)orders[i * O_FIELDS + O_MARGIN_MODE];
    }

    public boolean orderPostOnly(final int i)
    {
        return (orders[i * O_FIELDS + O_FLAGS] & 1) != 0;
    }

    public boolean orderReduceOnly(final int i)
    {
        return (orders[i * O_FIELDS + O_FLAGS] & 2) != 0;
    }

    /**
     * @return the journal sequence of the command that placed it
     */
    public long orderSequence(final int i)
    {
        return orders[i * O_FIELDS + O_SEQUENCE];
    }

    /**
     * @return the index of the open order with this id, -1 if there is none
     */
    public int findOrder(final long orderId)
    {
        for (int i = 0; i < orderCount; i++)
        {
            if (orders[i * O_FIELDS + O_ORDER_ID] == orderId)
            {
                return i;
            }
        }
        return -1;
    }

    public int fillCount()
    {
        return fillCount;
    }

    public long fillTradeId(final int i)
    {
        return fills[i * F_FIELDS + F_TRADE_ID];
    }

    public long fillOrderId(final int i)
    {
        return fills[i * F_FIELDS + F_ORDER_ID];
    }

    public long fillClientOrderId(final int i)
    {
        return fills[i * F_FIELDS + F_CLIENT_ORDER_ID];
    }

    public int fillMarket(final int i)
    {
        return (int)fills[i * F_FIELDS + F_MARKET];
    }

    /**
     * @return the account's side in the fill (0 buy, 1 sell)
     */
    public int fillSide(final int i)
    {
        return (int)fills[i * F_FIELDS + F_SIDE];
    }

    public long fillPriceTicks(final int i)
    {
        return fills[i * F_FIELDS + F_PRICE];
    }

    public long fillSizeLots(final int i)
    {
        return fills[i * F_FIELDS + F_SIZE];
    }

    public long fillFeeMicros(final int i)
    {
        return fills[i * F_FIELDS + F_FEE];
    }

    public boolean fillMaker(final int i)
    {
        return fills[i * F_FIELDS + F_MAKER] != 0;
    }

    public long fillSequence(final int i)
    {
        return fills[i * F_FIELDS + F_SEQUENCE];
    }

    public long fillTimestampNs(final int i)
    {
        return fills[i * F_FIELDS + F_TIMESTAMP];
    }
}
