package io.rollbook.sequencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.rollbook.journal.BatchBuilder;
import io.rollbook.journal.DataDirectoryLock;
import io.rollbook.journal.JournalAppender;
import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.JournalRepair;
import io.rollbook.journal.SyncPolicy;
import io.rollbook.journal.audit.AuditReport;
import io.rollbook.journal.audit.JournalAudit;
import io.rollbook.protocol.engine.DepositEncoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch damaged on disk (what a power loss does to pages that never reached the device) is found by its
 * checksum, voided by a recovery document, and the journal goes on consistently after the last good batch.
 */
class TornTailTest
{
    private static final long MARK = 0x5EED_5EED_5EED_5EEDL;

    @TempDir
    Path dataDirectory;

    private Sequencer.Context context(final Released released)
    {
        return new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(RandomCommands.matcherContext())
            .markets(RandomCommands.MARKETS)
            .releaseListener(released);
    }

    @Test
    void aDamagedLastBatchIsVoidedAndTheJournalContinuesAfterTheLastGoodOne() throws IOException
    {
        final Released first = new Released();
        try (Sequencer sequencer = Sequencer.launch(context(first)))
        {
            SequencerTest.publish(sequencer.publisher(), new RandomCommands(21), 0, 2_000);
        }
        final long lastGood = first.snapshot().get(first.count() - 1).sequence();
        final long lastBatch = first.batches.get(first.batches.size() - 1)[0];

        appendBatchThenDamageIt(lastBatch + 1, lastGood + 1);

        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            while (cursor.next() != JournalCursor.END)
            {
                continue;
            }
            assertTrue(cursor.tornTail());
            assertEquals(lastGood, cursor.lastSequence());
        }

        final Released second = new Released();
        try (Sequencer sequencer = Sequencer.launch(context(second)))
        {
            assertEquals(lastGood, sequencer.recovery().lastSequence());
            assertEquals(1, sequencer.recovery().voidedDocuments());
            SequencerTest.publish(sequencer.publisher(), new RandomCommands(21), 2_000, 2_500);
        }
        assertEquals(lastGood + 1, second.snapshot().get(0).sequence(), "numbering goes on after the last good batch");
        assertEquals(lastBatch + 1, second.batches.get(0)[0]);

        final List<Integer> kinds = new ArrayList<>();
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                if (kind != JournalCursor.BATCH || kinds.isEmpty() || kinds.get(kinds.size() - 1) != JournalCursor.BATCH)
                {
                    kinds.add(kind);
                }
            }
            assertFalse(cursor.tornTail());
            assertEquals(lastGood + 500, cursor.lastSequence());
        }
        assertEquals(List.of(JournalCursor.BATCH, JournalCursor.VOID, JournalCursor.MARKER, JournalCursor.BATCH), kinds);

        try (Sequencer sequencer = Sequencer.launch(context(new Released())))
        {
            assertEquals(lastGood + 500, sequencer.recovery().lastSequence());
        }
    }

    /**
     * Damage where the journal had already been written on, with intact batches after it, is not a tear: those
     * batches were released. Voiding them would lose acknowledged commands and hand their sequence numbers to new
     * ones; recovery refuses instead, names the place, and leaves the journal as it was.
     */
    @Test
    void aDamagedBatchWithIntactBatchesAfterItIsRefusedNotVoided() throws IOException
    {
        final long released = journalWithAMarkedBatch(5);
        damageTheMarkedBatch();
        final long voidBefore;
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            while (cursor.next() != JournalCursor.END)
            {
                continue;
            }
            assertTrue(cursor.tornTail());
            assertTrue(cursor.intactBatchesInVoidRange() > 10, "batches after the damaged one are intact");
            assertEquals(released, cursor.voidRangeLastSequence());
            voidBefore = cursor.voidCount();
        }

        final JournalException refused =
            assertThrows(JournalException.class, () -> Sequencer.launch(context(new Released())));
        assertTrue(refused.getMessage().contains("is damaged, not torn") &&
            refused.getMessage().contains("up to sequence " + released) &&
            refused.getMessage().contains("refuses to void them"), refused.getMessage());

        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                assertTrue(kind != JournalCursor.MARKER, "recovery wrote no recovery document");
            }
            assertEquals(voidBefore, cursor.voidCount(), "the journal is as it was");
        }
    }

    /**
     * When no backup holds the batches after the damage, the operator voids them by naming the range's last
     * sequence: a wrong sequence, a running service or a mere torn tail change nothing; the right one lets the
     * service start after the last good batch, and the audit names what was voided.
     */
    @Test
    void anOperatorVoidsADamagedRangeByNamingItsLastSequence() throws IOException
    {
        final long released = journalWithAMarkedBatch(7);
        assertThrows(JournalException.class, () -> JournalRepair.voidDamagedRange(dataDirectory, released),
            "no void range yet");
        damageTheMarkedBatch();
        final long lastGood;
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            while (cursor.next() != JournalCursor.END)
            {
                continue;
            }
            lastGood = cursor.lastSequence();
        }

        final JournalException refused =
            assertThrows(JournalException.class, () -> Sequencer.launch(context(new Released())));
        assertTrue(refused.getMessage().contains("./rollbook journal void-damaged --data " + dataDirectory +
            " --through-sequence " + released), refused.getMessage());

        final JournalException wrong = assertThrows(JournalException.class,
            () -> JournalRepair.voidDamagedRange(dataDirectory, released - 1));
        assertTrue(wrong.getMessage().contains("end at sequence " + released + ", not at " + (released - 1)),
            wrong.getMessage());
        try (DataDirectoryLock held = DataDirectoryLock.acquire(dataDirectory))
        {
            assertThrows(JournalException.class, () -> JournalRepair.voidDamagedRange(dataDirectory, released),
                "a running service holds the directory");
        }
        assertEquals(0, markers(), "nothing was voided");

        final JournalRepair.VoidedRange voided = JournalRepair.voidDamagedRange(dataDirectory, released);
        assertEquals(lastGood, voided.lastGoodSequence());
        assertEquals(released, voided.lastVoidSequence());
        assertTrue(voided.intactBatches() > 10, "batches after the damaged one were intact");
        assertEquals(1, markers());

        final Released second = new Released();
        try (Sequencer sequencer = Sequencer.launch(context(second)))
        {
            assertEquals(lastGood, sequencer.recovery().lastSequence());
            SequencerTest.publish(sequencer.publisher(), new RandomCommands(8), 0, 100);
        }
        assertEquals(lastGood + 1, second.snapshot().get(0).sequence(), "new commands take the voided numbers");

        final AuditReport report = new JournalAudit(dataDirectory).run();
        assertTrue(report.passed(), String.valueOf(report.failure()));
        assertTrue(report.notes().stream().anyMatch(note -> note.contains("voided by an operator") &&
            note.contains("sequences " + (lastGood + 1) + ".." + released + " may have been released")),
            report.notes().toString());
        assertThrows(JournalException.class, () -> JournalRepair.voidDamagedRange(dataDirectory, released),
            "a closed range is not voided twice");
    }

    @Test
    void aTornTailIsLeftToTheNextStart() throws IOException
    {
        final Released first = new Released();
        try (Sequencer sequencer = Sequencer.launch(context(first)))
        {
            SequencerTest.publish(sequencer.publisher(), new RandomCommands(22), 0, 200);
        }
        final long lastGood = first.snapshot().get(first.count() - 1).sequence();
        appendBatchThenDamageIt(first.batches.get(first.batches.size() - 1)[0] + 1, lastGood + 1);

        final JournalException refused = assertThrows(JournalException.class,
            () -> JournalRepair.voidDamagedRange(dataDirectory, lastGood + 1));
        assertTrue(refused.getMessage().contains("torn tail with no intact batch in it"), refused.getMessage());
        assertEquals(0, markers());
    }

    private int markers()
    {
        int markers = 0;
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                markers += kind == JournalCursor.MARKER ? 1 : 0;
            }
        }
        return markers;
    }

    /**
     * A thousand seeded commands in batches of at most 16, the 501st marked by its source for
     * {@link #damageTheMarkedBatch}.
     *
     * @return the last sequence released
     */
    private long journalWithAMarkedBatch(final long seed)
    {
        final Released first = new Released();
        try (Sequencer sequencer = Sequencer.launch(context(first).batchMaxCommands(16)))
        {
            SequencerTest.publish(sequencer.publisher(), new RandomCommands(seed), 0, 500);
            publishWithSource(sequencer.publisher(), new RandomCommands(seed), 500, MARK);
            SequencerTest.publish(sequencer.publisher(), new RandomCommands(seed), 501, 1_000);
        }
        return first.snapshot().get(first.count() - 1).sequence();
    }

    /**
     * Damages the batch of the marked command and deletes the snapshots, which would let recovery start after it.
     */
    private void damageTheMarkedBatch() throws IOException
    {
        damage(dataDirectory, MARK);
        try (Stream<Path> files = Files.walk(JournalFiles.snapshotDirectory(dataDirectory)))
        {
            files.filter(Files::isRegularFile).forEach(file -> file.toFile().delete());
        }
    }

    private static void publishWithSource(
        final CommandPublisher publisher, final RandomCommands commands, final long n, final long source)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final int length = commands.encode(n, buffer, 0);
        while (!publisher.tryPublish(source, buffer, 0, length))
        {
            Thread.yield();
        }
    }

    private void appendBatchThenDamageIt(final long batchNumber, final long sequence) throws IOException
    {
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(64);
        new DepositEncoder().wrapAndApplyHeader(command, 0, new MessageHeaderEncoder()).account(1).amountMicros(5);
        final int commandLength = MessageHeaderEncoder.ENCODED_LENGTH + DepositEncoder.BLOCK_LENGTH;
        final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(256);
        final BatchBuilder builder = new BatchBuilder().begin(batch, batchNumber);
        final int eventsOffset = builder.beginRecord(sequence, 1, MARK, command, 0, commandLength);
        batch.putBytes(eventsOffset, command, 0, commandLength);
        builder.endRecord(eventsOffset + commandLength, 1);
        final int length = builder.finish();
        try (SingleChronicleQueue queue = JournalFiles.openForWriting(dataDirectory);
            JournalAppender appender = new JournalAppender(queue, SyncPolicy.NONE))
        {
            appender.append(batch, 0, length);
        }

        damage(dataDirectory, MARK);
    }

    /**
     * Flips a byte just after the first occurrence of {@code mark} (a record's source) in the journal's files. The
     * journal starts a file each day (UTC): a journal written across midnight has two, the mark in either.
     */
    static void damage(final Path dataDirectory, final long mark) throws IOException
    {
        final List<Path> cycles;
        try (Stream<Path> files = Files.list(JournalFiles.journalDirectory(dataDirectory)))
        {
            cycles = files.filter(f -> f.toString().endsWith(".cq4")).sorted().toList();
        }
        for (final Path file : cycles)
        {
            if (damageIn(file, mark))
            {
                return;
            }
        }
        throw new AssertionError("the marked batch is in none of the journal's files " + cycles);
    }

    private static boolean damageIn(final Path file, final long mark) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer pattern = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, mark);
            final ByteBuffer window = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            long position = 0;
            long found = -1;
            int read;
            while (found < 0 && (read = channel.read(window.clear(), position)) >= 8)
            {
                window.flip();
                for (int i = 0; i + 8 <= window.limit(); i++)
                {
                    if (window.getLong(i) == pattern.getLong(0))
                    {
                        found = position + i;
                        break;
                    }
                }
                position += read - 7;
            }
            if (found < 0)
            {
                return false;
            }
            channel.write(ByteBuffer.wrap(new byte[] {0x7F}), found + 8 + 12);
            return true;
        }
    }
}
