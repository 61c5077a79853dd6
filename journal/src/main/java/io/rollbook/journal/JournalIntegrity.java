package io.rollbook.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.stream.Stream;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

/**
 * Checks the journal's cycle files against Chronicle Queue's own record of how far each was written, before
 * anything reads or writes them: damage done from outside the service (a backup restore cut short, {@code truncate},
 * a deleted file) that the documents themselves cannot show.
 *
 * <p>A cycle file cut at a document boundary leaves a journal that reads cleanly and simply ends early: without
 * this check the start would number new commands over the lost ones. Each cycle file's header holds Chronicle's
 * write position (where its last document starts), in the file's first page, which such a cut leaves in place; the
 * directory's {@code metadata.cq4t} holds the newest cycle Chronicle created. So:
 * <ul>
 * <li>an empty cycle file, or one too short to hold its header, lost everything it held;</li>
 * <li>a cycle file that ends before its last document ends, or holds zeros where that document starts (a file cut
 * and then extended again), lost its end;</li>
 * <li>a newest cycle that the metadata names and whose file is gone lost all of it;</li>
 * <li>a metadata file whose header or documents do not hold together holds no batch, but Chronicle cannot be
 * trusted to open it (it waits on a lock, faults, or falls back to a read-only copy): it is named, to be moved
 * aside.</li>
 * </ul>
 * Reading such a file through its memory mapping faults past its end, so the check reads the few bytes it needs
 * with plain file reads, and it runs before a writer opens the queue: Chronicle extends a file it maps for writing
 * with zeros, which would hide the cut's length (not its zeros).
 *
 * <p>Stateless and thread-safe; reads only.
 */
public final class JournalIntegrity
{
    private static final int LENGTH_MASK = 0x3FFF_FFFF;
    private static final int NOT_COMPLETE = 0x8000_0000;
    /** The most that is read whole into one array: a larger file of the metadata's name is not Chronicle's. */
    private static final long MAX_METADATA_BYTES = Integer.MAX_VALUE - 8;
    private static final String CYCLE_SUFFIX = ".cq4";
    private static final String TABLE_STORE = "STStore";
    /** Chronicle's binary wire markers of a name of any length: a field's, an event's (the table store's keys). */
    private static final int FIELD_NAME_ANY = 0xB7;
    private static final int EVENT_NAME = 0xB9;
    /** The values of the queue's metadata that list its cycle files. */
    private static final List<String> REQUIRED_METADATA_VALUES = List.of("listing.highestCycle", "listing.lowestCycle");

    private JournalIntegrity()
    {
    }

    /**
     * One thing wrong with the journal's files.
     *
     * @param what          a sentence naming the file and what is wrong with it
     * @param losesBatches  true if batches the service wrote are missing because of it; false if only Chronicle's
     *                      bookkeeping is damaged (the metadata file), which holds no batch
     */
    public record Problem(String what, boolean losesBatches)
    {
    }

    /**
     * @return what is wrong with the journal's files; empty if nothing is (or there is no journal)
     */
    public static List<Problem> inspect(final Path dataDirectory)
    {
        final List<Problem> problems = new ArrayList<>();
        final Path journal = JournalFiles.journalDirectory(dataDirectory);
        if (!JournalFiles.journalExists(dataDirectory))
        {
            everyCycleFileMissing(journal, problems);
            return problems;
        }
        for (final Path file : cycleFiles(journal))
        {
            if (size(file) == 0)
            {
                problems.add(new Problem("cycle file " + file + " is empty (0 bytes): every batch it held is lost",
                    true));
            }
        }
        if (!problems.isEmpty())
        {
            return problems;
        }
        final Path metadata = journal.resolve(SingleChronicleQueue.QUEUE_METADATA_FILE);
        if (!looksLikeMetadata(metadata))
        {
            problems.add(damagedMetadata(journal, metadata, "its header is not a Chronicle table store's"));
            return problems;
        }
        final String metadataDamage = metadataDocumentsDamage(metadata);
        if (metadataDamage != null)
        {
            problems.add(damagedMetadata(journal, metadata, metadataDamage));
            return problems;
        }
        try (SingleChronicleQueue queue = JournalFiles.openReadOnly(journal))
        {
            final int lastCycle = queue.lastCycle();
            final NavigableSet<Long> cycles = queue.listCyclesBetween(queue.firstCycle(), lastCycle);
            if (!cycles.contains((long)lastCycle))
            {
                problems.add(missingNewest(metadata, String.valueOf(lastCycle)));
            }
            for (final long cycle : cycles)
            {
                checkEnd(queue, (int)cycle, problems);
            }
            if (problems.isEmpty())
            {
                checkContinuity(queue, cycles, problems);
            }
        }
        catch (final IllegalStateException ex)
        {
            final String message = String.valueOf(ex.getMessage());
            final int file = message.indexOf("file=");
            problems.add(message.contains("file not found") ?
                missingNewest(metadata, file >= 0 ? message.substring(file + 5) : message) :
                message.contains(SingleChronicleQueue.QUEUE_METADATA_FILE) ?
                damagedMetadata(journal, metadata, message) :
                new Problem("the journal's files cannot be read as a Chronicle queue (" + message + ")", true));
        }
        catch (final RuntimeException | InternalError ex)
        {
            problems.add(new Problem("the journal's files cannot be read as a Chronicle queue (" + ex + ")", true));
        }
        return problems;
    }

    /**
     * No cycle file at all reads as a directory never written, where the start writes a new genesis and numbers
     * commands from 1 again: unless the queue's metadata, left behind, records a cycle Chronicle created, whose file
     * was deleted with every other. Metadata without such a record (a start that ended before its genesis was
     * written) is no damage.
     */
    private static void everyCycleFileMissing(final Path journal, final List<Problem> problems)
    {
        final Path metadata = journal.resolve(SingleChronicleQueue.QUEUE_METADATA_FILE);
        if (!Files.isRegularFile(metadata) || size(metadata) == 0 || !looksLikeMetadata(metadata))
        {
            return;
        }
        try (SingleChronicleQueue queue = JournalFiles.openReadOnly(journal))
        {
            final int lastCycle = queue.lastCycle();
            if (lastCycle != Integer.MIN_VALUE)
            {
                problems.add(missingNewest(metadata, String.valueOf(lastCycle)));
            }
        }
        catch (final RuntimeException ex)
        {
            problems.add(damagedMetadata(journal, metadata, String.valueOf(ex.getMessage())));
        }
    }

    private static Problem damagedMetadata(final Path journal, final Path metadata, final String why)
    {
        return new Problem("the queue's metadata " + metadata + " is damaged (" + why + "); it holds Chronicle's " +
            "bookkeeping, not batches: move it out of " + journal + " and Chronicle rebuilds it from the cycle files " +
            "at the next start", false);
    }

    /**
     * Chronicle waits many seconds for a lock it reads from a damaged metadata file before it gives up; its first
     * document names its type, {@code STStore}, in its first bytes. A missing or empty file is no damage: Chronicle
     * makes a new one.
     */
    private static boolean looksLikeMetadata(final Path metadata)
    {
        if (!Files.exists(metadata) || size(metadata) == 0)
        {
            return true;
        }
        try (FileChannel channel = FileChannel.open(metadata, StandardOpenOption.READ))
        {
            final ByteBuffer start = ByteBuffer.allocate(64);
            channel.read(start, 0);
            return new String(start.array(), 0, start.position(), StandardCharsets.ISO_8859_1).contains(TABLE_STORE);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * Chronicle trusts the lengths of the metadata's documents: one that runs past the file's end faults the JVM
     * when read through the mapping, and a file cut inside a document makes a writer fall back, with only a warning,
     * to a read-only copy of the bookkeeping and start all the same. So the documents are walked here with plain
     * reads first: each must end inside the file and, after the header, be a named value; and the two values that
     * list the queue's cycles, which a writer records with its first cycle, must be there.
     *
     * @return what is wrong, or null if the documents hold together (a missing or empty file included)
     */
    private static String metadataDocumentsDamage(final Path metadata)
    {
        if (!Files.exists(metadata) || size(metadata) == 0)
        {
            return null;
        }
        if (size(metadata) > MAX_METADATA_BYTES)
        {
            return "it is " + size(metadata) + " bytes, more than it can be read in one piece";
        }
        final ByteBuffer bytes;
        try
        {
            bytes = ByteBuffer.wrap(Files.readAllBytes(metadata)).order(ByteOrder.nativeOrder());
        }
        catch (final IOException ex)
        {
            return "cannot read it: " + ex.getMessage();
        }
        final List<String> names = new ArrayList<>();
        int position = 0;
        while (position + 4 <= bytes.limit())
        {
            final int header = bytes.getInt(position);
            // Zeros end the documents; a document still being written (by a running service) is no damage.
            if (header == 0 || (header & NOT_COMPLETE) != 0)
            {
                break;
            }
            final int length = header & LENGTH_MASK;
            if (length == 0 || position + 4L + length > bytes.limit())
            {
                return "its document at byte " + position + " claims " + length + " bytes, past the file's end at " +
                    bytes.limit();
            }
            if (position > 0)
            {
                final String name = fieldName(bytes, position + 4, position + 4 + length);
                if (name == null)
                {
                    return "its document at byte " + position + " is not a named value";
                }
                names.add(name);
            }
            position += 4 + length;
        }
        for (final String required : REQUIRED_METADATA_VALUES)
        {
            if (!names.contains(required))
            {
                return "it records no " + required;
            }
        }
        return null;
    }

    /**
     * @return the name a table store document starts with (Chronicle's binary wire: a short field name, its length
     * in the marker byte, or a field or event name of any length, its length in a stop-bit encoded count), or null
     * if it starts with none or the name is not printable
     */
    private static String fieldName(final ByteBuffer bytes, final int from, final int to)
    {
        final int marker = bytes.get(from) & 0xFF;
        int at = from + 1;
        int length;
        if ((marker & 0xE0) == 0xC0)
        {
            length = marker & 0x1F;
        }
        else if (marker == FIELD_NAME_ANY || marker == EVENT_NAME)
        {
            length = 0;
            int shift = 0;
            int next;
            do
            {
                if (at >= to || shift > 28)
                {
                    return null;
                }
                next = bytes.get(at++) & 0xFF;
                length |= (next & 0x7F) << shift;
                shift += 7;
            }
            while ((next & 0x80) != 0);
        }
        else
        {
            return null;
        }
        if (length == 0 || at + length > to)
        {
            return null;
        }
        final StringBuilder name = new StringBuilder(length);
        for (int i = at; i < at + length; i++)
        {
            final int c = bytes.get(i) & 0xFF;
            if (c < 0x20 || c > 0x7E)
            {
                return null;
            }
            name.append((char)c);
        }
        return name.toString();
    }

    private static Problem missingNewest(final Path metadata, final String cycle)
    {
        return new Problem("the queue's metadata " + metadata + " names the newest cycle file Chronicle created (" +
            cycle + "), and that file is missing: every batch it held is lost", true);
    }

    /**
     * Refuses a journal whose files {@link #inspect} finds damaged, naming the damage, the last batch and sequence
     * the journal still proves, and what the operator can do; changes nothing.
     *
     * @throws JournalException if the journal's files are damaged
     */
    public static void check(final Path dataDirectory)
    {
        final List<Problem> problems = inspect(dataDirectory);
        if (problems.isEmpty())
        {
            return;
        }
        final String what = String.join("; ", problems.stream().map(Problem::what).toList());
        if (problems.stream().noneMatch(Problem::losesBatches))
        {
            throw new JournalException("the journal in " + dataDirectory + " cannot be opened: " + what + ". The " +
                "service changes nothing until then.");
        }
        throw new JournalException("the journal in " + dataDirectory + " was damaged from outside the service: " +
            what + ". " + readableExtent(dataDirectory) + " The batches after it were " +
            "journaled and may have been released to clients, so the service refuses to start and changes " +
            "nothing. Restore the data directory from a backup or a replica that holds them (docs/JOURNAL.md, " +
            "\"Damage from outside\"); ./rollbook journal dump and ./rollbook audit show what remains.");
    }

    /**
     * @return a sentence saying how far the journal reads intact, for a refusal or a report
     */
    public static String readableExtent(final Path dataDirectory)
    {
        long batch = 0;
        long sequence = 0;
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            while (cursor.next() != JournalCursor.END)
            {
                batch = cursor.lastBatchNumber();
                sequence = cursor.lastSequence();
            }
            batch = cursor.lastBatchNumber();
            sequence = cursor.lastSequence();
        }
        catch (final RuntimeException | InternalError ex)
        {
            return "The journal reads intact up to batch " + batch + " (sequence " + sequence + ") at least; " +
                "reading stops there (" + ex.getMessage() + ").";
        }
        return "The journal reads intact up to batch " + batch + " (sequence " + sequence + ").";
    }

    private static void checkEnd(final SingleChronicleQueue queue, final int cycle, final List<Problem> problems)
    {
        final SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null)
        {
            problems.add(new Problem("the cycle file of cycle " + cycle + " cannot be opened: too short for its " +
                "header", true));
            return;
        }
        try
        {
            checkEnd(store.file().toPath(), store.writePosition(), problems);
        }
        finally
        {
            queue.closeStore(store);
        }
    }

    /**
     * Chronicle's write position is where the file's last document starts: a file that does not hold that document
     * whole was cut (4 bytes of header, the length in its low 30 bits, then the document).
     */
    private static void checkEnd(final Path file, final long writePosition, final List<Problem> problems)
    {
        if (writePosition <= 0)
        {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            final ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
            if (writePosition + 4 > size || channel.read(header, writePosition) != 4)
            {
                problems.add(new Problem("cycle file " + file + " is cut short: it ends at byte " + size + ", before its last " +
                    "document, which Chronicle's header puts at byte " + writePosition, true));
                return;
            }
            final int word = header.getInt(0);
            if (word == 0)
            {
                problems.add(new Problem("cycle file " + file + " holds zeros at byte " + writePosition + ", where Chronicle's " +
                    "header puts its last document: it was cut short and extended again", true));
                return;
            }
            final long end = writePosition + 4 + (word & LENGTH_MASK);
            if (end > size)
            {
                problems.add(new Problem("cycle file " + file + " is cut short: it ends at byte " + size + ", inside its last " +
                    "document (bytes " + writePosition + ".." + end + ")", true));
            }
        }
        catch (final IOException ex)
        {
            problems.add(new Problem("cycle file " + file + " cannot be read: " + ex.getMessage(), true));
        }
    }

    /**
     * A cycle file deleted from the middle of the journal leaves no trace in the files around it, but the batch
     * numbers show it: a cycle's documents are at most consecutive batches, so the first batch of the next cycle is
     * at most one more than the first of this one plus its document count (a recovery document only ever numbers
     * back). Reads one document and Chronicle's count per cycle.
     */
    private static void checkContinuity(
        final SingleChronicleQueue queue, final NavigableSet<Long> cycles, final List<Problem> problems)
    {
        try (JournalReader reader = new JournalReader(queue))
        {
            long highestPossible = 0;
            Long previous = null;
            for (final long cycle : cycles)
            {
                final long firstIndex = queue.rollCycle().toIndex((int)cycle, 0);
                if (previous != null)
                {
                    highestPossible += queue.countExcerpts(queue.rollCycle().toIndex(previous.intValue(), 0),
                        firstIndex);
                }
                final JournalDocument first = reader.moveToIndex(firstIndex) ? reader.next() : null;
                if (first != null && first.validate() == JournalDocument.VALID && first.isBatch())
                {
                    if (previous != null && first.batchNumber() > highestPossible + 1)
                    {
                        problems.add(new Problem("cycle file " + fileOf(queue, (int)cycle) + " starts with batch " + first.batchNumber() + ", but the files before " +
                            "it hold batches up to " + highestPossible + " at most: batches " + (highestPossible + 1) +
                            ".." + (first.batchNumber() - 1) + " are missing (a cycle file deleted)", true));
                        return;
                    }
                    highestPossible = first.batchNumber() - 1;
                }
                previous = cycle;
            }
        }
    }

    private static Path fileOf(final SingleChronicleQueue queue, final int cycle)
    {
        final SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        try
        {
            return store.file().toPath();
        }
        finally
        {
            queue.closeStore(store);
        }
    }

    private static List<Path> cycleFiles(final Path journal)
    {
        try (Stream<Path> files = Files.list(journal))
        {
            return files.filter(file -> file.getFileName().toString().endsWith(CYCLE_SUFFIX)).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list " + journal + ": " + ex.getMessage(), ex);
        }
    }

    private static long size(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read the size of " + file + ": " + ex.getMessage(), ex);
        }
    }
}
