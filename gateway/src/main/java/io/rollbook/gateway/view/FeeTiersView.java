package io.rollbook.gateway.view;

/**
 * The fee tiers as released {@code FeeTierDefined} events define them (at genesis and by the operator): each defined
 * tier's maker and taker rates, a redefinition replacing them, and tier 0 with no fees until it is defined. What
 * {@code GET /v1/fee-tiers} shows, so that a trader can read the rates of the tier its account settings name.
 *
 * <p>Single writer: the release thread, through {@link ViewUpdater}. Readers on any thread copy the tiers under the
 * view's lock ({@link #read}), so a tier's two rates are always those of one definition. The arrays are fixed at
 * the matcher's tier count: nothing is allocated after construction.
 */
public final class FeeTiersView
{
    /** Fee tiers run from 0 to 255, as the matcher has them. */
    public static final int TIERS = 256;

    private final Object lock = new Object();
    private final boolean[] defined = new boolean[TIERS];
    private final int[] makerFeePpm = new int[TIERS];
    private final int[] takerFeePpm = new int[TIERS];

    public FeeTiersView()
    {
        // As in the matcher's fee schedule: tier 0 exists, charging nothing, before any event defines it, and every
        // account starts in it.
        defined[0] = true;
    }

    /**
     * The defined tiers, in tier order, as one {@link #read} copied them.
     */
    public static final class Snapshot
    {
        private final int[] tiers = new int[TIERS];
        private final int[] makerFeePpm = new int[TIERS];
        private final int[] takerFeePpm = new int[TIERS];
        private int count;

        public int count()
        {
            return count;
        }

        public int tier(final int index)
        {
            return tiers[index];
        }

        /**
         * @return the maker's rate in parts per million of the notional; negative for a rebate
         */
        public int makerFeePpm(final int index)
        {
            return makerFeePpm[index];
        }

        /**
         * @return the taker's rate in parts per million of the notional
         */
        public int takerFeePpm(final int index)
        {
            return takerFeePpm[index];
        }
    }

    /**
     * Copies every defined tier, in tier order.
     */
    public void read(final Snapshot out)
    {
        int count = 0;
        synchronized (lock)
        {
            for (int tier = 0; tier < TIERS; tier++)
            {
                if (defined[tier])
                {
                    out.tiers[count] = tier;
                    out.makerFeePpm[count] = makerFeePpm[tier];
                    out.takerFeePpm[count] = takerFeePpm[tier];
                    count++;
                }
            }
        }
        out.count = count;
    }

    void encode(final ViewSnapshotCursor out)
    {
        synchronized (lock)
        {
            for (int tier = 0; tier < TIERS; tier++)
            {
                out.putByte(defined[tier] ? 1 : 0);
                out.putInt(makerFeePpm[tier]);
                out.putInt(takerFeePpm[tier]);
            }
        }
    }

    void decode(final ViewSnapshotCursor in)
    {
        synchronized (lock)
        {
            for (int tier = 0; tier < TIERS; tier++)
            {
                defined[tier] = in.getByte() != 0;
                makerFeePpm[tier] = in.getInt();
                takerFeePpm[tier] = in.getInt();
            }
        }
    }

    /**
     * A tier was defined or redefined: its rates are the event's.
     */
    void onFeeTierDefined(final int tier, final int makerFeePpm, final int takerFeePpm)
    {
        if (tier < 0 || tier >= TIERS)
        {
            return;
        }
        synchronized (lock)
        {
            this.makerFeePpm[tier] = makerFeePpm;
            this.takerFeePpm[tier] = takerFeePpm;
            defined[tier] = true;
        }
    }
}
