package io.rollbook.sequencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.JournalIntegrity;
import io.rollbook.journal.audit.AuditReport;
import io.rollbook.journal.audit.JournalAudit;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A journal damaged from outside the service (a backup restore cut short, {@code truncate -s}, a deleted file): a
 * cut at a document boundary leaves a journal that reads cleanly and ends early, so without Chronicle's own record
 * of each file's end the start would number new commands over batches it had released. Every kind of cut refuses
 * the start with the file, how far the journal reads and what to do, and changes nothing; a deleted queue metadata
 * file, which holds no batch, is survived without loss.
 */
class OutsideDamageTest
{
    private static final int DAYS = 3;
    private static final int COMMANDS_PER_DAY = 300;

    @TempDir
    Path dataDirectory;

    private final AtomicLong fileClockMs = new AtomicLong();
    private long lastReleased;

    private Sequencer.Context context(final Released released)
    {
        return new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(RandomCommands.matcherContext())
            .markets(RandomCommands.MARKETS)
            .batchMaxCommands(16)
            .journalFileClockMs(fileClockMs::get)
            .releaseListener(released);
    }

    /**
     * Three daily cycle files of about twenty batches each, and the shutdown snapshot.
     */
    @BeforeEach
    void journalOverThreeCycleFiles()
    {
        fileClockMs.set(System.currentTimeMillis() - TimeUnit.DAYS.toMillis(DAYS + 1));
        final Released released = new Released();
        try (Sequencer sequencer = Sequencer.launch(context(released)))
        {
            for (int day = 0; day < DAYS; day++)
            {
                SequencerTest.publish(sequencer.publisher(), new RandomCommands(17), day * COMMANDS_PER_DAY,
                    (day + 1) * COMMANDS_PER_DAY);
                final int expected = (day + 1) * COMMANDS_PER_DAY + RandomCommands.MARKETS.size();
                while (released.count() < expected)
                {
                    Thread.yield();
                }
                fileClockMs.addAndGet(TimeUnit.DAYS.toMillis(1));
            }
        }
        lastReleased = released.snapshot().get(released.count() - 1).sequence();
    }

    enum Cut
    {
        NEWEST_INSIDE_ITS_LAST_BATCH(2),
        NEWEST_AT_A_BATCH_BOUNDARY(2),
        NEWEST_TO_ZERO_LENGTH(2),
        OLDER_INSIDE_A_BATCH(1),
        OLDER_AT_A_BATCH_BOUNDARY(1),
        OLDER_TO_ZERO_LENGTH(1),
        OLDER_TO_HALF(1),
        MIDDLE_FILE_DELETED(1),
        NEWEST_FILE_DELETED(2);

        final int file;

        Cut(final int file)
        {
            this.file = file;
        }
    }

    @ParameterizedTest
    @EnumSource(Cut.class)
    void aCycleFileCutFromOutsideRefusesTheStartAndChangesNothing(final Cut cut) throws IOException
    {
        final Path file = cycleFiles().get(cut.file);
        final long writePosition = writePosition(file);
        switch (cut)
        {
            case NEWEST_INSIDE_ITS_LAST_BATCH -> truncate(file, writePosition + 20);
            case NEWEST_AT_A_BATCH_BOUNDARY, OLDER_AT_A_BATCH_BOUNDARY -> truncate(file, writePosition);
            case OLDER_INSIDE_A_BATCH -> truncate(file, writePosition - 20);
            case OLDER_TO_HALF -> truncate(file, writePosition / 2);
            case NEWEST_TO_ZERO_LENGTH, OLDER_TO_ZERO_LENGTH -> truncate(file, 0);
            default -> Files.delete(file);
        }
        final Map<Path, Long> before = sizes();

        final JournalException refused =
            assertThrows(JournalException.class, () -> Sequencer.launch(context(new Released())), cut.name());
        final String message = refused.getMessage();
        final String names = cut == Cut.MIDDLE_FILE_DELETED ? "are missing (a cycle file deleted)" : file.toString();
        assertTrue(message.contains("damaged from outside the service") && message.contains(names) &&
            message.contains("The journal reads intact up to batch ") && message.contains("Restore the data " +
            "directory from a backup"), message);
        assertEquals(before, sizes(), "the refusal changed nothing");

        final AuditReport audit = new JournalAudit(dataDirectory).run();
        assertTrue(!audit.passed() && audit.failure().what().contains("damaged from outside the service") &&
            audit.failure().what().contains(names), String.valueOf(audit.failure()));
    }

    /**
     * The refusal names the last sequence the journal proves: what a cut at a batch boundary leaves reads cleanly.
     */
    @Test
    void theRefusalNamesTheLastSequenceTheJournalStillHolds() throws IOException
    {
        final Path newest = cycleFiles().get(2);
        truncate(newest, writePosition(newest));

        final JournalException refused =
            assertThrows(JournalException.class, () -> Sequencer.launch(context(new Released())));
        final String extent = JournalIntegrity.readableExtent(dataDirectory);
        assertTrue(extent.matches("The journal reads intact up to batch \\d+ \\(sequence \\d+\\)\\.") &&
            refused.getMessage().contains(extent), refused.getMessage());
        final long readable = Long.parseLong(extent.replaceAll(".*sequence (\\d+).*", "$1"));
        assertTrue(readable > 2 * COMMANDS_PER_DAY && readable < lastReleased, extent + " of " + lastReleased);
    }

    /**
     * Every cycle file deleted leaves no {@code .cq4} at all, which must not read as a directory never written: the
     * queue's metadata still records the cycles Chronicle created, and a new genesis would number new commands over
     * every batch the service had released.
     */
    @Test
    void everyCycleFileDeletedRefusesTheStartRatherThanBeginANewJournal() throws IOException
    {
        for (final Path file : cycleFiles())
        {
            Files.delete(file);
        }
        final Map<Path, Long> before = sizes();

        final JournalException refused =
            assertThrows(JournalException.class, () -> Sequencer.launch(context(new Released())));
        assertTrue(refused.getMessage().contains("damaged from outside the service") &&
            refused.getMessage().contains("that file is missing"), refused.getMessage());
        assertEquals(before, sizes(), "the refusal changed nothing");

        final AuditReport audit = new JournalAudit(dataDirectory).run();
        assertTrue(!audit.passed() && audit.failure().what().contains("damaged from outside the service"),
            String.valueOf(audit.failure()));
    }

    /**
     * The whole journal deleted, its metadata too: nothing in the journal's directory records that it existed, but
     * the shutdown snapshot covers a batch that was released, so the start refuses rather than write a new genesis.
     */
    @Test
    void theWholeJournalDeletedBesideASnapshotRefusesTheStart() throws IOException
    {
        try (Stream<Path> files = Files.list(JournalFiles.journalDirectory(dataDirectory)))
        {
            for (final Path file : files.toList())
            {
                Files.delete(file);
            }
        }
        final Map<Path, Long> before = sizes();

        final JournalException refused =
            assertThrows(JournalException.class, () -> Sequencer.launch(context(new Released())));
        assertTrue(refused.getMessage().contains("lost batches: snapshot ") &&
            refused.getMessage().contains("(sequence " + lastReleased + ")") &&
            refused.getMessage().contains("there is no journal"), refused.getMessage());
        assertEquals(before, sizes(), "the refusal changed nothing");
        assertFalse(JournalFiles.journalExists(dataDirectory));
    }

    @Test
    void aDeletedQueueMetadataFileIsRebuiltWithoutLoss() throws IOException
    {
        Files.delete(JournalFiles.journalDirectory(dataDirectory).resolve(SingleChronicleQueue.QUEUE_METADATA_FILE));
        assertEquals(List.of(), JournalIntegrity.inspect(dataDirectory));

        final Released released = new Released();
        try (Sequencer sequencer = Sequencer.launch(context(released)))
        {
            assertEquals(lastReleased, sequencer.recovery().lastSequence());
            SequencerTest.publish(sequencer.publisher(), new RandomCommands(18), 0, 50);
        }
        assertEquals(lastReleased + 1, released.snapshot().get(0).sequence());
        assertTrue(new JournalAudit(dataDirectory).run().passed());
    }

    @Test
    void aCorruptedQueueMetadataFileIsRefusedByNameAndMovingItAsideLosesNothing() throws IOException
    {
        final Path metadata = JournalFiles.journalDirectory(dataDirectory).resolve(SingleChronicleQueue.QUEUE_METADATA_FILE);
        final byte[] bytes = Files.readAllBytes(metadata);
        for (int i = 0; i < 256; i++)
        {
            bytes[i] ^= 0x5A;
        }
        Files.write(metadata, bytes);

        final JournalException refused =
            assertThrows(JournalException.class, () -> Sequencer.launch(context(new Released())));
        assertTrue(refused.getMessage().contains("the queue's metadata " + metadata + " is damaged") &&
            refused.getMessage().contains("move it out of"), refused.getMessage());

        Files.move(metadata, dataDirectory.resolve("metadata.cq4t.damaged"));
        try (Sequencer sequencer = Sequencer.launch(context(new Released())))
        {
            assertEquals(lastReleased, sequencer.recovery().lastSequence());
        }
    }

    enum MetadataDamage
    {
        /** The file cut inside one of its documents: a writer would fall back to a read-only copy and start. */
        CUT_INSIDE_A_DOCUMENT,
        /** A document's length garbled: read through the mapping, it runs past the file's end. */
        A_LENGTH_PAST_THE_END,
        /** Everything after the header zeroed: the values that list the cycle files are gone. */
        ZEROED_AFTER_ITS_HEADER
    }

    /**
     * Damage behind the table store's intact header, where Chronicle's own messages name a lock, a key of a
     * "readOnly TableStore" or a memory fault: the start names the file and says that it is damaged.
     */
    @ParameterizedTest
    @EnumSource(MetadataDamage.class)
    void damageBehindTheQueueMetadatasHeaderIsRefusedByName(final MetadataDamage damage) throws IOException
    {
        final Path metadata = JournalFiles.journalDirectory(dataDirectory).resolve(SingleChronicleQueue.QUEUE_METADATA_FILE);
        final byte[] bytes = Files.readAllBytes(metadata);
        final int listing = indexOf(bytes, "listing.highestCycle".getBytes(StandardCharsets.US_ASCII));
        assertTrue(listing > 64, "the listing's document follows the header");
        // Its 4-byte length, the event name marker and the name's length come before the name.
        final int document = listing - 6;
        switch (damage)
        {
            case CUT_INSIDE_A_DOCUMENT -> Files.write(metadata, Arrays.copyOf(bytes, document + 10));
            case A_LENGTH_PAST_THE_END ->
            {
                bytes[document + 2] = 0x7F;
                Files.write(metadata, bytes);
            }
            case ZEROED_AFTER_ITS_HEADER ->
            {
                Arrays.fill(bytes, document, bytes.length, (byte)0);
                Files.write(metadata, bytes);
            }
        }

        final List<JournalIntegrity.Problem> problems = JournalIntegrity.inspect(dataDirectory);
        assertEquals(1, problems.size(), problems.toString());
        assertFalse(problems.get(0).losesBatches(), problems.toString());
        final JournalException refused =
            assertThrows(JournalException.class, () -> Sequencer.launch(context(new Released())));
        assertTrue(refused.getMessage().contains("the queue's metadata " + metadata + " is damaged (") &&
            refused.getMessage().contains("move it out of"), refused.getMessage());

        Files.move(metadata, dataDirectory.resolve("metadata.cq4t.damaged"));
        try (Sequencer sequencer = Sequencer.launch(context(new Released())))
        {
            assertEquals(lastReleased, sequencer.recovery().lastSequence());
        }
    }

    private static int indexOf(final byte[] bytes, final byte[] part)
    {
        for (int i = 0; i + part.length <= bytes.length; i++)
        {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length))
            {
                return i;
            }
        }
        return -1;
    }

    private List<Path> cycleFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(JournalFiles.journalDirectory(dataDirectory)))
        {
            final List<Path> cycles = files.filter(file -> file.toString().endsWith(".cq4")).sorted().toList();
            assertEquals(DAYS, cycles.size(), "a cycle file per day");
            return cycles;
        }
    }

    private Map<Path, Long> sizes() throws IOException
    {
        final Map<Path, Long> sizes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dataDirectory))
        {
            for (final Path file : files.filter(Files::isRegularFile).toList())
            {
                sizes.put(file, Files.size(file));
            }
        }
        return sizes;
    }

    /**
     * Where Chronicle's header says the file's last document starts.
     */
    private long writePosition(final Path file)
    {
        try (SingleChronicleQueue queue = JournalFiles.openForReading(dataDirectory))
        {
            for (int cycle = queue.firstCycle(); cycle <= queue.lastCycle(); cycle++)
            {
                final SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
                if (store != null)
                {
                    try
                    {
                        if (store.file().toPath().equals(file))
                        {
                            return store.writePosition();
                        }
                    }
                    finally
                    {
                        queue.closeStore(store);
                    }
                }
            }
        }
        throw new AssertionError("no cycle of " + file);
    }

    private static void truncate(final Path file, final long length) throws IOException
    {
        try (RandomAccessFile open = new RandomAccessFile(file.toFile(), "rw"))
        {
            open.setLength(length);
        }
    }
}
