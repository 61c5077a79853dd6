package io.rollbook.sequencer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.audit.AuditReport;
import io.rollbook.journal.audit.JournalAudit;
import io.rollbook.journal.audit.MatcherLeaves;
import io.rollbook.journal.commitment.AccountLeaf;
import io.rollbook.journal.commitment.CommittedState;
import io.rollbook.journal.commitment.InclusionProof;
import io.rollbook.journal.commitment.RootLog;
import io.rollbook.journal.commitment.RootRecord;
import io.rollbook.journal.snapshot.SnapshotStore;
import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.margin.MarginStreamGenerator;
import io.rollbook.protocol.engine.DepositEncoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commitment builder in the service: a root for every batch, right (the audit recomputes them from the journal
 * alone), resumed after a restart from the last recorded root, repaired when its file was cut short, damaged or
 * deleted, and computed again for a batch number that recovery gave to a new batch.
 */
class CommitmentServiceTest
{
    private static final int CAPACITY = MarginStreamGenerator.context().accountCapacity();

    @TempDir
    Path dataDirectory;

    @Test
    void everyBatchGetsItsRootAndProofsShowTheFinalState()
    {
        final Released released = new Released();
        final Matcher finalState;
        try (Sequencer sequencer =
            Sequencer.launch(MarginJournals.context(dataDirectory, 256).releaseListener(released)))
        {
            MarginJournals.publish(sequencer.publisher(), new MarginStreamGenerator(5), 60_000);
            sequencer.close();
            finalState = sequencer.matcherAfterClose();
            assertEquals(released.batches.size(), sequencer.commitments().committedBatch());
        }
        assertTrue(released.batches.size() > 100, "many batches: " + released.batches.size());

        final RootRecord record = new RootRecord();
        try (RootLog roots = openRoots())
        {
            assertEquals(released.batches.size(), roots.lastBatchNumber());
            for (final long[] batch : released.batches)
            {
                assertTrue(roots.read(batch[0], record));
                assertEquals(batch[2], record.lastSequence(), "batch " + batch[0]);
            }
        }

        final AuditReport report = new JournalAudit(dataDirectory).fullCheckEveryCommands(10_000).run();
        assertTrue(report.passed(), report.toString());
        assertEquals(released.batches.size(), report.rootsCompared());
        assertEquals(60_000, report.commands());

        final CommittedState committed = CommittedState.load(dataDirectory);
        assertEquals(released.batches.size(), committed.batch());
        assertArrayEquals(report.lastRoot(), committed.root());
        final SplittableRandom random = new SplittableRandom(5);
        final AccountLeaf expected = new AccountLeaf(0);
        for (int i = 0; i < 10; i++)
        {
            final int account = 1 + random.nextInt(CAPACITY - 1);
            final InclusionProof.Verification proof = InclusionProof.verify(committed.proof(account).toJson());
            assertTrue(proof.holds(), "account " + account + ": " + proof.problem());
            MatcherLeaves.read(finalState, account, expected);
            assertTrue(expected.sameContents(proof.proof().leaf()), "account " + account + ": proof " +
                proof.proof().leaf() + ", state " + expected);
        }
    }

    @Test
    void theBuilderResumesFromTheLastRecordedRootAndRepairsItsFile() throws IOException
    {
        final MarginStreamGenerator stream = new MarginStreamGenerator(6);
        try (Sequencer sequencer = Sequencer.launch(MarginJournals.context(dataDirectory, 300)))
        {
            MarginJournals.publish(sequencer.publisher(), stream, 20_000);
        }
        final byte[] first = Files.readAllBytes(rootsFile());
        try (Sequencer sequencer = Sequencer.launch(MarginJournals.context(dataDirectory, 300)))
        {
            MarginJournals.publish(sequencer.publisher(), stream, 20_000);
        }
        final byte[] roots = Files.readAllBytes(rootsFile());
        assertTrue(roots.length > first.length, "the second run adds roots");
        assertArrayEquals(first, Arrays.copyOf(roots, first.length), "the second run keeps the first run's roots");
        assertTrue(new JournalAudit(dataDirectory).run().passed());

        try (FileChannel channel = FileChannel.open(rootsFile(), StandardOpenOption.WRITE))
        {
            channel.truncate(roots.length - 30);
        }
        relaunchAndClose();
        assertArrayEquals(roots, Files.readAllBytes(rootsFile()), "a torn last record is recorded again");

        Files.delete(rootsFile());
        relaunchAndClose();
        assertArrayEquals(roots, Files.readAllBytes(rootsFile()), "a deleted file is computed again from genesis");

        final long lastRecord = roots.length - RootLog.RECORD_LENGTH;
        rewriteRecord(lastRecord, 24, (byte)1);
        assertNotEquals(Arrays.toString(roots), Arrays.toString(Files.readAllBytes(rootsFile())));
        relaunchAndClose();
        assertArrayEquals(roots, Files.readAllBytes(rootsFile()),
            "a last root that the journal does not give is computed again");

        rewriteRecord(lastRecord - 5 * RootLog.RECORD_LENGTH, 16, (byte)1);
        relaunchAndClose();
        assertArrayEquals(roots, Files.readAllBytes(rootsFile()),
            "a root that names another batch document is computed again, with every later one");
    }

    @Test
    void theRootOfABatchThatRecoveryVoidedIsComputedAgainForTheBatchThatTakesItsNumber() throws IOException
    {
        final long mark = 0x5EED_5EED_5EED_5EEDL;
        final Released released = new Released();
        final MarginStreamGenerator stream = new MarginStreamGenerator(7);
        try (Sequencer sequencer =
            Sequencer.launch(MarginJournals.context(dataDirectory, 100).releaseListener(released)))
        {
            MarginJournals.publish(sequencer.publisher(), stream, 5_000);
            while (released.count() < 5_000)
            {
                Thread.yield();
            }
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
            new DepositEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).account(9).amountMicros(77);
            while (!sequencer.publisher().tryPublish(mark, buffer, 0,
                MessageHeaderEncoder.ENCODED_LENGTH + DepositEncoder.BLOCK_LENGTH))
            {
                Thread.yield();
            }
        }
        final long voidedBatch = released.batches.get(released.batches.size() - 1)[0];
        final RootRecord before = new RootRecord();
        try (RootLog roots = openRoots())
        {
            assertEquals(voidedBatch, roots.lastBatchNumber(), "the builder recorded the batch before it was damaged");
            roots.read(voidedBatch, before);
        }
        final int voidedChecksum = before.batchChecksum();

        TornTailTest.damage(dataDirectory, mark);
        // What a power loss under sync none leaves: the batch's pages lost, its root's kept. The shutdown snapshot,
        // written only once the journal is forced, would not exist; one that covers the damaged batch proves a
        // released batch lost, and the start refuses (OutsideDamageTest).
        Files.delete(new SnapshotStore(dataDirectory).list().get(0));
        try (Sequencer sequencer = Sequencer.launch(MarginJournals.context(dataDirectory, 100)))
        {
            assertEquals(1, sequencer.recovery().voidedDocuments());
            MarginJournals.publish(sequencer.publisher(), stream, 2_000);
        }
        final RootRecord after = new RootRecord();
        try (RootLog roots = openRoots())
        {
            assertTrue(roots.lastBatchNumber() > voidedBatch);
            assertTrue(roots.read(voidedBatch, after));
            assertNotEquals(voidedChecksum, after.batchChecksum(), "the root is of the new batch " + voidedBatch);
        }
        final AuditReport report = new JournalAudit(dataDirectory).run();
        assertTrue(report.passed(), report.toString());
        assertEquals(report.batches(), report.rootsCompared());
        assertTrue(report.notes().stream().anyMatch(note -> note.contains("voided by a recovery document")),
            report.toString());
    }

    private void relaunchAndClose()
    {
        try (Sequencer sequencer = Sequencer.launch(MarginJournals.context(dataDirectory, 300)))
        {
            assertTrue(sequencer.publisher().isAccepting());
        }
    }

    /**
     * Adds {@code delta} to one byte of a record and fixes the record's checksum: a record that reads well but
     * lies.
     */
    private void rewriteRecord(final long recordOffset, final int field, final byte delta) throws IOException
    {
        try (FileChannel channel = FileChannel.open(rootsFile(), StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer record = ByteBuffer.allocate(RootLog.RECORD_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(record, recordOffset);
            record.put(field, (byte)(record.get(field) + delta));
            final CRC32C crc = new CRC32C();
            crc.update(record.array(), 0, RootLog.RECORD_LENGTH - 4);
            record.putInt(RootLog.RECORD_LENGTH - 4, (int)crc.getValue());
            channel.write(record.clear(), recordOffset);
        }
    }

    private RootLog openRoots()
    {
        return RootLog.openForReading(dataDirectory, 6, CAPACITY);
    }

    private Path rootsFile()
    {
        return JournalFiles.rootsFile(dataDirectory);
    }
}
