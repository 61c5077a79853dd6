package io.rollbook.gateway.view;

/**
 * Every account's orders by client order id: pending (published, not released yet), live, and recently ended
 * (filled or canceled), built from released events. This is what makes the inbound flow idempotent: a gateway
 * {@link #claim claims} an account's client order id before it publishes a new order, and a resend of an id that is
 * pending, live or recently ended is answered from here instead of being executed twice. The matcher on its own
 * only refuses ids of live orders; once an order ends its id is free there, and only this view remembers it.
 *
 * <p>"Recently" is a window of the last {@code endedWindow} orders that ended, across all accounts: older ended
 * entries are forgotten first in, first out. Live and pending entries are never forgotten.
 *
 * <p>Thread-safe: striped by a hash of (account, client order id), each stripe a primitive open-addressing table
 * under its own lock. Event loops claim and release ids; the release thread records acceptance and ends. Nothing
 * is allocated per operation but for the rare growth of a stripe's table.
 */
public final class OrderStateView
{
    private static final int STRIPE_BITS = 6;
    static final int STRIPES = 1 << STRIPE_BITS;
    private static final long NO_ORDER_ID = Long.MIN_VALUE;

    private final Stripe[] stripes = new Stripe[STRIPES];

    /**
     * @param endedWindow how many ended orders to remember, across all accounts
     */
    public OrderStateView(final int endedWindow)
    {
        if (endedWindow < STRIPES)
        {
            throw new IllegalArgumentException("the window of ended orders must be at least " + STRIPES + ", got " +
                endedWindow);
        }
        final int perStripe = Integer.highestOneBit(Math.max(16, endedWindow / STRIPES - 1) << 1);
        for (int i = 0; i < STRIPES; i++)
        {
            stripes[i] = new Stripe(perStripe);
        }
    }

    /**
     * Before publishing a new order: takes the id if nothing is known of it, as {@link OrderState#PENDING}.
     *
     * @param out receives what is known when the id is taken already
     * @return {@link OrderState#NONE} if the id was free and is now pending; otherwise its status, and the caller
     *         must not publish
     */
    public int claim(final int account, final long clientOrderId, final int market, final OrderState out)
    {
        final long hash = hash(account, clientOrderId);
        final Stripe stripe = stripes[(int)(hash >>> (64 - STRIPE_BITS))];
        synchronized (stripe)
        {
            final int slot = stripe.find(account, clientOrderId, hash);
            if (slot >= 0)
            {
                return stripe.read(slot, out);
            }
            stripe.insert(account, clientOrderId, hash, OrderState.PENDING, NO_ORDER_ID, market, 0);
            out.status = OrderState.NONE;
            return OrderState.NONE;
        }
    }

    /**
     * The claimed order was not published after all (the ring was full): frees the id.
     */
    public void unclaim(final int account, final long clientOrderId)
    {
        removeIfPending(account, clientOrderId);
    }

    /**
     * @return the id's status, {@link OrderState#NONE} if nothing is known; {@code out} receives the rest
     */
    public int lookup(final int account, final long clientOrderId, final OrderState out)
    {
        final long hash = hash(account, clientOrderId);
        final Stripe stripe = stripes[(int)(hash >>> (64 - STRIPE_BITS))];
        synchronized (stripe)
        {
            final int slot = stripe.find(account, clientOrderId, hash);
            if (slot < 0)
            {
                out.status = OrderState.NONE;
                return OrderState.NONE;
            }
            return stripe.read(slot, out);
        }
    }

    /**
     * @return how many entries the view holds (pending, live and remembered)
     */
    public int size()
    {
        int size = 0;
        for (final Stripe stripe : stripes)
        {
            synchronized (stripe)
            {
                size += stripe.size;
            }
        }
        return size;
    }

    /**
     * @param sequence the command's: a stripe read from a view snapshot that holds it already is left as it is
     */
    void onAccepted(final int account, final long clientOrderId, final long orderId, final int market,
        final long sequence)
    {
        final long hash = hash(account, clientOrderId);
        final Stripe stripe = stripes[(int)(hash >>> (64 - STRIPE_BITS))];
        synchronized (stripe)
        {
            if (sequence <= stripe.coveredThrough)
            {
                return;
            }
            final int slot = stripe.find(account, clientOrderId, hash);
            if (slot >= 0)
            {
                stripe.statuses[slot] = (byte)OrderState.LIVE;
                stripe.orderIds[slot] = orderId;
                stripe.markets[slot] = market;
            }
            else
            {
                stripe.insert(account, clientOrderId, hash, OrderState.LIVE, orderId, market, 0);
            }
        }
    }

    void onPlaceRejected(final int account, final long clientOrderId)
    {
        removeIfPending(account, clientOrderId);
    }

    /**
     * @param filledLots what the order filled in all, which its status alone does not say: a trader who lost the
     *                   answer to an IOC order must learn that it traded before it was canceled
     * @param sequence   the command's: a stripe read from a view snapshot that holds it already is left as it is
     */
    void onEnded(final int account, final long clientOrderId, final long orderId, final boolean filled,
        final long filledLots, final long sequence)
    {
        final long hash = hash(account, clientOrderId);
        final Stripe stripe = stripes[(int)(hash >>> (64 - STRIPE_BITS))];
        synchronized (stripe)
        {
            if (sequence <= stripe.coveredThrough)
            {
                return;
            }
            final int slot = stripe.find(account, clientOrderId, hash);
            if (slot >= 0 && stripe.orderIds[slot] == orderId && stripe.statuses[slot] == OrderState.LIVE)
            {
                stripe.statuses[slot] = (byte)(filled ? OrderState.FILLED : OrderState.CANCELED);
                stripe.filledLots[slot] = filledLots;
                stripe.remember(account, clientOrderId);
            }
        }
    }

    private void removeIfPending(final int account, final long clientOrderId)
    {
        final long hash = hash(account, clientOrderId);
        final Stripe stripe = stripes[(int)(hash >>> (64 - STRIPE_BITS))];
        synchronized (stripe)
        {
            final int slot = stripe.find(account, clientOrderId, hash);
            if (slot >= 0 && stripe.statuses[slot] == OrderState.PENDING)
            {
                stripe.removeAt(slot);
            }
        }
    }

    /**
     * Release thread, the stripe count written before ({@link ViewSnapshotCodec}): writes one stripe's live and
     * ended orders with its ring of ended ones under its lock (the event loops claim ids meanwhile), after the last
     * sequence the stripe holds. A view snapshot writes its stripes one at a time, between batches, so that the
     * release thread never stops for the whole view; a start applies to each stripe only the commands after its own
     * sequence. Pending ids are left out: they belong to commands not released yet, and a start from the snapshot
     * would otherwise keep them taken for good.
     *
     * @param lastSequence the last command whose events the views hold now
     */
    void encodeStripe(final int stripeIndex, final ViewSnapshotCursor out, final long lastSequence)
    {
        final Stripe stripe = stripes[stripeIndex];
        synchronized (stripe)
        {
            out.putLong(lastSequence);
            stripe.encode(out);
        }
    }

    /**
     * @return the highest sequence a stripe read from a view snapshot holds, 0 without one: the journal must hold it
     */
    long coveredThrough()
    {
        long covered = 0;
        for (final Stripe stripe : stripes)
        {
            synchronized (stripe)
            {
                covered = Math.max(covered, stripe.coveredThrough);
            }
        }
        return covered;
    }

    /**
     * At start, once the journal after the view snapshot was applied past {@link #coveredThrough}: the view is then
     * the one a read from genesis gives.
     */
    void forgetCovered()
    {
        for (final Stripe stripe : stripes)
        {
            synchronized (stripe)
            {
                stripe.coveredThrough = 0;
            }
        }
    }

    /**
     * @return how many bytes its stripes take in a view snapshot once the view holds what its tables were sized for
     *         at construction: every stripe's window of ended orders full and a quarter as many live ones
     */
    long steadyStateEncodedLength()
    {
        long length = Integer.BYTES;
        for (final Stripe stripe : stripes)
        {
            final long ended = stripe.endedMask + 1L;
            length += Long.BYTES + Stripe.ENCODED_HEADER + (ended + ended / 4) * Stripe.ENCODED_ENTRY +
                ended * Stripe.ENCODED_ENDED;
        }
        return length;
    }

    /**
     * At start, into a new view: the stripe count and the stripes as {@link #encodeStripe} wrote them.
     */
    void decode(final ViewSnapshotCursor in)
    {
        final int stripeCount = in.getInt();
        if (stripeCount != STRIPES)
        {
            throw new ViewSnapshotException("the order view has " + stripeCount + " stripes, this build " + STRIPES);
        }
        for (final Stripe stripe : stripes)
        {
            synchronized (stripe)
            {
                final long covered = in.getLong();
                if (covered < 0)
                {
                    throw new ViewSnapshotException("an order view stripe holding sequence " + covered);
                }
                stripe.coveredThrough = covered;
                stripe.decode(in);
            }
        }
    }

    static long hash(final int account, final long clientOrderId)
    {
        long h = clientOrderId * 0x9E3779B97F4A7C15L + account;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }

    /**
     * One lock's share: a linear-probing table (account 0 marks an empty slot; accounts start at 1) and the ring of
     * the ended orders it remembers, oldest first.
     */
    private static final class Stripe
    {
        private static final int MIN_TABLE_CAPACITY = 1024;
        /** What {@link #encode} writes besides the entries: table capacity, count, ring capacity, head and tail. */
        static final int ENCODED_HEADER = Integer.BYTES * 3 + Long.BYTES * 2;
        /** Account, client order id, order id, market, filled lots and status of one table entry. */
        static final int ENCODED_ENTRY = Integer.BYTES * 2 + Long.BYTES * 3 + Byte.BYTES;
        /** Account and client order id of one remembered ended order. */
        static final int ENCODED_ENDED = Integer.BYTES + Long.BYTES;

        int[] accounts;
        long[] clientOrderIds;
        long[] orderIds;
        int[] markets;
        long[] filledLots;
        byte[] statuses;
        int mask;
        int size;
        /** The last sequence this stripe held when a view snapshot took it, if it was read from one; else 0. */
        long coveredThrough;

        final int[] endedAccounts;
        final long[] endedClientOrderIds;
        final int endedMask;
        long endedHead;
        long endedTail;

        Stripe(final int endedCapacity)
        {
            allocate(tableCapacity(endedCapacity));
            endedAccounts = new int[endedCapacity];
            endedClientOrderIds = new long[endedCapacity];
            endedMask = endedCapacity - 1;
        }

        /**
         * Room at half load for a full window of ended orders and a quarter as many live ones: the size the table
         * reaches in steady state anyway, taken at start so that a busy gateway never grows and rehashes it on its
         * event loop, nor leaves the old tables for the collector to copy.
         */
        private static int tableCapacity(final int endedCapacity)
        {
            final long entries = endedCapacity + endedCapacity / 4L;
            return (int)Math.max(MIN_TABLE_CAPACITY, Long.highestOneBit(entries * 2 - 1) << 1);
        }

        private void allocate(final int capacity)
        {
            accounts = new int[capacity];
            clientOrderIds = new long[capacity];
            orderIds = new long[capacity];
            markets = new int[capacity];
            filledLots = new long[capacity];
            statuses = new byte[capacity];
            mask = capacity - 1;
        }

        int find(final int account, final long clientOrderId, final long hash)
        {
            int slot = (int)hash & mask;
            while (accounts[slot] != 0)
            {
                if (accounts[slot] == account && clientOrderIds[slot] == clientOrderId)
                {
                    return slot;
                }
                slot = (slot + 1) & mask;
            }
            return -1;
        }

        int read(final int slot, final OrderState out)
        {
            out.status = statuses[slot];
            out.orderId = orderIds[slot];
            out.market = markets[slot];
            out.filledLots = filledLots[slot];
            return out.status;
        }

        void insert(
            final int account,
            final long clientOrderId,
            final long hash,
            final int status,
            final long orderId,
            final int market,
            final long filled)
        {
            if ((size + 1) * 2 > accounts.length)
            {
                grow();
            }
            int slot = (int)hash & mask;
            while (accounts[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            accounts[slot] = account;
            clientOrderIds[slot] = clientOrderId;
            orderIds[slot] = orderId;
            markets[slot] = market;
            filledLots[slot] = filled;
            statuses[slot] = (byte)status;
            size++;
        }

        void remember(final int account, final long clientOrderId)
        {
            if (endedTail - endedHead > endedMask)
            {
                final int oldest = (int)(endedHead & endedMask);
                endedHead++;
                final int oldAccount = endedAccounts[oldest];
                final long oldId = endedClientOrderIds[oldest];
                final int slot = find(oldAccount, oldId, hash(oldAccount, oldId));
                if (slot >= 0 && (statuses[slot] == OrderState.FILLED || statuses[slot] == OrderState.CANCELED))
                {
                    removeAt(slot);
                }
            }
            final int next = (int)(endedTail & endedMask);
            endedAccounts[next] = account;
            endedClientOrderIds[next] = clientOrderId;
            endedTail++;
        }

        /**
         * The entries go out in table order from the slot after an empty one, so that inserting them in that order
         * into a table of the same capacity puts each where it was: every entry's probe from its home slot then
         * finds the slots before it taken, as they were.
         */
        void encode(final ViewSnapshotCursor out)
        {
            out.putInt(accounts.length);
            int start = 0;
            while (accounts[start] != 0)
            {
                start++;
            }
            final int countAt = out.position();
            out.putInt(0);
            int count = 0;
            for (int i = 1; i <= accounts.length; i++)
            {
                final int slot = (start + i) & mask;
                if (accounts[slot] != 0 && statuses[slot] != OrderState.PENDING)
                {
                    out.putInt(accounts[slot]);
                    out.putLong(clientOrderIds[slot]);
                    out.putLong(orderIds[slot]);
                    out.putInt(markets[slot]);
                    out.putLong(filledLots[slot]);
                    out.putByte(statuses[slot]);
                    count++;
                }
            }
            out.putIntAt(countAt, count);
            out.putInt(endedMask + 1);
            out.putLong(endedHead);
            out.putLong(endedTail);
            for (long t = endedHead; t < endedTail; t++)
            {
                final int at = (int)(t & endedMask);
                out.putInt(endedAccounts[at]);
                out.putLong(endedClientOrderIds[at]);
            }
        }

        void decode(final ViewSnapshotCursor in)
        {
            final int capacity = in.getInt();
            if (capacity < MIN_TABLE_CAPACITY || Integer.bitCount(capacity) != 1)
            {
                throw new ViewSnapshotException("an order view table of " + capacity + " slots");
            }
            if (capacity != accounts.length)
            {
                allocate(capacity);
            }
            size = 0;
            final int count = in.count(ENCODED_ENTRY);
            if (count * 2L > capacity)
            {
                throw new ViewSnapshotException(count + " orders in an order view table of " + capacity + " slots");
            }
            for (int i = 0; i < count; i++)
            {
                final int account = in.getInt();
                final long clientOrderId = in.getLong();
                final long orderId = in.getLong();
                final int market = in.getInt();
                final long filled = in.getLong();
                final int status = in.getByte();
                if (account == 0 || status < OrderState.LIVE || status > OrderState.CANCELED)
                {
                    throw new ViewSnapshotException("order view entry of account " + account + " with status " +
                        status);
                }
                insert(account, clientOrderId, hash(account, clientOrderId), status, orderId, market, filled);
            }
            final int endedCapacity = in.getInt();
            if (endedCapacity != endedMask + 1)
            {
                throw new ViewSnapshotException("it remembers " + endedCapacity + " ended orders a stripe, this " +
                    "configuration " + (endedMask + 1) + " (gateway.endedOrdersRemembered changed)");
            }
            final long head = in.getLong();
            final long tail = in.getLong();
            if (head < 0 || tail < head || tail - head > endedCapacity)
            {
                throw new ViewSnapshotException("a ring of ended orders from " + head + " to " + tail);
            }
            endedHead = head;
            endedTail = tail;
            for (long t = head; t < tail; t++)
            {
                final int at = (int)(t & endedMask);
                endedAccounts[at] = in.getInt();
                endedClientOrderIds[at] = in.getLong();
            }
        }

        void removeAt(final int removed)
        {
            int hole = removed;
            int next = hole;
            while (true)
            {
                next = (next + 1) & mask;
                if (accounts[next] == 0)
                {
                    break;
                }
                final int home = (int)hash(accounts[next], clientOrderIds[next]) & mask;
                final boolean stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
                if (!stays)
                {
                    accounts[hole] = accounts[next];
                    clientOrderIds[hole] = clientOrderIds[next];
                    orderIds[hole] = orderIds[next];
                    markets[hole] = markets[next];
                    filledLots[hole] = filledLots[next];
                    statuses[hole] = statuses[next];
                    hole = next;
                }
            }
            // The vacated slot is emptied whole, so that the table is a function of its entries.
            accounts[hole] = 0;
            clientOrderIds[hole] = 0;
            orderIds[hole] = 0;
            markets[hole] = 0;
            filledLots[hole] = 0;
            statuses[hole] = 0;
            size--;
        }

        private void grow()
        {
            final int[] oldAccounts = accounts;
            final long[] oldClientOrderIds = clientOrderIds;
            final long[] oldOrderIds = orderIds;
            final int[] oldMarkets = markets;
            final long[] oldFilledLots = filledLots;
            final byte[] oldStatuses = statuses;
            allocate(oldAccounts.length * 2);
            size = 0;
            for (int i = 0; i < oldAccounts.length; i++)
            {
                if (oldAccounts[i] != 0)
                {
                    insert(oldAccounts[i], oldClientOrderIds[i], hash(oldAccounts[i], oldClientOrderIds[i]),
                        oldStatuses[i], oldOrderIds[i], oldMarkets[i], oldFilledLots[i]);
                }
            }
        }
    }
}
