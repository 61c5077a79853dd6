package io.rollbook.protocol.json;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A strict reader for the one JSON shape the command format uses: a single flat object whose values are strings,
 * numbers, booleans or null. Anything else — nesting, trailing text, duplicate keys, bad escapes — is refused
 * with the position and what was expected, so a person can fix the line.
 *
 * <p>Numbers come back as {@link Long} when they are integers that fit, else as {@link BigDecimal}; null as
 * {@link #NULL}.
 */
public final class FlatJson
{
    /** The JSON literal {@code null}. */
    public static final Object NULL = new Object()
    {
        @Override
        public String toString()
        {
            return "null";
        }
    };

    private static final int MAX_LENGTH = 64 * 1024;

    private final String text;
    private int position;

    private FlatJson(final String text)
    {
        this.text = text;
    }

    /**
     * @param text one JSON object
     * @return its members in the order written
     * @throws JsonFormatException if the text is not one flat JSON object
     */
    public static Map<String, Object> parseObject(final String text)
    {
        if (text.length() > MAX_LENGTH)
        {
            throw new JsonFormatException("a command may be at most " + MAX_LENGTH + " characters");
        }

        return new FlatJson(text).object();
    }

    private Map<String, Object> object()
    {
        skipWhitespace();
        expect('{', "'{' to open the command object");
        final Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}')
        {
            position++;
        }
        else
        {
            while (true)
            {
                skipWhitespace();
                if (peek() != '"')
                {
                    throw error("a key in double quotes");
                }
                final int keyPosition = position;
                final String key = string();
                skipWhitespace();
                expect(':', "':' after the key \"" + key + "\"");
                skipWhitespace();
                final Object value = value(key);
                if (members.put(key, value) != null)
                {
                    throw new JsonFormatException("duplicate key \"" + key + "\" at column " + (keyPosition + 1));
                }
                skipWhitespace();
                final char c = peek();
                position++;
                if (c == '}')
                {
                    break;
                }
                if (c != ',')
                {
                    position--;
                    throw error("',' or '}'");
                }
            }
        }
        skipWhitespace();
        if (position < text.length())
        {
            throw error("the end of the line after the object");
        }

        return members;
    }

    private Object value(final String key)
    {
        final char c = peek();
        switch (c)
        {
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return NULL;
            case '{':
            case '[':
                throw new JsonFormatException("\"" + key + "\" holds a nested value at column " + (position + 1) +
                    "; command values are strings, numbers or booleans");
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return number();
                }
                throw error("a value for \"" + key + "\"");
        }
    }

    private String string()
    {
        position++;
        final StringBuilder out = new StringBuilder();
        while (true)
        {
            if (position >= text.length())
            {
                throw error("a closing '\"'");
            }
            final char c = text.charAt(position++);
            if (c == '"')
            {
                return out.toString();
            }
            if (c < 0x20)
            {
                position--;
                throw error("control characters escaped inside a string (\\n, \\t, \\u0001)");
            }
            if (c != '\\')
            {
                out.append(c);
                continue;
            }
            if (position >= text.length())
            {
                throw error("an escape character after '\\'");
            }
            final char escaped = text.charAt(position++);
            switch (escaped)
            {
                case '"':
                case '\\':
                case '/':
                    out.append(escaped);
                    break;
                case 'b':
                    out.append('\b');
                    break;
                case 'f':
                    out.append('\f');
                    break;
                case 'n':
                    out.append('\n');
                    break;
                case 'r':
                    out.append('\r');
                    break;
                case 't':
                    out.append('\t');
                    break;
                case 'u':
                    out.append(unicodeEscape());
                    break;
                default:
                    position--;
                    throw error("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            }
        }
    }

    private char unicodeEscape()
    {
        if (position + 4 > text.length())
        {
            throw error("four hex digits after \\u");
        }
        int code = 0;
        for (int i = 0; i < 4; i++)
        {
            final int digit = Character.digit(text.charAt(position), 16);
            if (digit < 0)
            {
                throw error("four hex digits after \\u");
            }
            code = code * 16 + digit;
            position++;
        }

        return (char)code;
    }

    private Object number()
    {
        final int start = position;
        if (peek() == '-')
        {
            position++;
        }
        final int integerStart = position;
        while (position < text.length() && Character.isDigit(text.charAt(position)) && text.charAt(position) < 128)
        {
            position++;
        }
        final int integerDigits = position - integerStart;
        if (integerDigits == 0 || (integerDigits > 1 && text.charAt(integerStart) == '0'))
        {
            position = integerStart;
            throw error("a number without leading zeros");
        }
        boolean integral = true;
        if (position < text.length() && text.charAt(position) == '.')
        {
            integral = false;
            position++;
            if (!digits())
            {
                throw error("digits after the decimal point");
            }
        }
        if (position < text.length() && (text.charAt(position) == 'e' || text.charAt(position) == 'E'))
        {
            integral = false;
            position++;
            if (position < text.length() && (text.charAt(position) == '+' || text.charAt(position) == '-'))
            {
                position++;
            }
            if (!digits())
            {
                throw error("digits in the exponent");
            }
        }

        final String literal = text.substring(start, position);
        if (literal.length() > 40)
        {
            throw new JsonFormatException("number at column " + (start + 1) + " is too long");
        }
        if (integral)
        {
            try
            {
                return Long.parseLong(literal);
            }
            catch (final NumberFormatException ignored)
            {
                return new BigDecimal(literal);
            }
        }

        return new BigDecimal(literal);
    }

    private boolean digits()
    {
        final int start = position;
        while (position < text.length() && text.charAt(position) >= '0' && text.charAt(position) <= '9')
        {
            position++;
        }

        return position > start;
    }

    private void literal(final String word)
    {
        if (!text.startsWith(word, position))
        {
            throw error("true, false or null");
        }
        position += word.length();
    }

    private void expect(final char c, final String what)
    {
        if (peek() != c)
        {
            throw error(what);
        }
        position++;
    }

    private char peek()
    {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private void skipWhitespace()
    {
        while (position < text.length())
        {
            final char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            {
                break;
            }
            position++;
        }
    }

    private JsonFormatException error(final String expected)
    {
        final String found = position < text.length() ?
            "'" + printable(text.charAt(position)) + "'" : "the end of the line";
        return new JsonFormatException("broken JSON at column " + (position + 1) + ": expected " + expected +
            ", found " + found);
    }

    /**
     * @return the character as a message shows it: itself if printable ASCII, else its {@code \\uXXXX} escape
     */
    public static String printable(final char c)
    {
        return c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format(Locale.ROOT, "\\u%04x", (int)c);
    }
}
