package io.rollbook.gateway.view;

import org.agrona.MutableDirectBuffer;

/**
 * Encodes the gateway's views and a retransmission index into a buffer, as a view snapshot holds them after its
 * header ({@link ViewSnapshotCodec}): what {@link ViewSnapshotter} does on the release thread, and what
 * {@code rollbook bench views} times.
 *
 * <p>Single-threaded: run it on the views' one writer (or with it stopped); reused from one snapshot to the next.
 */
public final class ViewSnapshotEncoder
{
    private final GatewayViews views;
    private final JournalIndex index;
    private final ViewSnapshotCursor cursor = new ViewSnapshotCursor();

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
        ViewSnapshotCodec.encode(views, index, cursor.forWriting(buffer, offset));
        return cursor.position() - offset;
    }
}
