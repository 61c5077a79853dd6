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

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /**
     * Writes a request's head and then {@code uploadBytes} bytes in chunks on a thread of its own, as a client
     * uploading a large body does, and meanwhile reads until the server closes the connection (over TLS: ends its
     * session).
     *
     * @return everything the server sent
     */
    static String readUntilClosedWhileSending(
        final Socket socket, final String head, final byte[] chunk, final long uploadBytes)
        throws IOException, InterruptedException
    {
        final Thread writer = new Thread(() ->
        {
            try
            {
                final OutputStream out = socket.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                for (long written = 0; written < uploadBytes; written += chunk.length)
                {
                    out.write(chunk);
                    out.flush();
                }
            }
            catch (final IOException ex)
            {
                // The connection ended: so does the upload; what the client read is what is asserted.
            }
        }, "upload");
        writer.setDaemon(true);
        writer.start();
        try
        {
            return readUntilClosed(socket);
        }
        finally
        {
            socket.close();
            writer.join(10_000);
        }
    }

    /**
     * Asserts that the client received exactly one whole JSON answer with this status and code, marked as the
     * connection's last.
     */
    static void assertOneWholeAnswer(final String received, final int status, final String code)
    {
        assertTrue(received.startsWith("HTTP/1.1 " + status + " "), received);
        final int headEnd = received.indexOf("\r\n\r\n");
        assertTrue(headEnd > 0, "no whole head: " + received);
        final String head = received.substring(0, headEnd).toLowerCase(Locale.ROOT);
        assertTrue(head.contains("content-type: application/json"), received);
        assertTrue(head.contains("connection: close"), received);
        final int at = head.indexOf("content-length: ") + "content-length: ".length();
        final int length = Integer.parseInt(head.substring(at, head.indexOf("\r\n", at)).trim());
        final String body = received.substring(headEnd + 4);
        assertEquals(length, body.getBytes(StandardCharsets.UTF_8).length, "the whole body and nothing after it: " +
            received);
        assertTrue(body.startsWith("{\"code\":\"" + code + "\",\"message\":\""), received);
        assertTrue(body.endsWith("\"}"), received);
    }
}
