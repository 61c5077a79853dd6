package io.rollbook.app.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import io.rollbook.app.config.RollbookConfig;
import io.rollbook.journal.JournalCursor;
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
        final RollbookConfig config = RollbookConfig.defaults();
        final JsonCommands commands = new JsonCommands(config.marketDirectory());
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final List<String> lines = List.of(
            "{\"cmd\":\"deposit\",\"account\":7,\"amount\":\"10000\"}",
            "{\"cmd\":\"oracle\",\"market\":\"BTC-USD\",\"price\":\"50000\"}",
            "{\"cmd\":\"place\",\"account\":7,\"market\":\"BTC-USD\",\"side\":\"buy\",\"type\":\"limit\"," +
                "\"price\":\"49990.5\",\"size\":\"0.01\",\"clientId\":\"c1\"}",
            "{\"cmd\":\"funding\",\"market\":\"BTC-USD\",\"rate\":\"0.0001\"}");
        try (Sequencer sequencer = Sequencer.launch(config.sequencerContext(dataDirectory)))
        {
            long source = 1;
            for (final String line : lines)
            {
                final int length = commands.encode(line, buffer, 0);
                while (!sequencer.publisher().tryPublish(source, buffer, 0, length))
                {
                    Thread.yield();
                }
                source++;
            }
        }

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
}
