package io.rollbook.gateway.http;

/**
 * Writing JSON text by hand, into a reused {@link StringBuilder}: strings escaped as RFC 8259 requires.
 *
 * <p>Stateless; thread-safe.
 */
final class Json
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json()
    {
    }

    /**
     * Appends a JSON string literal, quotes included.
     */
    static StringBuilder string(final StringBuilder out, final CharSequence text)
    {
        out.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029)
                    {
                        out.append("\\u00").append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                        if (c >= 0x100)
                        {
                            out.setLength(out.length() - 4);
                            out.append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                        }
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        return out.append('"');
    }

    /**
     * The body of an error response: {@code {"code":..,"message":..}}.
     */
    static String error(final String code, final String message)
    {
        final StringBuilder out = new StringBuilder(64 + message.length());
        out.append("{\"code\":");
        string(out, code).append(",\"message\":");
        return string(out, message).append('}').toString();
    }
}
