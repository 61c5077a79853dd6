package io.rollbook.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a text input, each decoded as UTF-8 on its own and strictly. A line that is not UTF-8 is reported
 * with the first byte that is not, and the lines after it are read as usual: decoding the whole input at once would
 * either end the read at the first bad byte, with nothing but the decoder's "Input length = 1" to say why, or put
 * replacement characters into a command nobody typed.
 *
 * <p>A line ends at {@code \n}, {@code \r\n} or {@code \r}, as {@link java.io.BufferedReader#readLine()}'s do.
 * A line longer than {@link #MAX_LINE_BYTES} is reported as such and skipped to its end. One thread.
 */
public final class Utf8Lines
{
    /**
     * Far longer than any line Rollbook reads (a command, a published root); a file with no line break in it (a
     * binary file, an image given by mistake) would otherwise grow the line buffer until its length overflows at
     * 2 GiB.
     */
    public static final int MAX_LINE_BYTES = 1 << 20;

    private static final int NONE = -2;

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] bytes = new byte[1024];
    private int length;
    /** The byte read after a {@code \r} to see whether a {@code \n} follows, or {@link #NONE}. */
    private int pending = NONE;
    private String text;
    private String problem;

    public Utf8Lines(final InputStream in)
    {
        this.in = in;
    }

    /**
     * Reads the next line.
     *
     * @return false at the end of the input
     */
    public boolean next() throws IOException
    {
        int b = pending == NONE ? in.read() : pending;
        pending = NONE;
        if (b < 0)
        {
            return false;
        }
        length = 0;
        boolean tooLong = false;
        while (b >= 0 && b != '\n' && b != '\r')
        {
            if (length == MAX_LINE_BYTES)
            {
                tooLong = true;
            }
            else
            {
                if (length == bytes.length)
                {
                    bytes = Arrays.copyOf(bytes, Math.min(length * 2, MAX_LINE_BYTES));
                }
                bytes[length++] = (byte)b;
            }
            b = in.read();
        }
        if (b == '\r')
        {
            final int after = in.read();
            pending = after == '\n' ? NONE : after;
        }
        if (tooLong)
        {
            text = null;
            problem = "the line is longer than " + MAX_LINE_BYTES + " bytes";
        }
        else
        {
            decode();
        }
        return true;
    }

    /**
     * @return the line read, without its end; null when it is not UTF-8 or too long ({@link #problem()})
     */
    public String text()
    {
        return text;
    }

    /**
     * @return why the line read is not UTF-8 text or is too long, or null when it is text
     */
    public String problem()
    {
        return problem;
    }

    private void decode()
    {
        final ByteBuffer input = ByteBuffer.wrap(bytes, 0, length);
        final CharBuffer output = CharBuffer.allocate(length);
        decoder.reset();
        CoderResult result = decoder.decode(input, output, true);
        if (!result.isError())
        {
            result = decoder.flush(output);
        }
        if (result.isError())
        {
            text = null;
            problem = String.format("not UTF-8 text: byte 0x%02x at byte %d of the line",
                bytes[input.position()] & 0xff, input.position() + 1);
        }
        else
        {
            text = output.flip().toString();
            problem = null;
        }
    }
}
