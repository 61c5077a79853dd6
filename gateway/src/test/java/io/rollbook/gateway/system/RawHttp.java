package io.rollbook.gateway.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Locale;

import io.rollbook.gateway.http.RequestSigning;

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
     * @return a connection to the server's HTTP port on this machine whose reads give up after {@code readTimeoutMs}
     */
    static Socket connect(final int port, final int readTimeoutMs) throws IOException
    {
        final Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(readTimeoutMs);
        return socket;
    }

    /**
     * @return the text of an HTTP/1.1 request signed by the account's key at {@code timestampMs}, with its body
     */
    static String signed(
        final int account,
        final PrivateKey key,
        final long timestampMs,
        final String method,
        final String pathWithQuery,
        final String body)
    {
        return method + " " + pathWithQuery + " HTTP/1.1\r\nHost: x\r\n" + RequestSigning.ACCOUNT_HEADER + ": " +
            account + "\r\n" + RequestSigning.TIMESTAMP_HEADER + ": " + timestampMs + "\r\n" +
            RequestSigning.SIGNATURE_HEADER + ": " +
            RequestSigning.sign(key, timestampMs, method, pathWithQuery, body) + "\r\nContent-Length: " +
            body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
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
