package io.rollbook.gateway.http;

import java.util.ArrayList;
import java.util.List;

import io.rollbook.protocol.json.FlatJson;

/**
 * Splits the body of {@code POST /v1/orders/batch}, a JSON array of order objects, into the text of each object,
 * which the command format's own reader then parses ({@link io.rollbook.protocol.json.FlatJson}). This only finds
 * where each top-level object starts and ends (strings and escapes respected); it judges nothing inside them.
 *
 * <p>Stateless; thread-safe.
 */
final class BatchBody
{
    private BatchBody()
    {
    }

    /**
     * @return the objects' texts, in order
     * @throws ApiException 400 if the body is not an array of 1 to {@code maxOrders} objects
     */
    static List<String> split(final String text, final int maxOrders)
    {
        final List<String> items = new ArrayList<>();
        int i = skip(text, 0);
        if (i >= text.length() || text.charAt(i) != '[')
        {
            throw malformed(text, "a JSON array of order objects, starting with '['", i);
        }
        i = skip(text, i + 1);
        if (i < text.length() && text.charAt(i) == ']')
        {
            throw ApiException.badRequest("INVALID_BATCH", "the batch is empty; send 1 to " + maxOrders + " orders");
        }
        while (true)
        {
            if (i >= text.length() || text.charAt(i) != '{')
            {
                throw malformed(text, "an order object starting with '{'", i);
            }
            final int end = objectEnd(text, i);
            if (items.size() == maxOrders)
            {
                throw ApiException.badRequest("INVALID_BATCH", "a batch holds at most " + maxOrders + " orders");
            }
            items.add(text.substring(i, end));
            i = skip(text, end);
            if (i < text.length() && text.charAt(i) == ',')
            {
                i = skip(text, i + 1);
                continue;
            }
            if (i < text.length() && text.charAt(i) == ']')
            {
                break;
            }
            throw malformed(text, "',' or ']' after an order object", i);
        }
        if (skip(text, i + 1) != text.length())
        {
            throw malformed(text, "the end of the body after ']'", skip(text, i + 1));
        }
        return items;
    }

    /**
     * @return the index just after the object's closing brace
     */
    private static int objectEnd(final String text, final int start)
    {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == '{' || c == '[')
            {
                depth++;
            }
            else if (c == '}' || c == ']')
            {
                depth--;
                if (depth == 0)
                {
                    return i + 1;
                }
            }
        }
        throw ApiException.badRequest("MALFORMED_JSON", "broken batch at column " + (start + 1) + ": the order " +
            "object opened there is never closed");
    }

    private static int skip(final String text, final int from)
    {
        int i = from;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || text.charAt(i) == '\r' ||
            text.charAt(i) == '\n'))
        {
            i++;
        }
        return i;
    }

    /**
     * Says what was expected where, and what is there instead, as the command format's reader does for an object.
     */
    private static ApiException malformed(final String text, final String expected, final int position)
    {
        final String found = position < text.length() ?
            "'" + FlatJson.printable(text.charAt(position)) + "'" : "the end of the body";
        return ApiException.badRequest("MALFORMED_JSON", "broken batch at column " + (position + 1) + ": expected " +
            expected + ", found " + found);
    }
}
