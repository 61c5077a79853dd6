package io.rollbook.gateway.view;

/**
 * What {@link OrderStateView} knows of one order named by account and client order id. A mutable holder its
 * caller owns and reuses, so a lookup allocates nothing.
 */
public final class OrderState
{
    /** Not known: never placed, rejected, or ended so long ago that the view forgot it. */
    public static final int NONE = -1;
    /** Published for sequencing, not released yet. */
    public static final int PENDING = 0;
    public static final int LIVE = 1;
    public static final int FILLED = 2;
    public static final int CANCELED = 3;

    int status = NONE;
    long orderId;
    int market;
    long filledLots;

    public int status()
    {
        return status;
    }

    /**
     * @return the order id the matcher gave it, or {@link Long#MIN_VALUE} while it is pending
     */
    public long orderId()
    {
        return orderId;
    }

    public int market()
    {
        return market;
    }

    /**
     * @return for an ended order, the lots it filled in all (an IOC or market order canceled with some filled, an
     *         order canceled after partial fills); 0 while it is pending or live
     */
    public long filledLots()
    {
        return filledLots;
    }

    public static String describe(final int status)
    {
        switch (status)
        {
            case PENDING:
                return "pending";
            case LIVE:
                return "live";
            case FILLED:
                return "filled";
            case CANCELED:
                return "canceled";
            default:
                return "unknown";
        }
    }
}
