package io.rollbook.gateway.view;

import org.agrona.MutableDirectBuffer;

/**
 * Encodes the gateway's views and a retransmission index into a buffer, as a view snapshot holds them after its
 * header ({@link ViewSnapshotCodec}): at once ({@link #encode}), or as {@link ViewSnapshotter} does on the release
 * thread, everything but the order view's stripes first ({@link #begin}), then a stripe at a time between batches
 * ({@link #encodeNextStripe}); {@code rollbook bench views} times the encoding at once.
 *
 * <p>Single-threaded: run it on the views' one writer (or with it stopped); reused from one snapshot to the next.
 */
public final class ViewSnapshotEncoder
{
    private final GatewayViews views;
    private final JournalIndex index;
    private final ViewSnapshotCursor cursor = new ViewSnapshotCursor();
    private int offset;
    private int nextStripe = OrderStateView.STRIPES;

    public ViewSnapshotEncoder(final GatewayViews views, final JournalIndex index)
    {
        this.views = views;
        this.index = index;
    }

    /**
     * @param buffer grows if it must ({@link org.agrona.ExpandableArrayBuffer})
     * @param offset where the encoding starts
     * @return the encoding's length in bytes
     */
    public int encode(final MutableDirectBuffer buffer, final int offset)
    {
        begin(buffer, offset);
        for (int i = 0; i < OrderStateView.STRIPES; i++)
        {
            encodeNextStripe();
        }
        return length();
    }

    /**
     * Encodes everything but the order view's stripes, as the views are now.
     *
     * @param buffer grows if it must ({@link org.agrona.ExpandableArrayBuffer})
     * @param offset where the encoding starts
     */
    public void begin(final MutableDirectBuffer buffer, final int offset)
    {
        this.offset = offset;
        ViewSnapshotCodec.encodeHead(views, index, cursor.forWriting(buffer, offset));
        nextStripe = 0;
    }

    /**
     * Encodes the next stripe of the order view as it is now.
     *
     * @return true once the last one is encoded
     */
    public boolean encodeNextStripe()
    {
        if (nextStripe >= OrderStateView.STRIPES)
        {
            throw new IllegalStateException("no view snapshot begun, or its stripes are all encoded");
        }
        ViewSnapshotCodec.encodeStripe(views, nextStripe++, cursor);
        return nextStripe == OrderStateView.STRIPES;
    }

    /**
     * @return the encoding's length in bytes so far
     */
    public int length()
    {
        return cursor.position() - offset;
    }
}
