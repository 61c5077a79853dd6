package io.rollbook.journal.snapshot;

import java.nio.file.Path;

import org.agrona.DirectBuffer;

/**
 * A snapshot file read back and checked: the matcher state after a journaled batch, and where that batch is.
 *
 * @param file            where it was read from
 * @param lastSequence    the last sequence number the state contains
 * @param lastBatchNumber the batch that ends at {@code lastSequence}
 * @param lastBatchIndex  that batch's Chronicle Queue index
 * @param bound           whether the file names the batch's checksum (format 2); format 1 files do not
 * @param lastBatchChecksum the CRC32C the journal stores in that batch document: a snapshot of another journal
 *                        whose batch numbers and indexes happen to match names another one
 * @param lastTimestampNs the timestamp of the command at {@code lastSequence}
 * @param state           the state bytes ({@link MatcherStateCodec})
 * @param stateOffset     where they start
 * @param stateLength     how many
 */
public record Snapshot(
    Path file,
    long lastSequence,
    long lastBatchNumber,
    long lastBatchIndex,
    boolean bound,
    int lastBatchChecksum,
    long lastTimestampNs,
    DirectBuffer state,
    int stateOffset,
    int stateLength)
{
}
