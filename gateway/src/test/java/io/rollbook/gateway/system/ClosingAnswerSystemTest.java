package io.rollbook.gateway.system;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.rollbook.gateway.http.HttpGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Answers that end a plain HTTP connection reach a client that is still sending, against the real server with raw
 * sockets: a body past {@code http.maxBodyBytes} that keeps coming after its 413, undecodable input that keeps coming
 * after its 400 or 431, a request pipelined behind one that asked to close. Each client reads its whole JSON answer
 * and then the end of the stream, never a reset: the server reads and discards what still comes, shuts its sending
 * side down, and closes when the client does, or a read timeout later at most, however long the client goes on
 * sending. Nothing that arrives after an answer that ends the connection is done.
 *
 * <p>Each client writes on a thread of its own while the test reads, as a client uploading a large batch does; the
 * test waits for the states it expects with a deadline, never for a time.
 */
@Tag("system")
final class ClosingAnswerSystemTest
{
    private static final long NOW = 1_764_547_200_000L;
    private static final int MAX_BODY_BYTES = 2048;
    private static final int READ_TIMEOUT_MS = 1000;
    private static final int TRADER = TestService.FIRST_ACCOUNT + 4;
    /** What a client goes on sending after its error: far more than the socket buffers hold. */
    private static final int UPLOAD_BYTES = 4 << 20;
    private static final int CHUNK_BYTES = 64 << 10;
    /** Long enough for any answer here; a test that waits this long has failed. */
    private static final int DEADLINE_MS = 10_000;

    @TempDir
    static Path data;
    private static TestService service;

    @BeforeAll
    static void start() throws InterruptedException
    {
        service = new TestService(data)
            .http(http -> http.clock(() -> NOW).maxBodyBytes(MAX_BODY_BYTES).requestReadTimeoutMs(READ_TIMEOUT_MS))
            .start();
        service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, TRADER);
    }

    @AfterAll
    static void stop()
    {
        service.close();
    }

    private static HttpGateway http()
    {
        return service.service().httpGateway();
    }

    private static Socket connect() throws IOException
    {
        return RawHttp.connect(service.httpPort(), DEADLINE_MS);
    }

    private static byte[] filler(final int length)
    {
        return "x".repeat(length).getBytes(StandardCharsets.US_ASCII);
    }

    private static String signed(final String method, final String path, final String body)
    {
        return RawHttp.signed(TRADER, TestService.ACCOUNT_KEYS[4].getPrivate(), NOW, method, path, body);
    }

    private static String signedOrder(final String clientId)
    {
        return signed("POST", "/v1/orders", "{\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"40000\"," +
            "\"size\":\"0.01\",\"clientId\":\"" + clientId + "\"}");
    }

    private static void assertUnknownOrder(final String clientId) throws IOException
    {
        try (Socket socket = connect())
        {
            socket.getOutputStream().write(signed("GET", "/v1/orders/" + clientId, "")
                .getBytes(StandardCharsets.US_ASCII));
            final String answer = RawHttp.readAnswer(socket);
            assertTrue(answer.startsWith("HTTP/1.1 404 "), answer);
            assertTrue(answer.contains("\"code\":\"UNKNOWN_ORDER\""), answer);
        }
    }

    /**
     * Sends a request's head and then goes on sending, and asserts that the client reads the whole answer, and then
     * the end of the stream, not a reset.
     */
    private static void assertWholeAnswerWhileSending(
        final String head, final byte[] chunk, final int status, final String code) throws Exception
    {
        try (Socket socket = connect())
        {
            RawHttp.assertOneWholeAnswer(RawHttp.readUntilClosedWhileSending(socket, head, chunk, UPLOAD_BYTES), status, code);
        }
        assertEquals(0, http().unexpectedErrors());
    }

    @Test
    void aBodyPastTheLimitThatKeepsComingGetsItsWhole413AndThenTheEndOfTheStream() throws Exception
    {
        assertWholeAnswerWhileSending("POST /v1/orders/batch HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
            "Content-Type: application/json\r\nContent-Length: " + UPLOAD_BYTES + "\r\n\r\n", filler(CHUNK_BYTES), 413,
            "BODY_TOO_LARGE");
    }

    @Test
    void aChunkedBodyThatGrowsPastTheLimitGetsItsWhole413AndThenTheEndOfTheStream() throws Exception
    {
        // Keep-alive is asked for, but a body refused half-way leaves the connection nowhere to go on from.
        assertWholeAnswerWhileSending("POST /v1/orders/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json" +
            "\r\nTransfer-Encoding: chunked\r\n\r\n", (Integer.toHexString(CHUNK_BYTES) + "\r\n" +
            "x".repeat(CHUNK_BYTES) + "\r\n").getBytes(StandardCharsets.US_ASCII), 413, "BODY_TOO_LARGE");
    }

    @Test
    void aMalformedRequestFollowedByMoreBytesGetsItsWhole400AndThenTheEndOfTheStream() throws Exception
    {
        assertWholeAnswerWhileSending("GET /v1/markets HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n",
            filler(CHUNK_BYTES), 400, "MALFORMED_HTTP");
    }

    @Test
    void aHeaderThatNeverEndsGetsItsWhole431AndThenTheEndOfTheStream() throws Exception
    {
        assertWholeAnswerWhileSending("GET /v1/markets HTTP/1.1\r\nHost: x\r\nX-Long: ", filler(CHUNK_BYTES), 431,
            "MALFORMED_HTTP");
    }

    @Test
    void aClientThatTricklesBytesAfterItsLastAnswerIsClosedAReadTimeoutLaterAtMost() throws Exception
    {
        try (Socket socket = connect())
        {
            socket.getOutputStream().write("GET /v1/markets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            final String answer = RawHttp.readAnswer(socket);
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            assertTrue(answer.contains("\"market\":\"BTC-USD\""), answer);
            assertEquals(-1, socket.getInputStream().read(), "the server's side ended after its last answer");
            final long startNs = System.nanoTime();
            // One byte every 20 ms, for as long as the server takes them: far more often than the read timeout.
            boolean open = true;
            while (open)
            {
                assertTrue(System.nanoTime() - startNs < TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS),
                    "the server kept the connection open while the client kept sending");
                try
                {
                    socket.getOutputStream().write('a');
                    socket.getOutputStream().flush();
                    Thread.sleep(20);
                }
                catch (final IOException ex)
                {
                    open = false;
                }
            }
        }
        assertEquals(0, http().unexpectedErrors());
    }

    @Test
    void aRequestPipelinedBehindOneThatClosesIsNotDone() throws IOException
    {
        try (Socket socket = connect())
        {
            socket.getOutputStream().write(("GET /v1/markets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" +
                signedOrder("behindc")).getBytes(StandardCharsets.US_ASCII));
            final String answers = RawHttp.readUntilClosed(socket);
            assertTrue(answers.startsWith("HTTP/1.1 200 "), answers);
            assertEquals(1, answers.split("HTTP/1\\.1 ", -1).length - 1, "one answer only: " + answers);
        }
        assertUnknownOrder("behindc");
    }

    @Test
    void aRequestPipelinedBehindARefusedBodyIsNotDone() throws IOException
    {
        final String padded = "{\"pad\":\"" + "x".repeat(MAX_BODY_BYTES) + "\"}";
        try (Socket socket = connect())
        {
            socket.getOutputStream().write(("POST /v1/orders HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
                "Content-Length: " + padded.length() + "\r\n\r\n" + padded + signedOrder("behind4"))
                .getBytes(StandardCharsets.US_ASCII));
            RawHttp.assertOneWholeAnswer(RawHttp.readUntilClosed(socket), 413, "BODY_TOO_LARGE");
        }
        assertUnknownOrder("behind4");
    }

    @Test
    void aKeepAliveClientStillGetsAnswersAfterAnError() throws IOException
    {
        try (Socket socket = connect())
        {
            socket.getOutputStream().write(("GET /v1/nowhere HTTP/1.1\r\nHost: x\r\n\r\n" +
                "GET /v1/markets HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            final String notFound = RawHttp.readAnswer(socket);
            assertTrue(notFound.startsWith("HTTP/1.1 404 "), notFound);
            final String markets = RawHttp.readAnswer(socket);
            assertTrue(markets.startsWith("HTTP/1.1 200 "), markets);
            assertFalse(markets.toLowerCase(Locale.ROOT).contains("connection: close"), markets);
        }
    }
}
