package io.rollbook.gateway.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.rollbook.gateway.http.RequestSigning;

import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * Sends the text in one write, as a client sends a whole request: the server then has it all when it answers.
     */
    static void send(final Socket socket, final String text) throws IOException
    {
        final OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Asks for the markets on the connection and checks that it is served.
     */
    static void assertServed(final Socket socket) throws IOException
    {
        send(socket, "GET /v1/markets HTTP/1.1\r\nHost: x\r\n\r\n");
        final String answer = readAnswer(socket);
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
    }

    /**
     * Polls until the value is the expected one: the server counts connections on its own time.
     *
     * @throws AssertionError if it is not within {@code deadlineMs}
     */
    static void awaitValue(final LongSupplier value, final long expected, final String what, final long deadlineMs)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMs);
        while (value.getAsLong() != expected)
        {
            assertTrue(System.nanoTime() < deadlineNs, what + ": expected " + expected + ", was " +
                value.getAsLong());
            Thread.sleep(1);
        }
    }
}
