package io.rollbook.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.rollbook.app.config.RollbookConfig;
import io.rollbook.matcher.JsonSimulation;
import org.junit.jupiter.api.Test;

/**
 * {@code rollbook simulate}'s input as files come: lines that are not UTF-8 text among good ones, and every kind of
 * line end. A bad line gets its own error line and the lines after it still run.
 */
class SimulateInputTest
{
    private static final String DEPOSIT = "{\"cmd\":\"deposit\",\"account\":11,\"amount\":\"100000\"}";

    @Test
    void aLineThatIsNotUtf8IsAnErrorLineAndTheLinesAfterItRun() throws IOException
    {
        final ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes((DEPOSIT + "\n").getBytes(StandardCharsets.UTF_8));
        input.writeBytes(new byte[] {'{', '"', (byte)0xff, '"', '}', '\n'});
        input.writeBytes(("# a comment\n" + DEPOSIT.replace("11", "12") + "\n").getBytes(StandardCharsets.UTF_8));

        final RollbookConfig configuration = RollbookConfig.load(null);
        final StringBuilder genesis = new StringBuilder();
        final JsonSimulation simulation =
            new JsonSimulation(configuration.matcherContext(), configuration.genesis(), genesis);
        final int genesisLines = (int)genesis.chars().filter(c -> c == '\n').count();
        final StringWriter written = new StringWriter();

        final boolean allValid = SimulateCommand.simulate(simulation, new ByteArrayInputStream(input.toByteArray()),
            new StringBuilder(), written);

        assertFalse(allValid);
        final String[] lines = written.toString().split("\n");
        assertEquals("{\"line\":2,\"type\":\"error\",\"message\":\"not UTF-8 text: byte 0xff at byte 3 of the line\"}",
            lines[1]);
        assertTrue(lines[0].startsWith("{\"seq\":" + (genesisLines + 1) + ",") && lines[0].contains("\"account\":11"),
            lines[0]);
        assertTrue(lines[2].startsWith("{\"seq\":" + (genesisLines + 2) + ",") && lines[2].contains("\"account\":12"),
            lines[2]);
        assertEquals(3, lines.length, written.toString());
    }

    @Test
    void linesEndAtLineFeedCarriageReturnOrBoth() throws IOException
    {
        assertEquals(List.of("a", "b", "", "c", "d", "e"), texts("a\nb\r\n\rc\rd\ne".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("a", ""), texts("a\n\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), texts(new byte[0]));
    }

    @Test
    void everyWellFormedCharacterDecodesAndEveryMalformedSequenceIsNamed() throws IOException
    {
        final String wide = "{\"clientOrderId\":\"\u00e9\u20ac\ud83d\ude00\"}";
        assertEquals(List.of(wide), texts(wide.getBytes(StandardCharsets.UTF_8)));

        assertEquals("not UTF-8 text: byte 0xc0 at byte 2 of the line", problem(new byte[] {'x', (byte)0xc0, (byte)0x80}));
        assertEquals("not UTF-8 text: byte 0xe2 at byte 1 of the line", problem(new byte[] {(byte)0xe2, (byte)0x82}));
        assertEquals("not UTF-8 text: byte 0xed at byte 1 of the line",
            problem(new byte[] {(byte)0xed, (byte)0xa0, (byte)0x80}));
    }

    private static List<String> texts(final byte[] input) throws IOException
    {
        final Utf8Lines lines = new Utf8Lines(new ByteArrayInputStream(input));
        final List<String> texts = new ArrayList<>();
        while (lines.next())
        {
            assertNull(lines.problem());
            texts.add(lines.text());
        }
        return texts;
    }

    private static String problem(final byte[] line) throws IOException
    {
        final Utf8Lines lines = new Utf8Lines(new ByteArrayInputStream(line));
        assertTrue(lines.next());
        assertNull(lines.text());
        final String problem = lines.problem();
        assertFalse(lines.next());
        return problem;
    }
}
