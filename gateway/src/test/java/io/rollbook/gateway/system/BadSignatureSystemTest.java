package io.rollbook.gateway.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollbook.gateway.http.RequestSigning;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection may fail signature verification only so often: its eighth bad signature, in a request or a WebSocket
 * {@code auth}, ends it, since each one costs a verification on the event loop every session shares. The
 * connection's other answers, and other connections, are unaffected.
 */
@Tag("system")
final class BadSignatureSystemTest
{
    /** HttpConnection.MAX_BAD_SIGNATURES, as documented in docs/REST.md. */
    private static final int LIMIT = 8;
    private static final int TRADER = TestService.FIRST_ACCOUNT + 6;
    private static final PrivateKey KEY = TestService.ACCOUNT_KEYS[6].getPrivate();
    /** Another account's key: well-formed signatures that fail verification for TRADER. */
    private static final PrivateKey WRONG_KEY = TestService.ACCOUNT_KEYS[7].getPrivate();
    private static final int READ_TIMEOUT_MS = 15_000;

    @TempDir
    static Path data;
    private static TestService service;

    @BeforeAll
    static void start() throws InterruptedException
    {
        service = new TestService(data).start();
    }

    @AfterAll
    static void stop()
    {
        service.close();
    }

    @Test
    void theEighthBadSignatureOfAConnectionIsItsLastAnswer() throws Exception
    {
        final StringBuilder requests = new StringBuilder();
        for (int i = 0; i < LIMIT + 1; i++)
        {
            requests.append(accountRequest(WRONG_KEY));
        }
        try (Socket socket = RawHttp.connect(service.httpPort(), READ_TIMEOUT_MS))
        {
            // All nine in one write: the ninth is never handled, and the server, which discards what follows its
            // last answer, closes without a reset.
            RawHttp.send(socket, requests.toString());
            for (int i = 1; i < LIMIT; i++)
            {
                final String answer = RawHttp.readAnswer(socket);
                assertTrue(answer.startsWith("HTTP/1.1 401 ") && answer.contains("\"BAD_SIGNATURE\""), answer);
                assertFalse(answer.toLowerCase(Locale.ROOT).contains("connection: close"), "answer " + i + ": " + answer);
            }
            final String last = RawHttp.readUntilClosed(socket);
            RawHttp.assertOneWholeAnswer(last, 401, "BAD_SIGNATURE");
            assertTrue(last.contains("the connection ends"), last);
        }
        try (Socket socket = RawHttp.connect(service.httpPort(), READ_TIMEOUT_MS))
        {
            RawHttp.send(socket, accountRequest(KEY));
            final String answer = RawHttp.readAnswer(socket);
            assertTrue(answer.startsWith("HTTP/1.1 200 "), "another connection is served: " + answer);
        }
    }

    @Test
    void fewerBadSignaturesLeaveTheConnectionServing() throws Exception
    {
        try (Socket socket = RawHttp.connect(service.httpPort(), READ_TIMEOUT_MS))
        {
            final StringBuilder requests = new StringBuilder();
            for (int i = 0; i < LIMIT - 1; i++)
            {
                requests.append(accountRequest(WRONG_KEY));
            }
            RawHttp.send(socket, requests.append(accountRequest(KEY)).toString());
            for (int i = 0; i < LIMIT - 1; i++)
            {
                assertTrue(RawHttp.readAnswer(socket).startsWith("HTTP/1.1 401 "));
            }
            final String answer = RawHttp.readAnswer(socket);
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            assertFalse(answer.toLowerCase(Locale.ROOT).contains("connection: close"), answer);
        }
    }

    @Test
    void aWebSocketsEighthBadAuthClosesIt() throws Exception
    {
        try (WsClient ws = new WsClient(service.httpPort()))
        {
            for (int i = 0; i < LIMIT; i++)
            {
                final long now = System.currentTimeMillis();
                ws.send("{\"op\":\"auth\",\"account\":" + TRADER + ",\"timestamp\":" + now + ",\"signature\":\"" +
                    RequestSigning.sign(WRONG_KEY, now, "GET", "/v1/ws", "") + "\"}");
            }
            final JsonNode last = ws.await(m -> m.path("message").asText().contains("the connection ends"),
                "the last BAD_SIGNATURE");
            assertEquals("BAD_SIGNATURE", last.path("code").asText());
            assertEquals(LIMIT, ws.messages().stream().filter(m -> "BAD_SIGNATURE".equals(m.path("code").asText()))
                .count());
            final long deadlineNs = System.nanoTime() + 10_000_000_000L;
            while (ws.closeCode() == -1)
            {
                assertTrue(System.nanoTime() < deadlineNs, "the server did not close the WebSocket");
                Thread.sleep(1);
            }
            assertEquals(1008, ws.closeCode(), ws.closeReason());
        }
        try (WsClient ws = new WsClient(service.httpPort()))
        {
            ws.auth(TRADER, KEY);
        }
    }

    @Test
    void aWebSocketClientStillSendingAfterItsEighthBadAuthReadsTheCloseAndIsNotReset() throws Exception
    {
        final ByteArrayOutputStream auths = new ByteArrayOutputStream();
        for (int i = 0; i < LIMIT; i++)
        {
            final long now = System.currentTimeMillis();
            auths.write(RawWebSocket.text("{\"op\":\"auth\",\"account\":" + TRADER + ",\"timestamp\":" + now +
                ",\"signature\":\"" + RequestSigning.sign(WRONG_KEY, now, "GET", "/v1/ws", "") + "\"}"));
        }
        // Then 16 MB of messages, far more than the kernel buffers between the two hold: the client is still sending
        // long after the server ends the connection. A server that closed with them unread would reset it, failing
        // the client's writes and its reads after the close frame.
        final byte[] message = RawWebSocket.text("{\"op\":\"ping\"}");
        final byte[] messages = new byte[64 * 1024 / message.length * message.length];
        for (int at = 0; at < messages.length; at += message.length)
        {
            System.arraycopy(message, 0, messages, at, message.length);
        }
        try (Socket socket = RawHttp.connect(service.httpPort(), READ_TIMEOUT_MS))
        {
            RawWebSocket.handshake(socket);
            final OutputStream out = socket.getOutputStream();
            final AtomicReference<Throwable> writeFailure = new AtomicReference<>();
            final Thread writer = new Thread(() ->
            {
                try
                {
                    out.write(auths.toByteArray());
                    for (int i = 0; i < 16 * 1024 * 1024 / messages.length; i++)
                    {
                        out.write(messages);
                    }
                    out.flush();
                }
                catch (final IOException ex)
                {
                    writeFailure.set(ex);
                }
            }, "raw-websocket-writer");
            writer.start();
            final InputStream in = socket.getInputStream();
            RawWebSocket.Frame frame;
            RawWebSocket.Frame last = null;
            while ((frame = RawWebSocket.read(in)) != null)
            {
                last = frame;
            }
            writer.join();
            assertNull(writeFailure.get(), "every byte the client sent was taken");
            assertTrue(last != null && last.opcode == RawWebSocket.CLOSE, "the last frame is the close");
            assertEquals(1008, last.closeCode());
        }
    }

    private static String accountRequest(final PrivateKey key)
    {
        return RawHttp.signed(TRADER, key, System.currentTimeMillis(), "GET", "/v1/account", "");
    }
}
