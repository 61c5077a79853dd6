package io.rollbook.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Lines of text files as operators and auditors hand them over: every kind of line end, characters of every width,
 * and byte sequences that are not UTF-8, each named by its first byte and where it stands.
 */
class Utf8LinesTest
{
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

    /**
     * A line over the limit (a file with no line break, given by mistake) is named and skipped, and the lines after
     * it are read: growing the buffer without a bound ended in a NegativeArraySizeException at 2 GiB.
     */
    @Test
    void aLineLongerThanTheLimitIsNamedAndTheNextLineIsRead() throws IOException
    {
        final int max = 1 << 20;
        final byte[] input = ("x".repeat(max + 1) + "\nnext\r\n" + "y".repeat(max) + "\n")
            .getBytes(StandardCharsets.UTF_8);
        final Utf8Lines lines = new Utf8Lines(new ByteArrayInputStream(input));
        assertTrue(lines.next());
        assertNull(lines.text());
        assertEquals("the line is longer than 1048576 bytes", lines.problem());
        assertTrue(lines.next());
        assertEquals("next", lines.text());
        assertTrue(lines.next());
        assertEquals(max, lines.text().length(), "a line of exactly the limit is read");
        assertFalse(lines.next());
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
