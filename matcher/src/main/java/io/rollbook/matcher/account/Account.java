package io.rollbook.matcher.account;

import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.book.OrderList;
import io.rollbook.protocol.engine.SelfTradePrevention;

/**
 * One account: its cross collateral, its positions (one slot per market it is active in, in the order they were
 * opened), its defaults, and its live orders as a list in acceptance order (what mass cancel walks, so its output is
 * deterministic). Lookups by client order id go through the matcher's one index of live orders, not through the
 * account.
 *
 * <p>Owned by the matcher thread.
 */
public final class Account
{
    private final int id;
    private final OrderList liveOrders = new OrderList();
    private SelfTradePrevention defaultSelfTradePrevention = SelfTradePrevention.EXPIRE_TAKER;
    private int feeTier;
    private long collateralMicros;
    private Position[] positions = new Position[2];
    private int positionCount;
    private int crossPositionCount;

    Account(final int id)
    {
        this.id = id;
    }

    public int id()
    {
        return id;
    }

    public SelfTradePrevention defaultSelfTradePrevention()
    {
        return defaultSelfTradePrevention;
    }

    public void defaultSelfTradePrevention(final SelfTradePrevention mode)
    {
        defaultSelfTradePrevention = mode;
    }

    public int feeTier()
    {
        return feeTier;
    }

    public void feeTier(final int feeTier)
    {
        this.feeTier = feeTier;
    }

    /**
     * @return the cross collateral: deposits less withdrawals, plus or minus every cash flow of the cross positions
     * (fills, fees, funding); may be negative while positions carry the account
     */
    public long collateralMicros()
    {
        return collateralMicros;
    }

    public void addCollateral(final long deltaMicros)
    {
        collateralMicros = Math.addExact(collateralMicros, deltaMicros);
    }

    /**
     * @return how many position slots the account has
     */
    public int positionCount()
    {
        return positionCount;
    }

    /**
     * @return the slot at {@code index}, in the order the slots were opened
     */
    public Position positionAt(final int index)
    {
        return positions[index];
    }

    /**
     * @return how many cross slots hold a non-zero position
     */
    public int crossPositionCount()
    {
        return crossPositionCount;
    }

    public void crossPositionCount(final int count)
    {
        crossPositionCount = count;
    }

    /**
     * @return the account's slot in {@code market}, or null
     */
    public Position position(final int market)
    {
        for (int i = 0; i < positionCount; i++)
        {
            final Position position = positions[i];
            if (position.market() == market)
            {
                return position;
            }
        }

        return null;
    }

    void addPosition(final Position position)
    {
        if (positionCount == positions.length)
        {
            final Position[] grown = new Position[positions.length * 2];
            System.arraycopy(positions, 0, grown, 0, positionCount);
            positions = grown;
        }
        positions[positionCount++] = position;
    }

    void removePosition(final Position position)
    {
        for (int i = 0; i < positionCount; i++)
        {
            if (positions[i] == position)
            {
                System.arraycopy(positions, i + 1, positions, i, positionCount - i - 1);
                positions[--positionCount] = null;
                return;
            }
        }
    }

    public int liveOrderCount()
    {
        return liveOrders.size();
    }

    /**
     * @return the oldest live order; follow {@link Order#nextOfAccount()} for the rest
     */
    public Order firstLiveOrder()
    {
        return liveOrders.first();
    }

    /**
     * Lists a live order for this account, after the ones accepted before it.
     */
    public void addLiveOrder(final Order order)
    {
        liveOrders.append(order);
    }

    public void removeLiveOrder(final Order order)
    {
        liveOrders.remove(order);
    }
}
