package io.rollbook.sequencer;

import java.util.concurrent.atomic.AtomicBoolean;

import io.rollbook.journal.snapshot.SnapshotStore;
import org.agrona.ExpandableArrayBuffer;

/**
 * The one reusable snapshot buffer. The matcher thread fills it at a batch boundary (state bytes after a
 * {@link SnapshotStore#HEADER_LENGTH}-byte gap for the file header) and attaches it to the batch it covers; the
 * journal thread stamps the batch's journal index once that batch is durable and hands the job to the snapshot
 * writer thread, which frames and writes the file and then frees the job. While it is in use, snapshots that fall
 * due are skipped rather than queued: the next one comes soon enough.
 */
final class SnapshotJob
{
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1 << 20);
    final AtomicBoolean inUse = new AtomicBoolean();
    int stateLength;
    long lastSequence;
    long lastBatchNumber;
    long lastBatchIndex;
    long lastTimestampNs;
}
