package io.rollbook.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.rollbook.app.RollbookMain;
import io.rollbook.app.config.RollbookConfig;
import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.commitment.CommitmentHash;
import io.rollbook.protocol.json.JsonCommands;
import io.rollbook.sequencer.Sequencer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit}, {@code proof}, {@code verify-proof} and the roots in {@code journal dump}, on a data directory
 * the service wrote with its default configuration (commitments on).
 */
class CommitmentCommandsTest
{
    private static final long MARK = 0x5EED_0000_C0DE_0001L;

    @TempDir
    Path dataDirectory;

    @TempDir
    Path work;

    @BeforeEach
    void runTheService()
    {
        final RollbookConfig config = RollbookConfig.defaults();
        final JsonCommands commands = new JsonCommands(config.marketDirectory());
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final List<String> lines = List.of(
            "{\"cmd\":\"deposit\",\"account\":11,\"amount\":\"100000\"}",
            "{\"cmd\":\"deposit\",\"account\":12,\"amount\":\"100000\"}",
            "{\"cmd\":\"oracle\",\"market\":\"BTC-USD\",\"price\":\"50000\"}",
            "{\"cmd\":\"place\",\"account\":11,\"market\":\"BTC-USD\",\"side\":\"sell\",\"price\":\"50000\"," +
                "\"size\":\"0.5\",\"clientId\":\"a\"}",
            "{\"cmd\":\"place\",\"account\":12,\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"50010\"," +
                "\"size\":\"0.8\",\"clientId\":\"b\",\"margin\":\"isolated\"}",
            "{\"cmd\":\"funding\",\"market\":\"BTC-USD\",\"rate\":\"0.0001\"}");
        try (Sequencer sequencer = Sequencer.launch(config.sequencerContext(dataDirectory)))
        {
            assertTrue(sequencer.commitments() != null, "the service configuration turns commitments on");
            for (final String line : lines)
            {
                final int length = commands.encode(line, buffer, 0);
                while (!sequencer.publisher().tryPublish(1, buffer, 0, length))
                {
                    Thread.yield();
                }
            }
        }
    }

    @Test
    void auditProofAndVerification() throws IOException
    {
        final Run audit = run("audit", "--data", dataDirectory.toString(), "--quiet");
        assertEquals(0, audit.exit, audit.out);
        assertTrue(audit.out.contains(": PASSED"), audit.out);
        assertTrue(audit.out.contains("commands    1..11 (11)"), audit.out);

        final Path proof = work.resolve("proof-12.json");
        final Run written = run("proof", "--data", dataDirectory.toString(), "--account", "12", "--out",
            proof.toString());
        assertEquals(0, written.exit, written.out);
        assertTrue(written.out.contains("market 1 isolated: size 5000 lots"), written.out);

        final Run verified = run("verify-proof", proof.toString());
        assertEquals(0, verified.exit, verified.out);
        assertTrue(verified.out.startsWith("proof holds"), verified.out);

        final String text = Files.readString(proof);
        Files.writeString(proof, text.replace("\"collateralMicros\": \"", "\"collateralMicros\": \"1"));
        final Run altered = run("verify-proof", proof.toString());
        assertEquals(1, altered.exit, altered.out);
        assertTrue(altered.out.startsWith("proof REJECTED: \"leaf\" is not what \"leafBytes\" encode"), altered.out);

        final Run stdout = run("proof", "--data", dataDirectory.toString(), "--account", "12");
        assertEquals(text, stdout.out, "without --out the proof goes to stdout");

        final Run outside = run("proof", "--data", dataDirectory.toString(), "--account", "0");
        assertEquals(2, outside.exit);
        assertTrue(outside.err.contains("account 0 is outside 1..1048575"), outside.err);

        final Run dump = run("journal", "dump", "--data", dataDirectory.toString());
        assertEquals(0, dump.exit);
        assertTrue(dump.out.contains("roots: "), dump.out);
        assertTrue(dump.out.matches("(?s).*\n  root [0-9a-f]{64}\n.*"), dump.out);
    }

    /**
     * What an auditor compares with what the operator published: {@code journal roots} prints the recorded roots
     * in the lines {@code audit --published} reads; the audit states the range, the last root and the state hash,
     * and fails on a published root that differs or names a batch the journal does not hold.
     */
    @Test
    void theAuditComparesItsRootsWithPublishedOnes() throws IOException
    {
        final Run roots = run("journal", "roots", "--data", dataDirectory.toString());
        assertEquals(0, roots.exit, roots.err);
        final List<String> lines = roots.out.lines().toList();
        assertTrue(lines.size() >= 2, roots.out);
        for (int i = 0; i < lines.size(); i++)
        {
            assertTrue(lines.get(i).matches((i + 1) + " [0-9]+ [0-9a-f]{64}"), lines.get(i));
        }
        final String lastLine = lines.get(lines.size() - 1);
        final String lastRoot = lastLine.substring(lastLine.lastIndexOf(' ') + 1);

        final Path published = work.resolve("published.txt");
        Files.writeString(published, "# the operator's roots\n" + roots.out);
        final Run audit = run("audit", "--data", dataDirectory.toString(), "--quiet", "--published",
            published.toString());
        assertEquals(0, audit.exit, audit.out);
        assertTrue(audit.out.contains("  last root   " + lastRoot + " (after batch " + lines.size() + ", sequence 11)"),
            audit.out);
        assertTrue(audit.out.contains("  published   " + lines.size() + " root(s) in " + published + ", " +
            lines.size() + " compared"), audit.out);
        final String stateHash;
        try (Sequencer restarted = Sequencer.launch(RollbookConfig.defaults().sequencerContext(dataDirectory)))
        {
            stateHash = CommitmentHash.hex(restarted.recovery().stateHash());
        }
        assertTrue(audit.out.contains("  state hash  " + stateHash + " (after sequence 11: "), audit.out);

        final String forged = lastRoot.charAt(0) == '0' ? "1" + lastRoot.substring(1) : "0" + lastRoot.substring(1);
        Files.writeString(published, lines.size() + " " + forged + "\n");
        final Run differs = run("audit", "--data", dataDirectory.toString(), "--quiet", "--published",
            published.toString());
        assertEquals(1, differs.exit, differs.out);
        assertTrue(differs.out.contains("FIRST DIFFERENCE: batch " + lines.size() + ": its root differs from the " +
            "published one (" + published + " line 1)"), differs.out);
        assertTrue(differs.out.contains("published: " + forged), differs.out);

        Files.writeString(published, (lines.size() + 1) + " " + lastRoot + "\n");
        final Run beyond = run("audit", "--data", dataDirectory.toString(), "--quiet", "--published",
            published.toString());
        assertEquals(1, beyond.exit, beyond.out);
        assertTrue(beyond.out.contains("publishes a root of batch " + (lines.size() + 1)), beyond.out);

        Files.writeString(published, "1 2 3 " + lastRoot + "\n");
        final Run malformed = run("audit", "--data", dataDirectory.toString(), "--published", published.toString());
        assertEquals(2, malformed.exit, malformed.out);
        assertEquals("rollbook audit: " + published + " line 1: expected BATCH ROOT or BATCH LAST_SEQUENCE ROOT, " +
            "got 4 field(s)\n", malformed.err);

        Files.write(published, new byte[] {'#', '\n', '1', ' ', (byte)0xc3, '\n'});
        final Run notText = run("audit", "--data", dataDirectory.toString(), "--published", published.toString());
        assertEquals(2, notText.exit, notText.out);
        assertEquals("rollbook audit: " + published + " line 2: not UTF-8 text: byte 0xc3 at byte 3 of the line\n",
            notText.err);
    }

    @Test
    void aDamagedRootFileFailsTheAuditWithTheBatchNamed() throws IOException
    {
        final Path roots = dataDirectory.resolve("commitments").resolve("roots");
        final byte[] bytes = Files.readAllBytes(roots);
        bytes[64 + 30] ^= 1;
        Files.write(roots, bytes);
        final Run audit = run("audit", "--data", dataDirectory.toString(), "--quiet");
        assertEquals(1, audit.exit, audit.out);
        assertTrue(audit.out.contains("FIRST DIFFERENCE: batch 1: the record of its root"), audit.out);

        final Run listed = run("journal", "roots", "--data", dataDirectory.toString());
        assertEquals(1, listed.exit, listed.out);
        assertTrue(listed.err.contains("1 record(s) of " + roots + " are damaged (their checksum fails), the first " +
            "of batch 1: left out of the lines above."), listed.err);
        final List<String> lines = listed.out.lines().toList();
        assertTrue(!lines.isEmpty() && lines.get(0).matches("2 [0-9]+ [0-9a-f]{64}"),
            "the intact records after the damaged one are listed: " + listed.out);

        final Run missing = run("audit", "--data", work.resolve("nothing").toString(), "--quiet");
        assertEquals(1, missing.exit, missing.out);
        assertTrue(missing.out.contains("FIRST DIFFERENCE: no journal in"), missing.out);
    }

    /**
     * A file that is not there, or is a directory, is said to be so, with its name and the full command's name; a
     * bare path as the whole message reads as if the path were the error.
     */
    @Test
    void fileProblemsAreNamedWithTheFileAndWhy() throws IOException
    {
        final Path missing = work.resolve("no-such-proof.json");
        final Run notThere = run("verify-proof", missing.toString());
        assertEquals(2, notThere.exit);
        assertEquals("rollbook verify-proof: cannot read " + missing + ": no such file or directory\n", notThere.err);

        final Run directory = run("verify-proof", work.toString());
        assertEquals(2, directory.exit);
        assertEquals("rollbook verify-proof: cannot read " + work + ": Is a directory\n", directory.err);

        final Path nowhere = work.resolve("no-such-directory").resolve("proof.json");
        final Run unwritable = run("proof", "--data", dataDirectory.toString(), "--account", "12", "--out",
            nowhere.toString());
        assertEquals(2, unwritable.exit);
        assertEquals("rollbook proof: cannot write the proof to " + nowhere + ": no such file or directory\n",
            unwritable.err);

        final Run dump = run("journal", "dump", "--data", work.resolve("nothing").toString());
        assertEquals(2, dump.exit);
        assertTrue(dump.err.startsWith("rollbook journal dump: no journal in "), dump.err);

        final Path plainFile = Files.writeString(work.resolve("plain.txt"), "not a data directory\n");
        final Run file = run("proof", "--data", plainFile.toString(), "--account", "12");
        assertEquals(2, file.exit);
        assertEquals("rollbook proof: no journal in " + plainFile + ": it is a file, not a data directory\n", file.err);

        final Run zero = run("journal", "dump", "--data", dataDirectory.toString(), "--limit", "0");
        assertEquals(2, zero.exit);
        assertEquals("rollbook journal dump: --limit must be at least 1, got 0\n", zero.err);

        final Run publishedDirectory = run("audit", "--data", dataDirectory.toString(), "--published",
            work.toString());
        assertEquals(2, publishedDirectory.exit);
        assertEquals("rollbook audit: cannot read --published " + work + ": a directory, not a file of roots\n",
            publishedDirectory.err);
    }

    /**
     * Files no proof could be, which used to end the command in a Java error and a stack trace (exit 1, read as a
     * rejection by a script only by chance): a sparse file of 3 GiB, beyond what one array holds, and brackets
     * nested 100,000 deep. Each is one line of rejection on stdout with exit 1, nothing on stderr.
     */
    @Test
    void aHugeOrDeeplyNestedFileIsRejectedInOneLine() throws IOException
    {
        final Path huge = work.resolve("huge.json");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw"))
        {
            file.setLength(3L << 30);
        }
        final Run big = run("verify-proof", huge.toString());
        assertEquals(1, big.exit(), big.err());
        assertEquals("proof REJECTED: " + huge + " is larger than 1048576 bytes, which no proof file is\n", big.out());
        assertEquals("", big.err());

        final Path nested = work.resolve("nested.json");
        Files.writeString(nested, "[".repeat(100_000) + "]".repeat(100_000) + "\n");
        final Run deep = run("verify-proof", nested.toString());
        assertEquals(1, deep.exit(), deep.err());
        assertEquals("proof REJECTED: not a proof file: objects and arrays nested deeper than 8 levels at line 1, " +
            "column 9\n", deep.out());
        assertEquals("", deep.err());
    }

    /**
     * A published-roots file with no line break in it (a binary file given by mistake) is refused naming the file
     * and line in one short message, not echoed back whole, nor, past 2 GiB, a bare "-2147483648".
     */
    @Test
    void aPublishedFileWithAnEndlessLineIsRefusedInOneShortLine() throws IOException
    {
        final Path endless = work.resolve("endless-roots.txt");
        Files.writeString(endless, "1".repeat(2 << 20));
        final Run audit = run("audit", "--data", dataDirectory.toString(), "--published", endless.toString(),
            "--quiet");
        assertEquals(2, audit.exit(), audit.out());
        assertEquals("rollbook audit: " + endless + " line 1: the line is longer than 1048576 bytes\n", audit.err());
        assertEquals("", audit.out());
    }

    /**
     * A batch the journal does not hold is said to be missing, with the journal's last batch: an empty dump that
     * exits 0 reads as a batch with nothing in it.
     */
    @Test
    void aBatchPastTheEndOfTheJournalIsRefusedWithTheLastBatchNamed()
    {
        final long lastBatch;
        final long lastSequence;
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                assertEquals(JournalCursor.BATCH, kind);
            }
            lastBatch = cursor.lastBatchNumber();
            lastSequence = cursor.lastSequence();
        }
        final Run last = run("journal", "dump", "--data", dataDirectory.toString(), "--from-batch", "" + lastBatch);
        assertEquals(0, last.exit, last.err);
        assertTrue(last.out.contains("\nbatch " + lastBatch + "  seq "), last.out);

        final Run past = run("journal", "dump", "--data", dataDirectory.toString(), "--from-batch",
            "" + (lastBatch + 1));
        assertEquals(2, past.exit, past.out);
        assertEquals("rollbook journal dump: --from-batch " + (lastBatch + 1) + " is past the end of the journal: " +
            "its last batch is " + lastBatch + " (sequence " + lastSequence + ")\n", past.err);
    }

    /**
     * A damaged batch with intact batches after it is a journal the service refuses to start on: the dump says so
     * and exits 1, as the audit does, so that a script that checks the exit code does not take it for a good one.
     */
    @Test
    void aDamagedRangeWithIntactBatchesAfterItFailsTheDump() throws IOException
    {
        final RollbookConfig config = RollbookConfig.defaults();
        final JsonCommands commands = new JsonCommands(config.marketDirectory());
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final int length = commands.encode("{\"cmd\":\"deposit\",\"account\":13,\"amount\":\"7\"}", buffer, 0);
        for (final long source : new long[] {MARK, 1})
        {
            // One service run per command: each is a batch of its own.
            try (Sequencer sequencer = Sequencer.launch(config.sequencerContext(dataDirectory)))
            {
                while (!sequencer.publisher().tryPublish(source, buffer, 0, length))
                {
                    Thread.yield();
                }
            }
        }
        assertEquals(0, run("journal", "dump", "--data", dataDirectory.toString()).exit);

        damageTheRecordOf(MARK);

        final Run dump = run("journal", "dump", "--data", dataDirectory.toString());
        assertEquals(1, dump.exit, dump.out);
        assertTrue(dump.out.contains("VOID document at index ") && dump.out.contains("; DAMAGED: "), dump.out);
        final Run audit = run("audit", "--data", dataDirectory.toString(), "--quiet");
        assertEquals(1, audit.exit, audit.out);
    }

    /**
     * Flips a byte of the command of the journal's record whose source is {@code source}, as a bad disk would.
     */
    private void damageTheRecordOf(final long source) throws IOException
    {
        final Path cycle;
        try (Stream<Path> files = Files.list(JournalFiles.journalDirectory(dataDirectory)))
        {
            cycle = files.filter(file -> file.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        try (FileChannel channel = FileChannel.open(cycle, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final MappedByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            bytes.order(ByteOrder.LITTLE_ENDIAN);
            long found = -1;
            for (int i = 0; found < 0 && i + 8 <= bytes.limit(); i++)
            {
                if (bytes.getLong(i) == source)
                {
                    found = i;
                }
            }
            assertTrue(found > 0, "the record is in the cycle file");
            // The source is the record's last field before its command.
            channel.write(ByteBuffer.wrap(new byte[] {(byte)(bytes.get((int)found + 12) ^ 0x7F)}), found + 12);
        }
    }

    /**
     * Cuts the journal's last cycle file from outside, as a careless copy would: at the start of its last document
     * plus {@code bytesOfIt} of that document.
     *
     * @return the cycle file
     */
    private Path cutLastCycleFile(final long bytesOfIt) throws IOException
    {
        final Path cycle;
        final long lastDocument;
        try (SingleChronicleQueue queue = JournalFiles.openForReading(dataDirectory))
        {
            final SingleChronicleQueueStore store = queue.storeForCycle(queue.lastCycle(), queue.epoch(), false, null);
            cycle = store.file().toPath();
            lastDocument = store.writePosition();
            queue.closeStore(store);
        }
        try (RandomAccessFile file = new RandomAccessFile(cycle.toFile(), "rw"))
        {
            file.setLength(lastDocument + bytesOfIt);
        }
        return cycle;
    }

    private record Run(int exit, String out, String err)
    {
    }

    /**
     * A cycle file cut at a document boundary reads cleanly to an early end: the dump and the audit say that it was
     * cut, by Chronicle's own record of where its last document starts, and neither passes.
     */
    @Test
    void aCycleFileCutFromOutsideIsNamedByTheDumpAndTheAudit() throws IOException
    {
        final Path cycle = cutLastCycleFile(0);

        final Run dump = run("journal", "dump", "--data", dataDirectory.toString());
        assertEquals(1, dump.exit(), dump.err());
        assertTrue(dump.out().startsWith("DAMAGED FROM OUTSIDE THE SERVICE: cycle file " + cycle + " is cut short"),
            dump.out());
        assertTrue(dump.out().contains("end: "), "what remains is still printed: " + dump.out());

        final Run audit = run("audit", "--data", dataDirectory.toString(), "--quiet");
        assertEquals(1, audit.exit(), audit.out());
        assertTrue(audit.out().contains("the journal's files were damaged from outside the service: cycle file " +
            cycle + " is cut short") && audit.out().contains("The journal reads intact up to batch "), audit.out());

        final Run proof = run("proof", "--data", dataDirectory.toString(), "--account", "12");
        assertEquals(1, proof.exit(), proof.err());
        assertTrue(proof.err().startsWith("rollbook proof: DAMAGED FROM OUTSIDE THE SERVICE: cycle file " + cycle +
            " is cut short"), proof.err());
    }

    /**
     * A cut inside the last document leaves a torn tail, which the start would void were it not for the cut: the
     * dump does not promise that the next start voids it, since the start refuses.
     */
    @Test
    void aCycleFileCutInsideItsLastDocumentIsNotCalledATearTheStartVoids() throws IOException
    {
        final Path cycle = cutLastCycleFile(20);

        final Run dump = run("journal", "dump", "--data", dataDirectory.toString());
        assertEquals(1, dump.exit(), dump.err());
        assertTrue(dump.out().startsWith("DAMAGED FROM OUTSIDE THE SERVICE: cycle file " + cycle + " is cut short"),
            dump.out());
        assertTrue(dump.out().contains("; TORN TAIL of 1 document(s) from index ") &&
            dump.out().contains(", not voided: the service refuses to start on the damage above\n"), dump.out());
    }

    /**
     * The roots a damaged journal recorded are not listed for publication: {@code journal roots} refuses the journal
     * the service refuses to start on, with the dump's words for the damage and its exit code. The newest of two
     * daily cycle files is deleted and the metadata left: the older file still reads, and the roots file still holds
     * the roots of the lost batches.
     */
    @Test
    void aDeletedCycleFileIsRefusedByTheRootsListAsByTheDump() throws IOException
    {
        final RollbookConfig config = RollbookConfig.defaults();
        final long tomorrowMs = System.currentTimeMillis() + TimeUnit.DAYS.toMillis(1);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final int length = new JsonCommands(config.marketDirectory())
            .encode("{\"cmd\":\"deposit\",\"account\":13,\"amount\":\"100\"}", buffer, 0);
        try (Sequencer sequencer = Sequencer.launch(config.sequencerContext(dataDirectory)
            .journalFileClockMs(() -> tomorrowMs)))
        {
            while (!sequencer.publisher().tryPublish(1, buffer, 0, length))
            {
                Thread.yield();
            }
        }
        final Path cycle;
        try (SingleChronicleQueue queue = JournalFiles.openForReading(dataDirectory))
        {
            assertTrue(queue.firstCycle() < queue.lastCycle(), "two cycle files");
            final SingleChronicleQueueStore store = queue.storeForCycle(queue.lastCycle(), queue.epoch(), false, null);
            cycle = store.file().toPath();
            queue.closeStore(store);
        }
        Files.delete(cycle);

        final Run dump = run("journal", "dump", "--data", dataDirectory.toString());
        assertEquals(1, dump.exit(), dump.err());
        final List<String> damage = dump.out().lines().takeWhile(line -> line.startsWith("DAMAGED FROM OUTSIDE")).toList();
        assertEquals(1, damage.size(), dump.out());
        assertTrue(damage.get(0).contains(" and that file is missing: every batch it held is lost"), damage.get(0));

        final Run roots = run("journal", "roots", "--data", dataDirectory.toString());
        assertEquals(1, roots.exit(), roots.err());
        assertEquals("", roots.out(), "no root of a damaged journal is listed");
        assertEquals("rollbook journal roots: " + damage.get(0) + "\n", roots.err());
    }

    /**
     * Every cycle file deleted, the metadata left: the dump names the damage and exits 1, as for any damage from
     * outside, not 2 as for a directory that never held a journal.
     */
    @Test
    void aJournalWithEveryCycleFileDeletedIsNamedByTheDumpWithTheDamagesExit() throws IOException
    {
        try (DirectoryStream<Path> cycles = Files.newDirectoryStream(dataDirectory.resolve("journal"), "*.cq4"))
        {
            for (final Path cycle : cycles)
            {
                Files.delete(cycle);
            }
        }

        final Run dump = run("journal", "dump", "--data", dataDirectory.toString());
        assertEquals(1, dump.exit(), dump.err());
        assertTrue(dump.out().startsWith("DAMAGED FROM OUTSIDE THE SERVICE: "), dump.out());
        assertTrue(dump.err().startsWith("rollbook journal dump: no journal in "), dump.err());
    }

    /**
     * A queue metadata file cut inside one of its documents (its table store header intact) is named, as damaged,
     * by the dump and the roots list, instead of a Chronicle message about a read-only table store.
     */
    @Test
    void aCutQueueMetadataFileIsNamedAsDamagedByTheDumpAndTheRootsList() throws IOException
    {
        final Path metadata = JournalFiles.journalDirectory(dataDirectory).resolve(SingleChronicleQueue.QUEUE_METADATA_FILE);
        try (RandomAccessFile file = new RandomAccessFile(metadata.toFile(), "rw"))
        {
            file.setLength(300);
        }

        final Run dump = run("journal", "dump", "--data", dataDirectory.toString());
        assertEquals(1, dump.exit(), dump.err());
        final List<String> lines = dump.out().lines().toList();
        assertEquals(1, lines.size(), dump.out());
        assertTrue(lines.get(0).startsWith("DAMAGED FROM OUTSIDE THE SERVICE: the queue's metadata " + metadata +
            " is damaged (its document at byte ") && lines.get(0).contains("past the file's end at 300); it holds " +
            "Chronicle's bookkeeping, not batches: move it out of "), lines.get(0));

        final Run roots = run("journal", "roots", "--data", dataDirectory.toString());
        assertEquals(1, roots.exit(), roots.err());
        assertEquals("rollbook journal roots: " + lines.get(0) + "\n", roots.err());
    }

    /**
     * A key of the queue's metadata garbled (its roll format's name) leaves Chronicle unable to open the queue at
     * all: the dump names the damage and exits 1 with nothing else said, and a proof, which would otherwise prove a
     * state from whatever could still be read, is refused with the same words.
     */
    @Test
    void aGarbledQueueMetadataKeyIsNamedByTheDumpAndRefusedByTheProof() throws IOException
    {
        final Path metadata = JournalFiles.journalDirectory(dataDirectory).resolve(SingleChronicleQueue.QUEUE_METADATA_FILE);
        final byte[] bytes = Files.readAllBytes(metadata);
        final int format = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("format");
        assertTrue(format > 0, "the metadata names its roll format");
        bytes[format + 5] = 'X';
        Files.write(metadata, bytes);

        final Run dump = run("journal", "dump", "--data", dataDirectory.toString());
        assertEquals(1, dump.exit(), dump.err());
        assertEquals("", dump.err());
        final List<String> lines = dump.out().lines().toList();
        assertEquals(1, lines.size(), dump.out());
        assertTrue(lines.get(0).startsWith("DAMAGED FROM OUTSIDE THE SERVICE: the journal's files cannot be read as " +
            "a Chronicle queue ("), lines.get(0));

        final Run proof = run("proof", "--data", dataDirectory.toString(), "--account", "12");
        assertEquals(1, proof.exit(), proof.err());
        assertEquals("rollbook proof: " + lines.get(0) + "\n", proof.err());
        assertEquals("", proof.out());
    }

    /**
     * A file of the queue metadata's name too large to be Chronicle's (made sparse here) is named as damaged, not read
     * whole into memory, which ended the command in an OutOfMemoryError.
     */
    @Test
    void aQueueMetadataFileTooLargeToReadIsNamedAsDamaged() throws IOException
    {
        final Path metadata = JournalFiles.journalDirectory(dataDirectory).resolve(SingleChronicleQueue.QUEUE_METADATA_FILE);
        try (RandomAccessFile file = new RandomAccessFile(metadata.toFile(), "rw"))
        {
            file.setLength(3L << 30);
        }

        final Run dump = run("journal", "dump", "--data", dataDirectory.toString());
        assertEquals(1, dump.exit(), dump.err());
        assertTrue(dump.out().startsWith("DAMAGED FROM OUTSIDE THE SERVICE: the queue's metadata " + metadata +
            " is damaged (it is 3221225472 bytes, more than it can be read in one piece)"), dump.out());
    }

    private static Run run(final String... args)
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try
        {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            final var commandLine = RollbookMain.commandLine();
            commandLine.setErr(new PrintWriter(stderr, true, StandardCharsets.UTF_8));
            final int exit = commandLine.execute(args);
            System.out.flush();
            return new Run(exit, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
