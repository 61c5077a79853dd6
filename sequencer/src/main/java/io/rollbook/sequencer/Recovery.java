package io.rollbook.sequencer;

import java.nio.file.Path;
import java.util.List;

import io.rollbook.journal.CheckedReplay;
import io.rollbook.journal.GenesisDocument;
import io.rollbook.journal.JournalAppender;
import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalDocument;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.JournalFormat;
import io.rollbook.journal.JournalIntegrity;
import io.rollbook.journal.JournalReader;
import io.rollbook.journal.JournalRepair;
import io.rollbook.journal.snapshot.MatcherStateCodec;
import io.rollbook.journal.snapshot.Snapshot;
import io.rollbook.journal.snapshot.SnapshotStore;
import io.rollbook.matcher.Matcher;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.ExpandableArrayBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a matcher to the state the journal describes, before sequencing starts.
 *
 * <ol>
 * <li>An empty journal gets its genesis document: the matcher's capacities, so the journal alone rebuilds it.</li>
 * <li>Otherwise the genesis must match the configured capacities (they define the state machine).</li>
 * <li>The newest snapshot that is intact and whose last batch is in the journal, at the index it names, gives the
 * starting state; with none, the state starts empty (genesis).</li>
 * <li>Every batch after it is replayed through the matcher, and every event it produces is compared byte for
 * byte with the journaled one: a difference means this build does not compute what the journal recorded, and
 * recovery stops rather than continue on a state nobody can reproduce.</li>
 * <li>A torn tail (a batch cut short or damaged, and anything after it) is voided by appending a recovery
 * document that names it; nothing in it was ever released. Numbering continues after the last good batch. Void
 * documents followed by intact batches are damage, not a tear: recovery refuses to start rather than void
 * batches that may have been released.</li>
 * </ol>
 *
 * <p>Runs on the launching thread, before any other sequencer thread exists.
 */
public final class Recovery
{
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery()
    {
    }

    static Result recover(final Sequencer.Context context, final SingleChronicleQueue queue)
    {
        final JournalReader reader = new JournalReader(queue);
        try
        {
            if (reader.toStart().next() == null)
            {
                return genesis(context, queue);
            }
            return replay(context, queue, new JournalCursor(reader));
        }
        finally
        {
            reader.close();
        }
    }

    private static Result genesis(final Sequencer.Context context, final SingleChronicleQueue queue)
    {
        final GenesisDocument genesis = GenesisDocument.of(context.matcherContext());
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(GenesisDocument.LENGTH);
        final int length = genesis.encode(buffer, 0);
        try (JournalAppender appender = new JournalAppender(queue, context.syncPolicy()))
        {
            appender.append(buffer, 0, length);
            appender.sync();
        }
        LOG.info("new journal in {}: {}", context.dataDirectory().toAbsolutePath(), genesis);

        return new Result(new Matcher(context.matcherContext()), 0, 0, 1, -1, 0, null, 0, 0, 0, true);
    }

    /**
     * Refuses a journal of another engine schema or other matcher capacities by reading it, before it is opened for
     * writing: opening a journal for writing updates its queue's metadata, and a refused start must leave every file
     * of the data directory as it was.
     *
     * @throws JournalException naming the data directory and the difference
     */
    static void refuseOtherGenesis(final Sequencer.Context context)
    {
        if (!JournalFiles.journalExists(context.dataDirectory()))
        {
            return;
        }
        try (JournalReader reader = JournalReader.open(context.dataDirectory()))
        {
            if (reader.toStart().next() != null)
            {
                checkGenesis(context, new JournalCursor(reader).genesis());
            }
        }
    }

    private static void checkGenesis(final Sequencer.Context context, final GenesisDocument genesis)
    {
        final String incompatible = genesis.schemaIncompatibility();
        if (incompatible != null)
        {
            throw new JournalException(context.dataDirectory() + ": " + incompatible);
        }
        final String difference = genesis.differenceFrom(context.matcherContext());
        if (difference != null)
        {
            throw new JournalException(context.dataDirectory() + ": the journal was written by a matcher with other " +
                "capacities: " + difference + ". Capacities are part of the state machine; use the journal's values.");
        }
    }

    private static Result replay(final Sequencer.Context context, final SingleChronicleQueue queue, final JournalCursor cursor)
    {
        final GenesisDocument genesis = cursor.genesis();
        checkGenesis(context, genesis);

        final MatcherStateCodec codec = context.snapshotCodec();
        final List<Path> snapshots = codec == null ? List.of() : new SnapshotStore(context.dataDirectory()).list();
        int candidate = 0;
        while (true)
        {
            Matcher matcher = null;
            Snapshot used = null;
            while (matcher == null && candidate < snapshots.size())
            {
                final Path file = snapshots.get(candidate++);
                try
                {
                    final Snapshot snapshot = SnapshotStore.read(file);
                    if (!cursor.resumeAfter(snapshot.lastBatchNumber(), snapshot.lastBatchIndex()) ||
                        cursor.lastSequence() != snapshot.lastSequence())
                    {
                        refuseIfTheJournalLostIt(context, queue, snapshot);
                        LOG.warn("snapshot {} names batch {} at index {}, where the journal holds another batch: it " +
                            "is not this journal's; skipped", file, snapshot.lastBatchNumber(),
                            Long.toHexString(snapshot.lastBatchIndex()));
                        cursor.toStart();
                        continue;
                    }
                    if (snapshot.bound() && cursor.document().storedChecksum() != snapshot.lastBatchChecksum())
                    {
                        LOG.warn("snapshot {} covers batch {} with checksum {}, the journal's batch {} has {}: it is " +
                            "another journal's; skipped", file, snapshot.lastBatchNumber(),
                            Integer.toHexString(snapshot.lastBatchChecksum()), snapshot.lastBatchNumber(),
                            Integer.toHexString(cursor.document().storedChecksum()));
                        cursor.toStart();
                        continue;
                    }
                    final Matcher loaded = codec.read(snapshot.state(), snapshot.stateOffset(), snapshot.stateLength());
                    if (loaded.lastSequence() != snapshot.lastSequence())
                    {
                        throw new JournalException("state is at sequence " + loaded.lastSequence() +
                            ", the header says " + snapshot.lastSequence());
                    }
                    final String contextDifference = genesis.differenceFrom(loaded.context());
                    if (contextDifference != null)
                    {
                        throw new JournalException("its matcher context differs from the journal's genesis: " +
                            contextDifference.replace("configuration", "snapshot"));
                    }
                    matcher = loaded;
                    used = snapshot;
                }
                catch (final LostBatchesException ex)
                {
                    throw ex;
                }
                catch (final RuntimeException ex)
                {
                    LOG.warn("snapshot {} is not usable, trying an older one: {}", file, ex.getMessage());
                    cursor.toStart();
                }
            }
            if (matcher == null)
            {
                matcher = new Matcher(genesis.matcherContext());
            }

            try
            {
                return replayFrom(context, queue, cursor, matcher, used);
            }
            catch (final StaleSnapshotException ex)
            {
                LOG.warn("snapshot {} covers batch {}, which a later recovery voided (its pages never reached the " +
                    "device); trying an older one", used.file(), used.lastBatchNumber());
                cursor.toStart();
            }
        }
    }

    /**
     * A snapshot is written only once the batch it covers is journaled, released and forced to the device. If the
     * journal now ends before that batch, or holds it damaged, the journal lost batches that were released: the start
     * refuses rather than skip the snapshot and number new commands over the lost ones. A valid batch of another
     * number or sequence at that index means the snapshot is another journal's, which is skipped.
     */
    private static void refuseIfTheJournalLostIt(
        final Sequencer.Context context, final SingleChronicleQueue queue, final Snapshot snapshot)
    {
        final long lastIndex = queue.lastIndex();
        final String lost;
        try (JournalReader reader = new JournalReader(queue))
        {
            final JournalDocument found = snapshot.lastBatchIndex() > lastIndex ||
                !reader.moveToIndex(snapshot.lastBatchIndex()) ? null : reader.next();
            if (found == null)
            {
                lost = "the journal ends before it (its last document is at index " + Long.toHexString(lastIndex) + ")";
            }
            else if (found.validate() != JournalDocument.VALID)
            {
                lost = "the journal holds that document damaged (" + JournalDocument.problem(found.validate()) + ")";
            }
            else
            {
                return;
            }
        }
        throw lostBatches(context, snapshot, lost);
    }

    /**
     * A data directory without a journal is a new one only if nothing in it says a journal was written there: an
     * intact snapshot covers a batch that was journaled, released and forced to the device, so a journal whose every
     * file is gone (the queue's metadata with them) lost it. Checked before the journal is opened for writing, which
     * would create its files. A snapshot that does not read intact proves nothing, as at any start.
     *
     * @throws JournalException naming the newest intact snapshot, the sequences lost and what the operator can do
     */
    static void refuseSnapshotsWithoutJournal(final Sequencer.Context context)
    {
        if (JournalFiles.journalExists(context.dataDirectory()))
        {
            return;
        }
        for (final Path file : new SnapshotStore(context.dataDirectory()).list())
        {
            final Snapshot snapshot;
            try
            {
                snapshot = SnapshotStore.read(file);
            }
            catch (final JournalException ex)
            {
                continue;
            }
            throw lostBatches(context, snapshot, "there is no journal: " +
                JournalFiles.journalDirectory(context.dataDirectory()) + " holds no cycle file");
        }
    }

    private static JournalException lostBatches(
        final Sequencer.Context context, final Snapshot snapshot, final String lost)
    {
        final Path file = snapshot.file();
        return new LostBatchesException("the journal in " + context.dataDirectory() + " lost batches: snapshot " +
            file + " covers batch " + snapshot.lastBatchNumber() + " (sequence " + snapshot.lastSequence() + ") at " +
            "journal index " + Long.toHexString(snapshot.lastBatchIndex()) + ", but " + lost + ". A snapshot is " +
            "written only after its batch was journaled, released and forced to the device, so the commands up to " +
            "sequence " + snapshot.lastSequence() + " were released; the service refuses to start and changes " +
            "nothing. " + JournalIntegrity.readableExtent(context.dataDirectory()) + " Restore the data directory " +
            "from a backup or a replica that holds them (docs/JOURNAL.md, \"Damage from outside\"). Only if none " +
            "does, or the snapshot is another journal's: moving " + file + " and every newer snapshot out of " +
            JournalFiles.snapshotDirectory(context.dataDirectory()) + " accepts the loss, and the next start goes " +
            "on from the journal as it reads.");
    }

    /**
     * The journal lost batches that a snapshot proves were released: the start stops, whatever older snapshots
     * there are.
     */
    private static final class LostBatchesException extends JournalException
    {
        private static final long serialVersionUID = 1L;

        LostBatchesException(final String message)
        {
            super(message);
        }
    }

    private static Result replayFrom(
        final Sequencer.Context context,
        final SingleChronicleQueue queue,
        final JournalCursor cursor,
        final Matcher matcher,
        final Snapshot used)
    {
        final CheckedReplay replay = new CheckedReplay();
        long batches = 0;
        long commands = 0;
        int voided = 0;
        int kind;
        while ((kind = cursor.next()) != JournalCursor.END)
        {
            if (kind == JournalCursor.BATCH)
            {
                try
                {
                    commands += replay.replay(matcher, cursor.document());
                }
                catch (final CheckedReplay.Diverged ex)
                {
                    throw new JournalException(ex.getMessage() + ". This build does not compute what the journal " +
                        "recorded; see ./rollbook journal dump.", ex);
                }
                batches++;
            }
            else if (kind == JournalCursor.VOID)
            {
                final JournalDocument document = cursor.document();
                if (used != null && cursor.lastValidation() == JournalDocument.VALID &&
                    document.type() == JournalFormat.TYPE_RECOVERY &&
                    document.recoveryLastBatchNumber() < used.lastBatchNumber())
                {
                    throw new StaleSnapshotException();
                }
                voided++;
            }
        }
        if (matcher.lastSequence() != cursor.lastSequence())
        {
            throw new JournalException("after replay the matcher is at sequence " + matcher.lastSequence() +
                " but the journal's last batch ends at " + cursor.lastSequence());
        }

        if (cursor.tornTail() && cursor.intactBatchesInVoidRange() > 0)
        {
            throw new JournalException(JournalRepair.damagedRangeRefusal(context.dataDirectory(), cursor));
        }
        if (cursor.tornTail())
        {
            voidTornTail(context, queue, cursor);
        }

        return new Result(matcher, cursor.lastSequence(), matcher.lastTimestampNs(), cursor.lastBatchNumber() + 1,
            cursor.lastBatchIndex(), used == null ? 0 : used.lastSequence(), used == null ? null : used.file(),
            batches, commands, voided, false);
    }

    private static void voidTornTail(final Sequencer.Context context, final SingleChronicleQueue queue, final JournalCursor cursor)
    {
        JournalRepair.appendMarker(queue, context.syncPolicy(), cursor);
        LOG.warn("journal ends in a torn tail: {} document(s) from index {} ({}) are void and were never " +
            "released; a recovery document marks them and the journal continues after batch {} (sequence {})",
            cursor.voidCount(), Long.toHexString(cursor.firstVoidIndex()), JournalDocument.problem(cursor.voidReason()),
            cursor.lastBatchNumber(), cursor.lastSequence());
    }

    /**
     * The snapshot recovery started from covers a batch that a recovery document after it voids: a batch written
     * and snapshotted under sync {@code none} whose pages were lost with the power, while the snapshot file (which
     * is always forced) survived. Recovery starts again from an older snapshot.
     */
    private static final class StaleSnapshotException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        StaleSnapshotException()
        {
            super(null, null, false, false);
        }
    }

    /**
     * What recovery found and did.
     */
    public static final class Result
    {
        private final Matcher matcher;
        private final long lastSequence;
        private final long lastTimestampNs;
        private final long nextBatchNumber;
        private final long lastBatchIndex;
        private final long snapshotSequence;
        private final Path snapshotFile;
        private final long replayedBatches;
        private final long replayedCommands;
        private final int voidedDocuments;
        private final boolean newJournal;
        private final byte[] stateHash;

        Result(
            final Matcher matcher,
            final long lastSequence,
            final long lastTimestampNs,
            final long nextBatchNumber,
            final long lastBatchIndex,
            final long snapshotSequence,
            final Path snapshotFile,
            final long replayedBatches,
            final long replayedCommands,
            final int voidedDocuments,
            final boolean newJournal)
        {
            this.matcher = matcher;
            this.lastSequence = lastSequence;
            this.lastTimestampNs = lastTimestampNs;
            this.nextBatchNumber = nextBatchNumber;
            this.lastBatchIndex = lastBatchIndex;
            this.snapshotSequence = snapshotSequence;
            this.snapshotFile = snapshotFile;
            this.replayedBatches = replayedBatches;
            this.replayedCommands = replayedCommands;
            this.voidedDocuments = voidedDocuments;
            this.newJournal = newJournal;
            this.stateHash = matcher.stateHash();
        }

        Matcher matcher()
        {
            return matcher;
        }

        /**
         * @return the last sequence number in the journal at launch, 0 for a new journal
         */
        public long lastSequence()
        {
            return lastSequence;
        }

        public long lastTimestampNs()
        {
            return lastTimestampNs;
        }

        public long nextBatchNumber()
        {
            return nextBatchNumber;
        }

        long lastBatchIndex()
        {
            return lastBatchIndex;
        }

        /**
         * @return the last sequence of the snapshot recovery started from, 0 if it replayed from genesis
         */
        public long snapshotSequence()
        {
            return snapshotSequence;
        }

        /**
         * @return the snapshot file recovery started from, or null
         */
        public Path snapshotFile()
        {
            return snapshotFile;
        }

        /**
         * @return how many batches were replayed after the snapshot (or genesis)
         */
        public long replayedBatches()
        {
            return replayedBatches;
        }

        public long replayedCommands()
        {
            return replayedCommands;
        }

        /**
         * @return how many journal documents were found void (torn or damaged, never released)
         */
        public int voidedDocuments()
        {
            return voidedDocuments;
        }

        public boolean newJournal()
        {
            return newJournal;
        }

        /**
         * @return the SHA-256 state hash ({@code Matcher.stateHash()}) of the recovered state, before anything was
         *         sequenced in this run: after a clean shutdown, the hash the last run stopped with
         */
        public byte[] stateHash()
        {
            return stateHash.clone();
        }

        public String describe()
        {
            if (newJournal)
            {
                return "new journal";
            }
            return (snapshotFile == null ? "replayed from genesis" : "snapshot at sequence " + snapshotSequence) +
                ", then " + replayedBatches + " batch(es) / " + replayedCommands + " command(s) replayed and checked" +
                (voidedDocuments > 0 ? ", " + voidedDocuments + " void document(s) skipped" : "");
        }

        @Override
        public String toString()
        {
            return describe();
        }
    }
}
