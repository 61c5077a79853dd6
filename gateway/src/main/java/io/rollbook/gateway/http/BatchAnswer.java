package io.rollbook.gateway.http;

/**
 * The answer to {@code POST /v1/orders/batch}: one result per order, in the order sent, each with the HTTP status
 * the order would have had on its own; written once every order has its result.
 *
 * <p>Owned by its event loop.
 */
final class BatchAnswer
{
    private final HttpConnection connection;
    private final HttpConnection.Slot slot;
    private final String[] results;
    private final int[] statuses;
    private int remaining;

    BatchAnswer(final HttpConnection connection, final HttpConnection.Slot slot, final int count)
    {
        this.connection = connection;
        this.slot = slot;
        this.results = new String[count];
        this.statuses = new int[count];
        this.remaining = count;
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
                out.append("{\"httpStatus\":").append(statuses[i]).append(',').append(results[i], 1,
                    results[i].length());
            }
            connection.respondJson(slot, 200, out.append("]}"));
        }
    }
}
