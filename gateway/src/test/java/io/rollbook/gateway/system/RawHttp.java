package io.rollbook.gateway.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reading the trader API's answers off a raw socket, for system tests that go where a well-behaved HTTP client
 * cannot: half requests, trickled bytes, connections that say nothing.
 */
final class RawHttp
{
    private RawHttp()
    {
    }

    /**
     * @return everything the server sends until it closes the connection
     * @throws AssertionError if the server leaves the connection open past the socket's read timeout
     */
    static String readUntilClosed(final Socket socket) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final byte[] chunk = new byte[8192];
        try
        {
            for (int read = in.read(chunk); read >= 0; read = in.read(chunk))
            {
                received.write(chunk, 0, read);
            }
        }
        catch (final SocketTimeoutException ex)
        {
            throw new AssertionError("the server left the connection open; received: " +
                received.toString(StandardCharsets.UTF_8), ex);
        }
        return received.toString(StandardCharsets.UTF_8);
    }

    /**
     * Reads one answer (headers and a body of its Content-Length).
     *
     * @return the status line, the headers and the body
     */
    static String readAnswer(final Socket socket) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final StringBuilder head = new StringBuilder();
        while (head.length() < 4 || head.lastIndexOf("\r\n\r\n") != head.length() - 4)
        {
            final int read = in.read();
            if (read < 0)
            {
                throw new AssertionError("the server closed the connection; received: " + head);
            }
            head.append((char)read);
        }
        final String lower = head.toString().toLowerCase(Locale.ROOT);
        final int at = lower.indexOf("content-length: ") + "content-length: ".length();
        final int length = Integer.parseInt(lower.substring(at, lower.indexOf("\r\n", at)));
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
