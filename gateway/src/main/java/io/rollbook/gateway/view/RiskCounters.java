package io.rollbook.gateway.view;

import java.util.concurrent.atomic.AtomicLongArray;

import io.rollbook.protocol.engine.BalanceCause;

/**
 * What the liquidation engine did since the journal began, counted from released events for operators
 * ({@code /metrics}): liquidations of cross accounts and of isolated positions, positions taken over by the insurance
 * fund and auto-deleveraged, and the money that moved between liquidated accounts and the fund: remainders it
 * received and deficits (shortfalls) it covered. The fund's balance itself is an account of {@link AccountsView}.
 *
 * <p>Single writer: the release thread, through {@link ViewUpdater} (so at start the journal's history is counted
 * by {@link ViewBootstrap}, and the counts are the same after any restart), which updates them with plain reads
 * and opaque writes (no fence on the release path); any thread reads a value at most a little old, never torn.
 */
public final class RiskCounters
{
    private static final int CROSS_LIQUIDATIONS = 0;
    private static final int ISOLATED_LIQUIDATIONS = 1;
    private static final int INSURANCE_FUND_TAKEOVERS = 2;
    private static final int AUTO_DELEVERAGES = 3;
    private static final int COVERED_MICROS = 4;
    private static final int REMAINDER_MICROS = 5;

    private final AtomicLongArray counts = new AtomicLongArray(6);

    void onLiquidationStarted(final boolean isolated)
    {
        add(isolated ? ISOLATED_LIQUIDATIONS : CROSS_LIQUIDATIONS, 1);
    }

    void onPositionTransferred(final boolean autoDeleveraged)
    {
        add(autoDeleveraged ? AUTO_DELEVERAGES : INSURANCE_FUND_TAKEOVERS, 1);
    }

    /**
     * A balance change: a deficit covered by the fund is the fund's debit (negative) of cause insuranceCover, a
     * remainder the fund's credit (positive) of cause liquidationRemainder; the other side of each is the liquidated
     * account's, which is not counted again.
     */
    void onBalanceChanged(final BalanceCause cause, final long deltaMicros)
    {
        if (cause == BalanceCause.INSURANCE_COVER && deltaMicros < 0)
        {
            add(COVERED_MICROS, -deltaMicros);
        }
        else if (cause == BalanceCause.LIQUIDATION_REMAINDER && deltaMicros > 0)
        {
            add(REMAINDER_MICROS, deltaMicros);
        }
    }

    void encode(final ViewSnapshotCursor out)
    {
        out.putInt(counts.length());
        for (int i = 0; i < counts.length(); i++)
        {
            out.putLong(counts.getPlain(i));
        }
    }

    void decode(final ViewSnapshotCursor in)
    {
        final int encoded = in.getInt();
        if (encoded != counts.length())
        {
            throw new ViewSnapshotException("it holds " + encoded + " risk counters, this build " + counts.length());
        }
        for (int i = 0; i < counts.length(); i++)
        {
            counts.setOpaque(i, in.getLong());
        }
    }

    private void add(final int counter, final long delta)
    {
        counts.setOpaque(counter, counts.getPlain(counter) + delta);
    }

    public long crossLiquidations()
    {
        return counts.getOpaque(CROSS_LIQUIDATIONS);
    }

    public long isolatedLiquidations()
    {
        return counts.getOpaque(ISOLATED_LIQUIDATIONS);
    }

    /**
     * @return liquidated positions (or parts of them) the insurance fund took over
     */
    public long insuranceFundTakeovers()
    {
        return counts.getOpaque(INSURANCE_FUND_TAKEOVERS);
    }

    /**
     * @return liquidated positions (or parts of them) closed against opposite positions (auto-deleveraging)
     */
    public long autoDeleverages()
    {
        return counts.getOpaque(AUTO_DELEVERAGES);
    }

    /**
     * @return micro-USDC of deficits the insurance fund covered: what liquidated accounts and buckets lacked
     */
    public long coveredMicros()
    {
        return counts.getOpaque(COVERED_MICROS);
    }

    /**
     * @return micro-USDC that liquidated accounts and buckets had left, paid to the insurance fund
     */
    public long remainderMicros()
    {
        return counts.getOpaque(REMAINDER_MICROS);
    }
}
