package io.rollbook.gateway.core;

import java.nio.ByteBuffer;

import org.agrona.BufferUtil;

/**
 * Cache-line aligned direct buffers for the gateway's long-lived off-heap structures.
 */
final class BufferAlloc
{
    private BufferAlloc()
    {
    }

    static ByteBuffer direct(final int length)
    {
        return BufferUtil.allocateDirectAligned(length, 64);
    }
}
