package io.rollbook.gateway.http;

/**
 * The answer to {@code POST /v1/orders/batch}: one result per order, in the order sent, each with the HTTP status
 * the order would have had on its own; written once every order has its result. A refused order's result also
 * names the clientId it was sent with (an accepted one's answer names it anyway), so that a client can match a
 * refusal to its order by id as well as by position.
 *
 * <p>Owned by its event loop.
 */
final class BatchAnswer
{
    private final HttpConnection connection;
    private final HttpConnection.Slot slot;
    private final String[] results;
    private final int[] statuses;
    private final Object[] clientIds;
    private int remaining;

    BatchAnswer(final HttpConnection connection, final HttpConnection.Slot slot, final int count)
    {
        this.connection = connection;
        this.slot = slot;
        this.results = new String[count];
        this.statuses = new int[count];
        this.clientIds = new Object[count];
        this.remaining = count;
    }

    /**
     * @param clientId the order's clientId as its JSON item gave it: a string or a whole number; anything else (or
     *                 none) is not repeated in a refusal
     */
    void clientId(final int index, final Object clientId)
    {
        clientIds[index] = clientId instanceof String || clientId instanceof Long ? clientId : null;
    }

    /**
     * @param json the order's own answer, a JSON object
     */
    void complete(final int index, final int status, final String json)
    {
        if (results[index] != null)
        {
            return;
        }
        results[index] = json;
        statuses[index] = status;
        if (--remaining == 0)
        {
            final StringBuilder out = new StringBuilder(results.length * 256);
            out.append("{\"results\":[");
            for (int i = 0; i < results.length; i++)
            {
                if (i > 0)
                {
                    out.append(',');
                }
                out.append("{\"httpStatus\":").append(statuses[i]).append(',');
                if (statuses[i] != 200 && clientIds[i] != null)
                {
                    out.append("\"clientId\":");
                    if (clientIds[i] instanceof String)
                    {
                        Json.string(out, (String)clientIds[i]);
                    }
                    else
                    {
                        out.append(clientIds[i]);
                    }
                    out.append(',');
                }
                out.append(results[i], 1, results[i].length());
            }
            connection.respondJson(slot, 200, out.append("]}"));
        }
    }
}
