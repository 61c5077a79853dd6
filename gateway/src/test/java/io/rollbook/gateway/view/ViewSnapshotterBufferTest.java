package io.rollbook.gateway.view;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release thread's first view snapshot finds a buffer that holds the views already: the snapshotter sizes it by
 * encoding the views once when it is built, rather than leaving it at its start size (a megabyte after a start from
 * genesis) for the release thread to grow step by step.
 */
class ViewSnapshotterBufferTest
{
    private static final int LIVE_ORDERS = 80_000;

    @TempDir
    Path dataDirectory;

    @Test
    void theBufferHoldsTheViewsAndAQuarterMoreBeforeTheFirstSnapshot()
    {
        final GatewayViews views = new GatewayViews(4, 1_024, 0);
        for (int i = 0; i < LIVE_ORDERS; i++)
        {
            views.orders().onAccepted(1 + i % 100, i, i + 1, 1, i + 1);
        }
        final JournalIndex index = new JournalIndex(4, 64);
        final int length = new ViewSnapshotEncoder(views, index).encode(new ExpandableArrayBuffer(), 0);
        assertTrue(length > 1 << 20, "views of " + length + " bytes, more than the snapshotter starts with");

        try (ViewSnapshotter snapshotter = new ViewSnapshotter(new ViewBootstrap.Start(views, index, 0, -1, 0, 0),
            ViewSnapshotPolicy.DEFAULT, dataDirectory, 4, 1_024))
        {
            final long needed = ViewSnapshotFile.HEADER_LENGTH + (long)length;
            assertTrue(snapshotter.bufferCapacity() >= needed + needed / 4, "a buffer of " +
                snapshotter.bufferCapacity() + " bytes for " + needed);
        }
    }
}
