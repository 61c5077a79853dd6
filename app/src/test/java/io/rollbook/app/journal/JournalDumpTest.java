package io.rollbook.app.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.rollbook.app.config.RollbookConfig;
import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalDocument;
import io.rollbook.journal.RecordView;
import io.rollbook.journal.commitment.CommitmentHash;
import io.rollbook.journal.commitment.MerkleTree;
import io.rollbook.journal.commitment.RootLog;
import io.rollbook.journal.commitment.RootRecord;
import io.rollbook.protocol.engine.MassCancelEncoder;
import io.rollbook.protocol.engine.MassCancelTrigger;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.json.JsonCommands;
import io.rollbook.sequencer.Sequencer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalDumpTest
{
    @TempDir
    Path dataDirectory;

    @Test
    void printsBatchesCommandsInTheCommandFormatAndTheirEvents()
    {
        writeJournal();

        final StringWriter out = new StringWriter();
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            new JournalDump(cursor, out).dump(1, Long.MAX_VALUE);
        }
        final String dump = out.toString();
        assertTrue(dump.startsWith("genesis: engineSchema="), dump);
        assertTrue(dump.contains(" marketCapacity=256 accountCapacity=1048576 "), dump);
        assertTrue(dump.contains("batch 1  seq 1.."), dump);
        assertTrue(dump.contains("{\"cmd\":\"deposit\",\"account\":7,\"amount\":\"10000\"}"), dump);
        assertTrue(dump.contains("{\"cmd\":\"place\",\"account\":7,\"market\":\"BTC-USD\",\"side\":\"buy\"," +
            "\"type\":\"limit\",\"price\":\"49990.5\",\"size\":\"0.01\""), dump);
        assertTrue(dump.contains("\"clientId\":\"c1\""), dump);
        assertTrue(dump.contains("\"type\":\"accepted\""), dump);
        assertTrue(dump.contains("{\"cmd\":\"funding\",\"market\":\"BTC-USD\",\"rate\":\"0.0001\"}"), dump);
        assertTrue(dump.contains("{\"cmd\":\"defineFeeTier\",\"tier\":0,\"makerFee\":\"0.0002\",\"takerFee\":\"0.0005\"}"),
            dump);
        assertTrue(dump.contains(" ok  index "), dump);
        assertTrue(dump.contains("end: "), dump);
        assertEquals(-1, dump.indexOf("VOID"), dump);
    }

    /**
     * The batch header, root and command lines, character for character as the journal's fields give them:
     * checksum and index in hex, the root's hex, the timestamp as {@link Instant#toString()} writes it.
     */
    @Test
    void printsBatchHeadersRootsAndTimestampsExactly()
    {
        writeJournal();

        final StringWriter out = new StringWriter();
        final List<String> expected = new ArrayList<>();
        try (JournalCursor cursor = JournalCursor.open(dataDirectory);
            RootLog roots = RootLog.openForReading(dataDirectory,
                MerkleTree.heightFor(cursor.genesis().matcherContext().accountCapacity()),
                cursor.genesis().matcherContext().accountCapacity()))
        {
            new JournalDump(cursor, out, roots).dump(1, Long.MAX_VALUE);
            cursor.toStart();
            final RecordView record = new RecordView();
            final RootRecord root = new RootRecord();
            while (cursor.next() == JournalCursor.BATCH)
            {
                final JournalDocument batch = cursor.document();
                expected.add(String.format(Locale.ROOT, "batch %d  seq %d..%d  %d command(s)  %d bytes  crc32c %08x " +
                    "ok  index %x", batch.batchNumber(), batch.firstSequence(), batch.lastSequence(),
                    batch.commandCount(), batch.length(), batch.storedChecksum(), batch.index()));
                expected.add(roots.read(batch.batchNumber(), root) ? "  root " + CommitmentHash.hex(root.root()) :
                    "  root not recorded yet");
                batch.records(record);
                while (record.next())
                {
                    expected.add("  seq " + record.sequence() + "  " + Instant.ofEpochSecond(0, record.timestampNs()) +
                        "  source " + Long.toHexString(record.source()) + "  ");
                }
            }
        }
        final List<String> printed = out.toString().lines()
            .filter(line -> line.startsWith("batch ") || line.startsWith("  root ") || line.startsWith("  seq "))
            .collect(Collectors.toList());
        assertEquals(expected.size(), printed.size(), printed.toString());
        for (int i = 0; i < expected.size(); i++)
        {
            assertTrue(printed.get(i).startsWith(expected.get(i)), "line " + i + ": " + printed.get(i) +
                " should start with " + expected.get(i));
            if (!expected.get(i).startsWith("  seq "))
            {
                assertEquals(expected.get(i), printed.get(i));
            }
        }
    }

    /**
     * A command reads in the spelling of docs/JSON.md: a market's definition in the decimals and keys of the
     * {@code marketDefined} event it produces (not in lots and parts per million), a market order without a worst
     * price without a price (not {@code "0"}), a mass cancel's trigger as the {@code massCanceled} event spells it.
     */
    @Test
    void printsCommandsInTheSpellingOfTheirEvents()
    {
        final ExpandableArrayBuffer deadManCancel = new ExpandableArrayBuffer(64);
        final MassCancelEncoder massCancel = new MassCancelEncoder()
            .wrapAndApplyHeader(deadManCancel, 0, new MessageHeaderEncoder())
            .account(7)
            .market(MassCancelEncoder.marketNullValue())
            .side(Side.NULL_VAL)
            .trigger(MassCancelTrigger.DEAD_MAN_TIMER);
        writeJournal(List.of(
            "{\"cmd\":\"deposit\",\"account\":7,\"amount\":\"10000\"}",
            "{\"cmd\":\"oracle\",\"market\":\"BTC-USD\",\"price\":\"50000\"}",
            "{\"cmd\":\"place\",\"account\":7,\"market\":\"BTC-USD\",\"side\":\"buy\",\"type\":\"market\"," +
                "\"size\":\"0.01\",\"clientId\":\"m1\"}"),
            deadManCancel, MessageHeaderEncoder.ENCODED_LENGTH + massCancel.encodedLength());

        final StringWriter out = new StringWriter();
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            new JournalDump(cursor, out).dump(1, Long.MAX_VALUE);
        }
        final List<String> lines = out.toString().lines().collect(Collectors.toList());
        int definitions = 0;
        for (int i = 0; i < lines.size(); i++)
        {
            final int command = lines.get(i).indexOf("{\"cmd\":\"defineMarket\"");
            if (command >= 0)
            {
                final String defined = lines.get(i + 1);
                final String keys = defined.substring(defined.indexOf("\"type\":\"marketDefined\"") +
                    "\"type\":\"marketDefined\"".length());
                assertEquals("{\"cmd\":\"defineMarket\"" + keys, lines.get(i).substring(command));
                definitions++;
            }
        }
        assertEquals(RollbookConfig.defaults().markets().size(), definitions, out.toString());
        final String dump = out.toString();
        assertTrue(dump.contains("{\"cmd\":\"place\",\"account\":7,\"market\":\"BTC-USD\",\"side\":\"buy\"," +
            "\"type\":\"market\",\"size\":\"0.01\",\"tif\":\"ioc\""), dump);
        assertTrue(dump.contains("{\"cmd\":\"cancelAll\",\"account\":7,\"trigger\":\"deadManTimer\"}"), dump);
    }

    private void writeJournal()
    {
        writeJournal(List.of(
            "{\"cmd\":\"deposit\",\"account\":7,\"amount\":\"10000\"}",
            "{\"cmd\":\"oracle\",\"market\":\"BTC-USD\",\"price\":\"50000\"}",
            "{\"cmd\":\"place\",\"account\":7,\"market\":\"BTC-USD\",\"side\":\"buy\",\"type\":\"limit\"," +
                "\"price\":\"49990.5\",\"size\":\"0.01\",\"clientId\":\"c1\"}",
            "{\"cmd\":\"funding\",\"market\":\"BTC-USD\",\"rate\":\"0.0001\"}"),
            null, 0);
    }

    /**
     * Sequences the JSON lines, then the engine command in {@code engineCommand} (when not null), as the service
     * would, and closes the journal.
     */
    private void writeJournal(final List<String> lines, final ExpandableArrayBuffer engineCommand, final int length)
    {
        final RollbookConfig config = RollbookConfig.defaults();
        final JsonCommands commands = new JsonCommands(config.marketDirectory());
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        try (Sequencer sequencer = Sequencer.launch(config.sequencerContext(dataDirectory)))
        {
            long source = 1;
            for (final String line : lines)
            {
                final int encoded = commands.encode(line, buffer, 0);
                while (!sequencer.publisher().tryPublish(source, buffer, 0, encoded))
                {
                    Thread.yield();
                }
                source++;
            }
            while (engineCommand != null && !sequencer.publisher().tryPublish(source, engineCommand, 0, length))
            {
                Thread.yield();
            }
        }
    }
}
