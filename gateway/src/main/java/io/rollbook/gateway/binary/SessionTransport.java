package io.rollbook.gateway.binary;

import java.nio.ByteBuffer;

/**
 * What a {@link BinarySession} needs of its connection: somewhere to put bytes, whether the peer keeps up, and a
 * way to end. The Netty handler implements it; tests give the session a recording one.
 *
 * <p>Called on the connection's event loop only.
 */
interface SessionTransport
{
    /**
     * Copies {@code length} bytes from the start of {@code bytes} towards the socket and flushes. The buffer's
     * position and limit may be changed; its contents are not kept.
     */
    void send(ByteBuffer bytes, int length);

    /**
     * @return false once the connection's unsent bytes passed the outbound bound: a slow consumer
     */
    boolean isWritable();

    /**
     * Closes the connection once what was sent has been flushed: at once when the peer is a slow consumer (what
     * waits for it would never be flushed), and within a second in any case.
     */
    void closeAfterFlush();

    /**
     * Stops (false) or resumes (true) reading from the socket, for back pressure.
     */
    void readingEnabled(boolean enabled);
}
