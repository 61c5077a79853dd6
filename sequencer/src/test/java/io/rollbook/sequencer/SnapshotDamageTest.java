package io.rollbook.sequencer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.snapshot.SnapshotStore;
import io.rollbook.matcher.Matcher;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots damaged or swapped from outside the service. One that cannot be trusted (cut short, a flipped byte,
 * another genesis's, another journal's) is skipped for an older one or for genesis, without loss: the journal still
 * holds everything. One whose batch the journal no longer holds proves the journal lost released batches, and the
 * start refuses.
 */
class SnapshotDamageTest
{
    private static final int COMMANDS = 40;

    @TempDir
    Path root;

    private static Sequencer.Context context(final Path dataDirectory, final Matcher.Context matcherContext)
    {
        return new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(matcherContext)
            .markets(RandomCommands.MARKETS);
    }

    /**
     * Commands one batch each, so that two journals of as many commands number their batches and indexes alike.
     *
     * @return the state hash at shutdown
     */
    private static byte[] journal(final Path dataDirectory, final long seed, final int from, final int to)
    {
        final Released released = new Released();
        final Sequencer sequencer = Sequencer.launch(context(dataDirectory, RandomCommands.matcherContext())
            .releaseListener(released));
        final RandomCommands commands = new RandomCommands(seed);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final int startup = released.count();
        for (int n = from; n < to; n++)
        {
            final int length = commands.encode(n, buffer, 0);
            while (!sequencer.publisher().tryPublish(1, buffer, 0, length))
            {
                Thread.yield();
            }
            final int expected = startup + n - from + 1;
            while (released.count() < expected)
            {
                Thread.yield();
            }
        }
        sequencer.close();
        return sequencer.matcherAfterClose().stateHash();
    }

    private static Path newestSnapshot(final Path dataDirectory)
    {
        return new SnapshotStore(dataDirectory).list().get(0);
    }

    private static Sequencer.Context context(final Path dataDirectory)
    {
        return context(dataDirectory, RandomCommands.matcherContext());
    }

    @Test
    void aNewestSnapshotCutShortIsSkippedWithoutLoss() throws IOException
    {
        final Path data = root.resolve("a");
        journal(data, 41, 0, COMMANDS);
        final byte[] hash = journal(data, 41, COMMANDS, 2 * COMMANDS);
        final Path newest = newestSnapshot(data);
        try (RandomAccessFile file = new RandomAccessFile(newest.toFile(), "rw"))
        {
            file.setLength(file.length() / 2);
        }
        assertRecoversEverything(data, hash, newest);
    }

    @Test
    void aNewestSnapshotWithOneFlippedByteIsSkippedWithoutLoss() throws IOException
    {
        final Path data = root.resolve("a");
        journal(data, 42, 0, COMMANDS);
        final byte[] hash = journal(data, 42, COMMANDS, 2 * COMMANDS);
        final Path newest = newestSnapshot(data);
        final byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 7] ^= 0x01;
        Files.write(newest, bytes);
        assertRecoversEverything(data, hash, newest);
    }

    @Test
    void aSnapshotOfAnotherGenesisIsSkipped() throws IOException
    {
        final Path data = root.resolve("a");
        final byte[] hash = journal(data, 43, 0, COMMANDS);
        final Path other = root.resolve("b");
        final Matcher.Context wider = RandomCommands.matcherContext().accountCapacity(
            RandomCommands.matcherContext().accountCapacity() + 1);
        try (Sequencer sequencer = Sequencer.launch(context(other, wider)))
        {
            assertTrue(sequencer.recovery().newJournal());
        }
        final Path foreign = newestSnapshot(other);
        final Path copied = newestSnapshot(data).resolveSibling(SnapshotStore.fileName(COMMANDS + 1_000));
        Files.copy(foreign, copied);
        assertRecoversEverything(data, hash, copied);
    }

    /**
     * Another journal of the same configuration numbers its batches and indexes alike: only the batch's checksum,
     * which the snapshot names, tells the two apart. Loading its state would continue another exchange's book.
     */
    @Test
    void aSnapshotOfAnotherJournalWithTheSameNumberingIsSkipped() throws IOException
    {
        final Path data = root.resolve("a");
        final byte[] hash = journal(data, 44, 0, COMMANDS);
        final Path other = root.resolve("b");
        journal(other, 45, 0, COMMANDS);
        final Path own = newestSnapshot(data);
        final Path foreign = newestSnapshot(other);
        assertEquals(own.getFileName(), foreign.getFileName(), "the same numbering");
        Files.copy(foreign, own, StandardCopyOption.REPLACE_EXISTING);

        assertRecoversEverything(data, hash, own);
    }

    /**
     * A snapshot is written only after its batch is journaled, released and forced: a snapshot beyond the journal's
     * end proves the journal lost released batches (here: the journal restored from an older backup, the snapshots
     * not). The start refuses and names the snapshot; moving it aside accepts the loss.
     */
    @Test
    void aSnapshotBeyondTheJournalsEndRefusesTheStart() throws IOException
    {
        final Path data = root.resolve("a");
        journal(data, 46, 0, COMMANDS);
        final Path backup = root.resolve("backup");
        copy(JournalFiles.journalDirectory(data), backup);
        journal(data, 46, COMMANDS, 2 * COMMANDS);
        final Path newest = newestSnapshot(data);
        final long claimed = SnapshotStore.read(newest).lastSequence();
        delete(JournalFiles.journalDirectory(data));
        copy(backup, JournalFiles.journalDirectory(data));

        final JournalException refused = assertThrows(JournalException.class, () -> Sequencer.launch(context(data)));
        assertTrue(refused.getMessage().contains("lost batches: snapshot " + newest) &&
            refused.getMessage().contains("(sequence " + claimed + ")") &&
            refused.getMessage().contains("the journal ends before it") &&
            refused.getMessage().contains("The journal reads intact up to batch ") &&
            refused.getMessage().contains("Restore the data directory"), refused.getMessage());

        Files.move(newest, root.resolve("aside.snap"));
        try (Sequencer sequencer = Sequencer.launch(context(data)))
        {
            assertTrue(sequencer.recovery().lastSequence() < claimed);
        }
    }

    private static void assertRecoversEverything(final Path data, final byte[] hash, final Path skipped)
    {
        final Sequencer recovered = Sequencer.launch(context(data));
        recovered.close();
        assertArrayEquals(hash, recovered.matcherAfterClose().stateHash(), "the state the journal describes");
        assertTrue(!skipped.equals(recovered.recovery().snapshotFile()), "the untrusted snapshot was skipped: " +
            recovered.recovery().describe());
    }

    private static void copy(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from))
        {
            for (final Path file : files.toList())
            {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    private static void delete(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : files.toList())
            {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }
}
