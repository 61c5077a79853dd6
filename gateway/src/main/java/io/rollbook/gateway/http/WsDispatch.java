package io.rollbook.gateway.http;

import org.agrona.DirectBuffer;

/**
 * Turns what the release thread handed to a loop (market data, oracle and funding events, account events) into
 * WebSocket messages for the loop's sessions that subscribed to them.
 *
 * <p>Owned by its event loop.
 */
final class WsDispatch
{
    private final HttpLoop loop;

    WsDispatch(final HttpLoop loop)
    {
        this.loop = loop;
    }

    void onMessage(final int msgTypeId, final DirectBuffer buffer, final int index, final int length)
    {
        for (int i = 0; i < loop.webSockets().size(); i++)
        {
            loop.webSockets().get(i).onReleased(msgTypeId, buffer, index, length);
        }
    }
}
