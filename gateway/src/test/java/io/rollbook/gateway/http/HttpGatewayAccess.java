package io.rollbook.gateway.http;

/**
 * What tests outside the package read of the HTTP gateway's internals.
 */
public final class HttpGatewayAccess
{
    private HttpGatewayAccess()
    {
    }

    /**
     * @return how many answers a connection may have outstanding before the server stops reading it
     */
    public static int maxPipelined()
    {
        return HttpConnection.MAX_PIPELINED;
    }
}
