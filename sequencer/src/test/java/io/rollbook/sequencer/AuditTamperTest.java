package io.rollbook.sequencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import io.rollbook.journal.BatchBuilder;
import io.rollbook.journal.GenesisDocument;
import io.rollbook.journal.JournalDocument;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.JournalFormat;
import io.rollbook.journal.RecordView;
import io.rollbook.journal.audit.AuditReport;
import io.rollbook.journal.audit.JournalAudit;
import io.rollbook.journal.commitment.RootLog;
import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.protocol.engine.BalanceChangedDecoder;
import io.rollbook.protocol.engine.DepositDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.PositionChangedDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit against tampered journals: one real journal of the margin stream, with its roots, copied and altered
 * in one way per test. A clean copy audits clean; every alteration fails the audit, which names the batch (and
 * the sequence, where one command is at fault) that differs.
 */
class AuditTamperTest
{
    private static final int COMMANDS = 30_000;

    @TempDir
    static Path original;

    @TempDir
    Path copy;

    private static List<byte[]> documents;

    @BeforeAll
    static void writeJournal()
    {
        MarginJournals.write(original, 31, COMMANDS, 200);
        documents = MarginJournals.documents(original);
        assertTrue(documents.size() > 60, "enough batches to tamper with the middle: " + documents.size());
    }

    @Test
    void aCleanJournalAuditsClean()
    {
        MarginJournals.copyDirectory(original, copy);
        final AuditReport report = new JournalAudit(copy).fullCheckEveryCommands(5_000).run();
        assertTrue(report.passed(), report.toString());
        assertEquals(documents.size() - 1, report.batches());
        assertEquals(report.batches(), report.rootsCompared());
        assertEquals(COMMANDS, report.commands());
        assertNotNull(report.firstRoot());
        assertTrue(report.toString().contains("PASSED"), report.toString());
    }

    @Test
    void aFlippedByteInAnInputIsFoundAtItsCommand()
    {
        final Target target = find(DepositDecoder.TEMPLATE_ID, BalanceChangedDecoder.TEMPLATE_ID);
        final List<byte[]> tampered = copyOfDocuments();
        tampered.get((int)target.batch)[target.commandOffset + MessageHeaderDecoder.ENCODED_LENGTH] ^= 1;
        MarginJournals.writeDocuments(copy, tampered, true);
        MarginJournals.copyRoots(original, copy);

        final AuditReport.Failure failure = failure();
        assertEquals(target.batch, failure.batch(), failure.headline());
        assertEquals(target.sequence, failure.sequence(), failure.headline());
        assertTrue(failure.what().contains("events differ"), failure.headline());
        final String expected = "expected:  {\"seq\":" + target.sequence + ",\"type\":\"balance\"";
        assertTrue(failure.details().stream().anyMatch(line -> line.startsWith(expected)),
            String.join("\n", failure.details()));
        assertNotNull(failure.command());
    }

    @Test
    void aFlippedByteInAnEventIsFoundAtItsCommand()
    {
        final Target target = find(0, PositionChangedDecoder.TEMPLATE_ID);
        final List<byte[]> tampered = copyOfDocuments();
        // the low byte of the first event's first field: a position's size
        tampered.get((int)target.batch)[target.eventsOffset + MessageHeaderDecoder.ENCODED_LENGTH] ^= 4;
        MarginJournals.writeDocuments(copy, tampered, true);
        MarginJournals.copyRoots(original, copy);

        final AuditReport.Failure failure = failure();
        assertEquals(target.batch, failure.batch(), failure.headline());
        assertEquals(target.sequence, failure.sequence(), failure.headline());
        assertTrue(failure.details().stream().anyMatch(line -> line.startsWith("journaled: {\"seq\":" +
            target.sequence + ",\"type\":\"position\"")), String.join("\n", failure.details()));
    }

    @Test
    void aDamagedBatchIsNamed() throws IOException
    {
        final int batch = documents.size() / 2;
        MarginJournals.copyDirectory(original, copy);
        // Inside the document whatever its size: batches close when the journal thread is idle, so one may hold a
        // single command and end before byte 200.
        final byte[] document = documents.get(batch);
        flipInPlace(document, Math.min(200, document.length - 1));

        final AuditReport.Failure failure = failure();
        assertEquals(batch, failure.batch(), failure.headline());
        assertTrue(failure.what().contains("damaged: checksum mismatch"), failure.headline());
    }

    @Test
    void aRemovedBatchIsNamed()
    {
        final int batch = documents.size() / 3;
        final List<byte[]> tampered = copyOfDocuments();
        tampered.remove(batch);
        MarginJournals.writeDocuments(copy, tampered, false);
        MarginJournals.copyRoots(original, copy);

        final AuditReport.Failure failure = failure();
        assertEquals(batch, failure.batch(), failure.headline());
        assertTrue(failure.what().startsWith("missing or out of order"), failure.headline());
        assertTrue(failure.what().contains("holds batch " + (batch + 1)), failure.headline());
    }

    @Test
    void reorderedBatchesAreNamed()
    {
        final int batch = documents.size() / 2;
        final List<byte[]> tampered = copyOfDocuments();
        tampered.set(batch, documents.get(batch + 1));
        tampered.set(batch + 1, documents.get(batch));
        MarginJournals.writeDocuments(copy, tampered, false);
        MarginJournals.copyRoots(original, copy);

        final AuditReport.Failure failure = failure();
        assertEquals(batch, failure.batch(), failure.headline());
        assertTrue(failure.what().contains("missing or out of order"), failure.headline());
    }

    @Test
    void aBatchCutFromTheEndIsFoundByTheRecordedRoots()
    {
        final List<byte[]> tampered = copyOfDocuments();
        tampered.remove(tampered.size() - 1);
        MarginJournals.writeDocuments(copy, tampered, false);
        MarginJournals.copyRoots(original, copy);

        final AuditReport.Failure failure = failure();
        assertEquals(documents.size() - 1, failure.batch(), failure.headline());
        assertTrue(failure.what().contains("roots are recorded up to batch " + (documents.size() - 1)),
            failure.headline());
    }

    @Test
    void aTimestampGoingBackwardsIsFound()
    {
        final Target target = find(0, 0);
        final List<byte[]> tampered = copyOfDocuments();
        final UnsafeBuffer batch = new UnsafeBuffer(tampered.get((int)target.batch));
        batch.putLong(target.recordOffset + JournalFormat.RECORD_TIMESTAMP_OFFSET, 1, ByteOrder.LITTLE_ENDIAN);
        MarginJournals.writeDocuments(copy, tampered, true);
        MarginJournals.copyRoots(original, copy);

        final AuditReport.Failure failure = failure();
        assertEquals(target.batch, failure.batch(), failure.headline());
        assertEquals(target.sequence, failure.sequence(), failure.headline());
        assertTrue(failure.what().contains("timestamps never go backwards"), failure.headline());
    }

    @Test
    void aConsistentlyForgedHistoryIsFoundByItsRoot()
    {
        final Target target = find(DepositDecoder.TEMPLATE_ID, BalanceChangedDecoder.TEMPLATE_ID);
        final List<byte[]> forged = forgeFrom(target);
        MarginJournals.writeDocuments(copy, forged, true);

        final AuditReport withoutRoots = new JournalAudit(copy).run();
        assertTrue(withoutRoots.passed(), "re-executed from the altered input, the forgery is consistent: " +
            withoutRoots);

        MarginJournals.copyRoots(original, copy);
        final AuditReport.Failure failure = failure();
        assertEquals(target.batch, failure.batch(), failure.headline());
        assertEquals(0, failure.sequence(), failure.headline());
        assertTrue(failure.what().contains("recorded root was taken after another batch document"), failure.headline());
        assertTrue(failure.details().get(2).startsWith("the roots differ too: computed "),
            failure.details().toString());
    }

    @Test
    void aRecordedRootThatIsWrongOrDamagedIsNamed() throws IOException
    {
        final long batch = documents.size() / 2;
        MarginJournals.copyDirectory(original, copy);
        final long offset = RootLog.HEADER_LENGTH + (batch - 1) * RootLog.RECORD_LENGTH;
        try (FileChannel channel = FileChannel.open(JournalFiles.rootsFile(copy), StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            final ByteBuffer record = ByteBuffer.allocate(RootLog.RECORD_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(record, offset);
            record.put(40, (byte)(record.get(40) ^ 0x10));
            final CRC32C crc = new CRC32C();
            crc.update(record.array(), 0, RootLog.RECORD_LENGTH - 4);
            record.putInt(RootLog.RECORD_LENGTH - 4, (int)crc.getValue());
            channel.write(record.clear(), offset);
            AuditReport.Failure failure = failure();
            assertEquals(batch, failure.batch(), failure.headline());
            assertTrue(failure.what().contains("recorded root differs from the root of the state"), failure.headline());

            record.put(41, (byte)(record.get(41) ^ 0x10));
            channel.write(record.clear(), offset);
            failure = failure();
            assertEquals(batch, failure.batch(), failure.headline());
            assertTrue(failure.what().contains("is damaged"), failure.headline());
        }
    }

    private AuditReport.Failure failure()
    {
        final AuditReport report = new JournalAudit(copy).run();
        assertTrue(!report.passed(), "the audit must fail:\n" + report);
        assertTrue(report.toString().contains("FAILED") && report.toString().contains("FIRST DIFFERENCE: batch " +
            report.failure().batch()), report.toString());
        return report.failure();
    }

    private static List<byte[]> copyOfDocuments()
    {
        final List<byte[]> copy = new ArrayList<>();
        for (final byte[] document : documents)
        {
            copy.add(document.clone());
        }
        return copy;
    }

    /**
     * Where one command sits in the journal's documents.
     */
    private record Target(long batch, long sequence, int recordOffset, int commandOffset, int eventsOffset)
    {
    }

    /**
     * @return the first command from the middle batch on whose template is {@code commandTemplate} (0: any) and
     *         whose first event's is {@code eventTemplate} (0: any)
     */
    private static Target find(final int commandTemplate, final int eventTemplate)
    {
        final JournalDocument document = new JournalDocument();
        final RecordView record = new RecordView();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        for (int batch = documents.size() / 2; batch < documents.size(); batch++)
        {
            final byte[] bytes = documents.get(batch);
            document.wrap(new UnsafeBuffer(bytes), 0, bytes.length, 0).records(record);
            while (record.next())
            {
                final int command = header.wrap(record.buffer(), record.commandOffset()).templateId();
                final int event = record.eventsLength() == 0 ? -1 :
                    header.wrap(record.buffer(), record.eventsOffset()).templateId();
                if ((commandTemplate == 0 || command == commandTemplate) &&
                    (eventTemplate == 0 || event == eventTemplate))
                {
                    return new Target(batch, record.sequence(), record.recordOffset(), record.commandOffset(),
                        record.eventsOffset());
                }
            }
        }
        throw new IllegalStateException("no such command in the second half of the journal");
    }

    /**
     * The journal as a forger with a fresh matcher would write it: one deposit larger by a micro-USDC, and every
     * event from there on computed again, so that commands and events agree with each other everywhere.
     */
    private static List<byte[]> forgeFrom(final Target target)
    {
        final GenesisDocument genesis = new JournalDocument().wrap(new UnsafeBuffer(documents.get(0)), 0,
            documents.get(0).length, 0).genesis();
        final Matcher matcher = new Matcher(genesis.matcherContext());
        final EventWriter events = new EventWriter();
        final BatchBuilder builder = new BatchBuilder();
        final JournalDocument document = new JournalDocument();
        final RecordView record = new RecordView();
        final List<byte[]> forged = new ArrayList<>();
        forged.add(documents.get(0).clone());
        for (int batch = 1; batch < documents.size(); batch++)
        {
            final byte[] bytes = documents.get(batch).clone();
            if (batch == target.batch)
            {
                bytes[target.commandOffset + MessageHeaderDecoder.ENCODED_LENGTH] ^= 1;
            }
            final ExpandableArrayBuffer out = new ExpandableArrayBuffer(bytes.length + 4096);
            builder.begin(out, batch);
            document.wrap(new UnsafeBuffer(bytes), 0, bytes.length, 0).records(record);
            while (record.next())
            {
                final int eventsOffset = builder.beginRecord(record.sequence(), record.timestampNs(), record.source(),
                    record.buffer(), record.commandOffset(), record.commandLength());
                events.wrap(out, eventsOffset);
                matcher.execute(record.sequence(), record.timestampNs(), out, eventsOffset - record.commandLength(),
                    record.commandLength(), events);
                builder.endRecord(events.position(), events.eventCount());
            }
            final int length = builder.finish();
            forged.add(Arrays.copyOf(out.byteArray(), length));
        }
        return forged;
    }

    /**
     * Flips a byte of a document where it lies in the journal's files, as damage on disk would.
     */
    private void flipInPlace(final byte[] document, final int at) throws IOException
    {
        final byte[] pattern = Arrays.copyOf(document, JournalFormat.BATCH_HEADER_LENGTH);
        final List<Path> files;
        try (Stream<Path> list = Files.list(JournalFiles.journalDirectory(copy)))
        {
            files = list.filter(file -> file.toString().endsWith(".cq4")).toList();
        }
        for (final Path file : files)
        {
            final byte[] content = Files.readAllBytes(file);
            for (int i = 0; i + pattern.length <= content.length; i++)
            {
                if (content[i] == pattern[0] &&
                    Arrays.equals(content, i, i + pattern.length, pattern, 0, pattern.length))
                {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
                    {
                        channel.write(ByteBuffer.wrap(new byte[] {(byte)(content[i + at] ^ 0x40)}), i + at);
                    }
                    return;
                }
            }
        }
        throw new IllegalStateException("document not found in the journal files");
    }
}
