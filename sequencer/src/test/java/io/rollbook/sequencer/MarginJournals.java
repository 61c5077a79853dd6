package io.rollbook.sequencer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.rollbook.journal.JournalDocument;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.JournalFormat;
import io.rollbook.journal.JournalReader;
import io.rollbook.matcher.margin.MarginStreamGenerator;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Real journals for the commitment and audit tests: the seeded margin stream (positions cross and isolated,
 * funding, liquidations) published through a real {@link Sequencer} with commitments on; and raw copies of a
 * journal's documents, to tamper with.
 */
final class MarginJournals
{
    private MarginJournals()
    {
    }

    /**
     * A sequencer context for the margin stream: its matcher context, no genesis commands (the stream brings its
     * own fee tiers and markets as its first commands), commitments on.
     */
    static Sequencer.Context context(final Path dataDirectory, final int batchMaxCommands)
    {
        return new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(MarginStreamGenerator.context())
            .batchMaxCommands(batchMaxCommands)
            .commitments(true);
    }

    /**
     * Publishes the stream's next {@code count} commands, each with its stream sequence number as its source.
     */
    static void publish(final CommandPublisher publisher, final MarginStreamGenerator stream, final int count)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        for (int i = 0; i < count; i++)
        {
            final int length = stream.next(buffer, 0);
            while (!publisher.tryPublish(stream.sequence(), buffer, 0, length))
            {
                if (!publisher.isAccepting())
                {
                    throw new IllegalStateException("sequencer stopped");
                }
                Thread.yield();
            }
        }
    }

    /**
     * Writes a journal of the margin stream and closes the sequencer.
     */
    static void write(final Path dataDirectory, final long seed, final int commands, final int batchMaxCommands)
    {
        try (Sequencer sequencer = Sequencer.launch(context(dataDirectory, batchMaxCommands)))
        {
            publish(sequencer.publisher(), new MarginStreamGenerator(seed), commands);
        }
    }

    /**
     * @return a copy of every document of the journal, the genesis first, as stored (checksums included)
     */
    static List<byte[]> documents(final Path dataDirectory)
    {
        final List<byte[]> documents = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dataDirectory))
        {
            reader.toStart();
            JournalDocument document;
            while ((document = reader.next()) != null)
            {
                final byte[] bytes = new byte[document.length()];
                document.buffer().getBytes(document.offset(), bytes);
                documents.add(bytes);
            }
        }
        return documents;
    }

    /**
     * Writes documents as a new journal, byte for byte.
     *
     * @param fixChecksums whether each document's checksum is computed again first (what a forger would do); if
     *                     not, an altered document keeps its old checksum and reads as damaged
     */
    static void writeDocuments(final Path dataDirectory, final List<byte[]> documents, final boolean fixChecksums)
    {
        try (SingleChronicleQueue queue = JournalFiles.openForWriting(dataDirectory);
            ExcerptAppender appender = queue.createAppender())
        {
            for (final byte[] document : documents)
            {
                if (fixChecksums)
                {
                    final UnsafeBuffer buffer = new UnsafeBuffer(document);
                    buffer.putInt(JournalFormat.CHECKSUM_OFFSET, JournalFormat.checksum(buffer, 0, document.length),
                        ByteOrder.LITTLE_ENDIAN);
                }
                try (DocumentContext context = appender.writingDocument())
                {
                    context.wire().bytes().write(document);
                }
            }
        }
    }

    /**
     * Copies a data directory's roots file (if any) into another data directory.
     */
    static void copyRoots(final Path from, final Path to)
    {
        final Path source = JournalFiles.rootsFile(from);
        if (!Files.exists(source))
        {
            return;
        }
        try
        {
            Files.createDirectories(JournalFiles.rootsFile(to).getParent());
            Files.copy(source, JournalFiles.rootsFile(to), StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Copies a whole data directory.
     */
    static void copyDirectory(final Path from, final Path to)
    {
        try (Stream<Path> files = Files.walk(from))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
