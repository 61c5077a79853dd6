package io.rollbook.journal.audit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import io.rollbook.journal.commitment.CommitmentHash;
import io.rollbook.protocol.Utf8Lines;

/**
 * State roots someone published (on a chain, a web page, the output of {@code rollbook journal roots}), for the
 * audit to hold its own roots against. A text file, one root per line:
 *
 * <pre>
 * BATCH ROOT
 * BATCH LAST_SEQUENCE ROOT
 * </pre>
 *
 * fields separated by spaces or tabs, {@code ROOT} 64 hex digits; with a last sequence, the journal's batch must
 * end at it too. Blank lines and lines starting with {@code #} are skipped; batches in any order, each once.
 *
 * <p>Immutable once read; any thread.
 */
public final class PublishedRoots
{
    /**
     * One published root.
     *
     * @param batch        the batch number
     * @param lastSequence the batch's last sequence number, or -1 when the line gives none
     * @param root         the 32-byte root
     * @param line         the line of the file it is on, from 1
     */
    public record Root(long batch, long lastSequence, byte[] root, int line)
    {
    }

    private final String source;
    private final TreeMap<Long, Root> roots;

    private PublishedRoots(final String source, final TreeMap<Long, Root> roots)
    {
        this.source = source;
        this.roots = roots;
    }

    /**
     * @throws IllegalArgumentException naming the file and line of the first line that is not a root, or a batch
     *                                  given twice
     * @throws UncheckedIOException     if the file cannot be read
     */
    public static PublishedRoots read(final Path file)
    {
        final List<String> lines = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file)))
        {
            final Utf8Lines reader = new Utf8Lines(in);
            while (reader.next())
            {
                if (reader.text() == null)
                {
                    throw new IllegalArgumentException(file + " line " + (lines.size() + 1) + ": " + reader.problem());
                }
                lines.add(reader.text());
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return parse(file.toString(), lines);
    }

    /**
     * @param source what to call the lines in messages and in the report (a file name)
     */
    public static PublishedRoots parse(final String source, final List<String> lines)
    {
        final TreeMap<Long, Root> roots = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final Root root = root(source, i + 1, line.split("[ \t]+"));
            final Root before = roots.put(root.batch(), root);
            if (before != null)
            {
                throw new IllegalArgumentException(source + " line " + root.line() + ": batch " + root.batch() +
                    " again (first on line " + before.line() + ")");
            }
        }
        return new PublishedRoots(source, roots);
    }

    private static Root root(final String source, final int line, final String[] fields)
    {
        final String at = source + " line " + line + ": ";
        if (fields.length != 2 && fields.length != 3)
        {
            throw new IllegalArgumentException(at + "expected BATCH ROOT or BATCH LAST_SEQUENCE ROOT, got " +
                fields.length + " field(s)");
        }
        final long batch = number(at, "batch", fields[0]);
        final long lastSequence = fields.length == 3 ? number(at, "last sequence", fields[1]) : -1;
        final String hex = fields[fields.length - 1].toLowerCase(Locale.ROOT);
        final byte[] root = CommitmentHash.unhex(hex);
        if (root == null || root.length != CommitmentHash.LENGTH)
        {
            throw new IllegalArgumentException(at + "the root must be " + 2 * CommitmentHash.LENGTH +
                " hex digits, got \"" + fields[fields.length - 1] + "\"");
        }
        return new Root(batch, lastSequence, root, line);
    }

    private static long number(final String at, final String what, final String text)
    {
        // ASCII digits only: Long.parseLong would also take Arabic-Indic or Devanagari ones.
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            throw new IllegalArgumentException(at + "the " + what + " must be a positive decimal number, got \"" +
                text + "\"");
        }
        final long value = Long.parseLong(text);
        if (value < 1)
        {
            throw new IllegalArgumentException(at + "the " + what + " must be at least 1, got " + value);
        }
        return value;
    }

    /**
     * @return the published root of a batch, or null
     */
    public Root of(final long batch)
    {
        return roots.get(batch);
    }

    public int size()
    {
        return roots.size();
    }

    /**
     * @return the highest batch with a published root, 0 when there is none
     */
    public long lastBatch()
    {
        return roots.isEmpty() ? 0 : roots.lastKey();
    }

    public String source()
    {
        return source;
    }
}
