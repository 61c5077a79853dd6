package io.rollbook.app.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalDocument;
import io.rollbook.journal.JournalFormat;
import io.rollbook.journal.JournalIntegrity;
import io.rollbook.journal.RecordView;
import io.rollbook.journal.commitment.RootLog;
import io.rollbook.journal.commitment.RootRecord;
import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.json.JsonEvents;

/**
 * Writes a journal in a form a person can read: the genesis, then each batch (number, sequence range, size,
 * checksum status, journal index, and the state root recorded after it), each of its commands (sequence, time,
 * source, the command as JSON) and each event as a JSON line; void documents and recovery markers say what they
 * are and why.
 *
 * <p>Reads with a {@link JournalCursor}, so what it shows as counting is exactly what recovery and audit count.
 */
public final class JournalDump
{
    private final JournalCursor cursor;
    private final Writer out;
    private final RootLog roots;
    private final RootRecord root = new RootRecord();
    private final MarketDirectory markets = new MarketDirectory();
    private final JsonEvents events = new JsonEvents(markets);
    private final CommandJson commands = new CommandJson(markets);
    private final RecordView record = new RecordView();
    private final StringBuilder line = new StringBuilder(1024);
    private final InstantText timestamps = new InstantText();
    private char[] chars = new char[1024];
    private boolean damagedFromOutside;

    public JournalDump(final JournalCursor cursor, final Writer out)
    {
        this(cursor, out, null);
    }

    /**
     * @param roots the data directory's roots, or null if it records none
     */
    public JournalDump(final JournalCursor cursor, final Writer out, final RootLog roots)
    {
        this.cursor = cursor;
        this.out = out;
        this.roots = roots;
    }

    /**
     * Says that the journal's files were damaged from outside the service ({@link #damage}): the start refuses such a
     * journal before recovery, so a torn tail at its end is not voided at the next start as it otherwise would be.
     *
     * @return this
     */
    public JournalDump damagedFromOutside(final boolean damaged)
    {
        this.damagedFromOutside = damaged;
        return this;
    }

    /**
     * @param fromBatch first batch to print (earlier ones are read, so markets are known, but not printed)
     * @param limit     how many batches to print at most
     * @return how many batches were printed
     */
    public long dump(final long fromBatch, final long limit)
    {
        try
        {
            return dumpDocuments(fromBatch, limit);
        }
        catch (final InternalError ex)
        {
            print("READ FAULT after batch " + cursor.lastBatchNumber() + " (sequence " + cursor.lastSequence() +
                "): a cycle file ends inside what Chronicle maps of it (" + ex.getMessage() + "); the journal was " +
                "damaged from outside the service and cannot be read further");
            flush();
            return 0;
        }
    }

    /**
     * @return the lines that say what {@link JournalIntegrity#inspect} found wrong with the journal's files, printed
     *         before the documents (and before opening them, which such damage may prevent)
     */
    public static List<String> damage(final List<JournalIntegrity.Problem> problems)
    {
        return problems.stream().map(problem -> "DAMAGED FROM OUTSIDE THE SERVICE: " + problem.what() +
            "; the service refuses to start on it").toList();
    }

    private long dumpDocuments(final long fromBatch, final long limit)
    {
        print("genesis: " + cursor.genesis().parameters());
        print(roots == null ? "roots: none recorded" : "roots: " + roots.lastBatchNumber() + " recorded in " +
            roots.path());
        long printed = 0;
        long batches = 0;
        int kind;
        while (printed < limit && (kind = cursor.next()) != JournalCursor.END)
        {
            final JournalDocument document = cursor.document();
            switch (kind)
            {
                case JournalCursor.BATCH:
                    batches++;
                    if (document.batchNumber() >= fromBatch)
                    {
                        printBatch(document);
                        printed++;
                    }
                    else
                    {
                        learnMarkets(document);
                    }
                    break;
                case JournalCursor.MARKER:
                    print("recovery: " + document.recoveryVoidCount() + " void document(s) from index " +
                        Long.toHexString(document.recoveryFirstVoidIndex()) + " (" +
                        JournalDocument.problem(document.recoveryReason()) + "); the journal continues after batch " +
                        document.recoveryLastBatchNumber() + " (sequence " + document.recoveryLastSequence() + ")" +
                        (cursor.closedIntactBatches() == 0 ? "" : "; " + cursor.closedIntactBatches() + " of them " +
                            "intact batch(es) up to sequence " + cursor.closedRangeLastSequence() + ", voided by an " +
                            "operator (journal void-damaged): their commands may have been released"));
                    break;
                default:
                    print("VOID document at index " + Long.toHexString(document.index()) + ", " + document.length() +
                        " bytes: " + (cursor.lastValidation() == JournalDocument.VALID ?
                        JournalFormat.typeName(document.type()) + " " +
                            (document.isBatch() ? document.batchNumber() + " out of order" : "after a void document") :
                        JournalDocument.problem(cursor.lastValidation())) +
                        " (does not count)");
            }
        }
        if (printed < limit)
        {
            print("end: " + batches + " batch(es), last sequence " + cursor.lastSequence() +
                (!cursor.tornTail() ? "" : cursor.intactBatchesInVoidRange() > 0 ? "; DAMAGED: " +
                    cursor.voidCount() + " void document(s) from index " + Long.toHexString(cursor.firstVoidIndex()) +
                    ", of which " + cursor.intactBatchesInVoidRange() + " intact batch(es) up to sequence " +
                    cursor.voidRangeLastSequence() + "; the service refuses to start on it" :
                    "; TORN TAIL of " + cursor.voidCount() + " document(s) from index " +
                    Long.toHexString(cursor.firstVoidIndex()) + (damagedFromOutside ? ", not voided: the service " +
                    "refuses to start on the damage above" : ", voided at the next start")));
        }
        flush();
        return printed;
    }

    private void printBatch(final JournalDocument document)
    {
        line.setLength(0);
        line.append("batch ").append(document.batchNumber())
            .append("  seq ").append(document.firstSequence()).append("..").append(document.lastSequence())
            .append("  ").append(document.commandCount()).append(" command(s)  ").append(document.length())
            .append(" bytes  crc32c ");
        appendHex8(line, document.storedChecksum()).append(" ok")
            .append("  index ").append(Long.toHexString(document.index()));
        print(line);
        if (roots != null)
        {
            line.setLength(0);
            if (roots.read(document.batchNumber(), root))
            {
                root.appendRootHex(line.append("  root "));
                if (root.lastSequence() != document.lastSequence() || root.batchChecksum() != document.storedChecksum())
                {
                    line.append("  (RECORDED FOR ANOTHER BATCH DOCUMENT: last sequence ").append(root.lastSequence())
                        .append(", checksum ");
                    appendHex8(line, root.batchChecksum()).append(')');
                }
            }
            else
            {
                line.append(document.batchNumber() > roots.lastBatchNumber() ? "  root not recorded yet" :
                    "  root record DAMAGED");
            }
            print(line);
        }
        document.records(record);
        while (record.next())
        {
            line.setLength(0);
            line.append("  seq ").append(record.sequence()).append("  ");
            timestamps.append(line, record.timestampNs()).append("  source ")
                .append(Long.toHexString(record.source())).append("  ");
            commands.append(line, record.buffer(), record.commandOffset(), record.commandLength());
            print(line);
            int offset = record.eventsOffset();
            final int end = offset + record.eventsLength();
            while (offset < end)
            {
                line.setLength(0);
                line.append("    ");
                offset += events.append(line, record.sequence(), record.buffer(), offset);
                print(line);
            }
        }
    }

    private void learnMarkets(final JournalDocument document)
    {
        document.records(record);
        while (record.next())
        {
            int offset = record.eventsOffset();
            final int end = offset + record.eventsLength();
            while (offset < end)
            {
                line.setLength(0);
                offset += events.append(line, record.sequence(), record.buffer(), offset);
            }
        }
    }

    private void print(final String text)
    {
        try
        {
            out.append(text).append('\n');
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Writes the line through the printer's own characters: a dump prints several lines per command, and a
     * string made of each would be garbage at once.
     */
    private void print(final StringBuilder text)
    {
        final int length = text.length();
        if (chars.length < length + 1)
        {
            chars = new char[Math.max(length + 1, 2 * chars.length)];
        }
        text.getChars(0, length, chars, 0);
        chars[length] = '\n';
        try
        {
            out.write(chars, 0, length + 1);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void flush()
    {
        try
        {
            out.flush();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Appends the eight lower-case hex digits of {@code value}, leading zeros included.
     */
    private static StringBuilder appendHex8(final StringBuilder out, final int value)
    {
        for (int shift = 28; shift >= 0; shift -= 4)
        {
            out.append(Character.forDigit((value >>> shift) & 0xF, 16));
        }
        return out;
    }
}
