package io.rollbook.gateway.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.rollbook.gateway.system.RawWebSocket.CLOSE;
import static io.rollbook.gateway.system.RawWebSocket.CONTINUATION;
import static io.rollbook.gateway.system.RawWebSocket.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * WebSocket frames that break the protocol, over a raw socket: a continuation with no message to continue, a text
 * frame that is not UTF-8, a frame longer than a message may be (also while the client is still sending it). Each is
 * answered with one close frame with its code (RFC 6455: 1002, 1007, 1009), then the end of the stream, never a reset,
 * and the server goes on serving.
 */
@Tag("system")
final class WebSocketProtocolErrorSystemTest
{
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
    void aContinuationWithNoMessageIsClosedWith1002Once() throws Exception
    {
        assertOneClose(1002, RawWebSocket.frame(true, CONTINUATION,
            "{\"op\":\"ping\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTextFrameThatIsNotUtf8IsClosedWith1007Once() throws Exception
    {
        assertOneClose(1007, RawWebSocket.frame(true, TEXT, new byte[] {'{', (byte)0xff, (byte)0xfe, '}'}));
    }

    @Test
    void aFrameLongerThanAMessageMayBeIsClosedWith1009Once() throws Exception
    {
        // The head alone announces it: the server answers before any of the payload comes.
        final long length = 64 * 1024 + 1;
        final byte[] head = {(byte)(0x80 | TEXT), (byte)(0x80 | 127), 0, 0, 0, 0, 0, (byte)(length >> 16),
            (byte)(length >> 8), (byte)length, 1, 2, 3, 4};
        assertOneClose(1009, head);
    }

    @Test
    void aClientStillSendingAFrameOverTheBoundReadsThe1009AndIsNotReset() throws Exception
    {
        // Far more than the kernel buffers between the two hold: the client is still sending when it is refused. A
        // server that closed at once, with the rest unread, would reset the connection, failing the client's writes
        // and its reads after the close frame.
        final long length = 32 << 20;
        final byte[] head = {(byte)(0x80 | TEXT), (byte)(0x80 | 127), 0, 0, 0, 0, (byte)(length >> 24),
            (byte)(length >> 16), (byte)(length >> 8), (byte)length, 1, 2, 3, 4};
        assertOneClose(1009, head, length);
    }

    private static void assertOneClose(final int code, final byte[] sent) throws Exception
    {
        assertOneClose(code, sent, 0);
    }

    /**
     * Sends the bytes and then {@code payloadBytes} more from another thread, reads until the end of the stream, and
     * checks that the server sent one close frame with the code, that every write went through, and that the server
     * still serves.
     */
    private static void assertOneClose(final int code, final byte[] sent, final long payloadBytes) throws Exception
    {
        try (Socket socket = RawHttp.connect(service.httpPort(), 10_000))
        {
            RawWebSocket.handshake(socket);
            final OutputStream out = socket.getOutputStream();
            final InputStream in = socket.getInputStream();
            final AtomicReference<Throwable> writeFailure = new AtomicReference<>();
            final Thread writer = new Thread(() ->
            {
                try
                {
                    out.write(sent);
                    final byte[] payload = new byte[64 * 1024];
                    for (long left = payloadBytes; left > 0; left -= payload.length)
                    {
                        out.write(payload, 0, (int)Math.min(left, payload.length));
                    }
                    out.flush();
                }
                catch (final IOException ex)
                {
                    writeFailure.set(ex);
                }
            }, "raw-websocket-writer");
            writer.start();

            final ByteArrayOutputStream received = new ByteArrayOutputStream();
            final byte[] chunk = new byte[4096];
            for (int read = in.read(chunk); read >= 0; read = in.read(chunk))
            {
                received.write(chunk, 0, read);
            }
            writer.join();
            assertNull(writeFailure.get(), "every byte the client sent was taken");
            final List<int[]> frames = frames(received.toByteArray());
            assertEquals(1, frames.size(), "one frame, then the end of the stream: " + describe(frames));
            assertEquals(CLOSE, frames.get(0)[0], describe(frames));
            assertEquals(code, frames.get(0)[1], describe(frames));
        }
        try (Socket other = RawHttp.connect(service.httpPort(), 10_000))
        {
            RawHttp.assertServed(other);
        }
        assertEquals(0, service.service().httpGateway().unexpectedErrors());
    }

    /**
     * @return each server frame as {opcode, close code (or -1)}
     */
    private static List<int[]> frames(final byte[] bytes)
    {
        final List<int[]> frames = new ArrayList<>();
        int at = 0;
        while (at < bytes.length)
        {
            final int opcode = bytes[at] & 0x0f;
            int length = bytes[at + 1] & 0x7f;
            at += 2;
            if (length == 126)
            {
                length = (bytes[at] & 0xff) << 8 | bytes[at + 1] & 0xff;
                at += 2;
            }
            final int code = opcode == CLOSE && length >= 2 ? (bytes[at] & 0xff) << 8 | bytes[at + 1] & 0xff : -1;
            frames.add(new int[] {opcode, code});
            at += length;
        }
        return frames;
    }

    private static String describe(final List<int[]> frames)
    {
        final StringBuilder text = new StringBuilder();
        for (final int[] frame : frames)
        {
            text.append(" [opcode ").append(frame[0]).append(", code ").append(frame[1]).append(']');
        }
        return text.toString();
    }
}
