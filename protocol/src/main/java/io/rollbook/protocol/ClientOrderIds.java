package io.rollbook.protocol;

/**
 * Client order ids travel as one {@code long}: a number from 0 to 2^63-1 as itself, or a string of 1 to 8
 * printable ASCII characters ({@code '!'} to {@code '~'}) packed 7 bits a character, first character highest,
 * behind the sign bit. Every string id is therefore negative and never equal to a number id, and
 * {@link Long#MIN_VALUE} (no characters) is the null value.
 */
public final class ClientOrderIds
{
    public static final long NULL_VALUE = Long.MIN_VALUE;
    public static final int MAX_STRING_LENGTH = 8;

    private static final int BITS_PER_CHAR = 7;
    private static final int FIRST_SHIFT = BITS_PER_CHAR * (MAX_STRING_LENGTH - 1);
    private static final char FIRST_PRINTABLE = '!';
    private static final char LAST_PRINTABLE = '~';

    private ClientOrderIds()
    {
    }

    /**
     * @param text a client order id as a user wrote it
     * @return the packed id
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static long fromString(final CharSequence text)
    {
        final int length = text.length();
        if (length == 0 || length > MAX_STRING_LENGTH)
        {
            throw new IllegalArgumentException(
                "client order id must be 1 to " + MAX_STRING_LENGTH + " characters, got " + length);
        }

        long packed = NULL_VALUE;
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (c < FIRST_PRINTABLE || c > LAST_PRINTABLE)
            {
                throw new IllegalArgumentException(
                    "client order id may hold only printable ASCII characters without spaces, got code " + (int)c +
                    " at position " + i);
            }
            packed |= ((long)c) << (FIRST_SHIFT - BITS_PER_CHAR * i);
        }

        return packed;
    }

    /**
     * @param number a numeric client order id
     * @return the id
     * @throws IllegalArgumentException if it is negative
     */
    public static long fromNumber(final long number)
    {
        if (number < 0)
        {
            throw new IllegalArgumentException("numeric client order id must be 0 to 2^63-1, got " + number);
        }

        return number;
    }

    public static boolean isString(final long clientOrderId)
    {
        return clientOrderId < 0 && clientOrderId != NULL_VALUE;
    }

    /**
     * @param clientOrderId a packed id
     * @return true if it is a number, or a string id whose characters are all printable and contiguous
     */
    public static boolean isValid(final long clientOrderId)
    {
        if (clientOrderId >= 0)
        {
            return true;
        }
        if (clientOrderId == NULL_VALUE || (clientOrderId >>> (FIRST_SHIFT + BITS_PER_CHAR)) != (1L << 7))
        {
            return false;
        }

        boolean ended = false;
        for (int i = 0; i < MAX_STRING_LENGTH; i++)
        {
            final int c = charAt(clientOrderId, i);
            if (c == 0)
            {
                ended = true;
            }
            else if (ended || c < FIRST_PRINTABLE || c > LAST_PRINTABLE)
            {
                return false;
            }
        }

        return true;
    }

    /**
     * Appends the id as a JSON value: a number, a quoted string, or null for the null value (orders the venue
     * places itself, such as a liquidation's). A negative long that is not a valid packed string (only a binary
     * client can send one, and it is rejected) is written as that number, which no valid id can be. String ids hold no characters that need escaping in JSON other than
     * the quote and backslash, which are escaped.
     */
    public static void appendJson(final StringBuilder out, final long clientOrderId)
    {
        if (clientOrderId == NULL_VALUE)
        {
            out.append("null");
            return;
        }
        if (clientOrderId >= 0 || !isValid(clientOrderId))
        {
            out.append(clientOrderId);
            return;
        }

        out.append('"');
        for (int i = 0; i < MAX_STRING_LENGTH; i++)
        {
            final int c = charAt(clientOrderId, i);
            if (c == 0)
            {
                break;
            }
            if (c == '"' || c == '\\')
            {
                out.append('\\');
            }
            out.append((char)c);
        }
        out.append('"');
    }

    /**
     * @return the id as text: digits for a number id, the characters of a string id
     */
    public static String toString(final long clientOrderId)
    {
        if (clientOrderId >= 0)
        {
            return Long.toString(clientOrderId);
        }

        final StringBuilder text = new StringBuilder(MAX_STRING_LENGTH);
        for (int i = 0; i < MAX_STRING_LENGTH; i++)
        {
            final int c = charAt(clientOrderId, i);
            if (c == 0)
            {
                break;
            }
            text.append((char)c);
        }

        return text.toString();
    }

    private static int charAt(final long packed, final int index)
    {
        return (int)((packed >>> (FIRST_SHIFT - BITS_PER_CHAR * index)) & 0x7F);
    }
}
