package io.rollbook.gateway.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WebSocket over a raw socket, for system tests that send what a client library would not: the handshake, and
 * frames built byte by byte.
 */
final class RawWebSocket
{
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /**
     * A server frame: its opcode and payload.
     */
    static final class Frame
    {
        final int opcode;
        final byte[] payload;

        Frame(final int opcode, final byte[] payload)
        {
            this.opcode = opcode;
            this.payload = payload;
        }

        /**
         * @return a close frame's status code, -1 for another frame
         */
        int closeCode()
        {
            return opcode == CLOSE && payload.length >= 2 ? (payload[0] & 0xff) << 8 | payload[1] & 0xff : -1;
        }
    }

    private RawWebSocket()
    {
    }

    /**
     * Sends the handshake for {@code /v1/ws} on a connected socket and reads the server's 101.
     */
    static void handshake(final Socket socket) throws IOException
    {
        final OutputStream out = socket.getOutputStream();
        out.write(("GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        final InputStream in = socket.getInputStream();
        final StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0)
        {
            final int b = in.read();
            assertTrue(b >= 0, "the handshake's answer: " + head);
            head.append((char)b);
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 101 "), head.toString());
    }

    /**
     * @return a client frame (masked, as a client's must be) of fewer than 65,536 payload bytes
     */
    static byte[] frame(final boolean fin, final int opcode, final byte[] payload)
    {
        final int lengthBytes = payload.length < 126 ? 0 : 2;
        final int head = 2 + lengthBytes;
        final byte[] frame = new byte[head + 4 + payload.length];
        frame[0] = (byte)((fin ? 0x80 : 0) | opcode);
        if (lengthBytes == 0)
        {
            frame[1] = (byte)(0x80 | payload.length);
        }
        else
        {
            frame[1] = (byte)(0x80 | 126);
            frame[2] = (byte)(payload.length >> 8);
            frame[3] = (byte)payload.length;
        }
        final byte[] mask = {0x11, 0x22, 0x33, 0x44};
        System.arraycopy(mask, 0, frame, head, 4);
        for (int i = 0; i < payload.length; i++)
        {
            frame[head + 4 + i] = (byte)(payload[i] ^ mask[i & 3]);
        }
        return frame;
    }

    /**
     * @return a whole text message in one client frame
     */
    static byte[] text(final String text)
    {
        return frame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads one server frame (unmasked, as a server's are).
     *
     * @return the frame, or null at the end of the stream
     */
    static Frame read(final InputStream in) throws IOException
    {
        final int first = in.read();
        if (first < 0)
        {
            return null;
        }
        long length = in.read() & 0x7f;
        if (length == 126)
        {
            length = (in.read() & 0xff) << 8 | in.read() & 0xff;
        }
        else if (length == 127)
        {
            length = 0;
            for (int i = 0; i < 8; i++)
            {
                length = length << 8 | in.read() & 0xff;
            }
        }
        return new Frame(first & 0x0f, in.readNBytes((int)length));
    }
}
