package io.rollbook.gateway.view;

/**
 * The encoding of the gateway's views and the retransmission index in a view snapshot: every view's tables and
 * rings in a fixed order (markets, market data books with their channel sequences, market statistics with their
 * trade rings, fee tiers, risk counters, accounts with their orders and fill rings, the journal index, the client
 * order ids with their rings of ended orders), each view writing and reading its own part. Little-endian; the file
 * around it ({@link ViewSnapshotFile}) carries the checksum and what it covers.
 *
 * <p>Encoding runs on the release thread, the views' one writer (the order view's stripes are taken under their
 * locks, since the event loops claim ids in them): everything but the order view's stripes at the batch the file
 * names ({@link #encodeHead}), the stripes last, each with the sequence it holds, one or several at a time
 * ({@link #encodeStripe}). Decoding fills new views at start, before anyone reads them.
 */
final class ViewSnapshotCodec
{
    private ViewSnapshotCodec()
    {
    }

    /**
     * Everything but the order view's stripes, as the views are now; the stripes follow, {@link #encodeStripe}.
     */
    static void encodeHead(final GatewayViews views, final JournalIndex index, final ViewSnapshotCursor out)
    {
        views.markets().encode(out);
        views.marketData().encode(out);
        views.marketStats().encode(out);
        views.feeTiers().encode(out);
        views.risk().encode(out);
        views.accounts().encode(out);
        index.encode(out);
        out.putInt(OrderStateView.STRIPES);
    }

    /**
     * The order view's stripe of that index as it is now, with the sequence the views hold.
     */
    static void encodeStripe(final GatewayViews views, final int stripe, final ViewSnapshotCursor out)
    {
        views.orders().encodeStripe(stripe, out, views.updater().lastSequence());
    }

    /**
     * @param views new views of the snapshot's sequence, market capacity and window of ended orders
     * @param index an empty index
     * @throws ViewSnapshotException if the bytes are not an encoding of views like these
     */
    static void decode(final ViewSnapshotCursor in, final GatewayViews views, final JournalIndex index)
    {
        views.markets().decode(in);
        views.marketData().decode(in);
        views.marketStats().decode(in);
        views.feeTiers().decode(in);
        views.risk().decode(in);
        views.accounts().decode(in);
        index.decode(in);
        views.orders().decode(in);
        if (!in.atEnd())
        {
            throw new ViewSnapshotException("bytes left after the views, at " + in.position());
        }
    }

    static void expectCapacity(final String what, final int encoded, final int expected)
    {
        if (encoded != expected)
        {
            throw new ViewSnapshotException("its " + what + " hold " + encoded + " markets, this configuration " +
                expected);
        }
    }

    static void expectIndex(final String what, final int value, final int capacity)
    {
        if (value < 0 || value >= capacity)
        {
            throw new ViewSnapshotException(what + " " + value + " is outside 0 to " + (capacity - 1));
        }
    }
}
