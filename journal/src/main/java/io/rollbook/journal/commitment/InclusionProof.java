package io.rollbook.journal.commitment;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * An inclusion proof of one account's leaf against a committed root, and its JSON file (docs/COMMITMENTS.md):
 * the account, the batch and sequence the root was committed after, the tree height, the root, the leaf decoded
 * and as bytes, the sibling hashes from the leaf up, and the statement hash that binds the account, batch and
 * sequence to the root.
 *
 * <p>{@link #verify} checks a file using nothing but its text: the leaf object is exactly what the leaf bytes
 * encode, the path from the leaf through the siblings ends at the root, the statement hash is right, and the file
 * is byte for byte in the canonical layout {@link #toJson} writes. So no byte of a proof can be altered unnoticed.
 *
 * <p>Immutable.
 */
public final class InclusionProof
{
    public static final String FORMAT = "rollbook-inclusion-proof-1";

    private static final int HASH = CommitmentHash.LENGTH;
    private static final List<String> KEYS = List.of(
        "format", "account", "batch", "sequence", "height", "root", "leaf", "leafBytes", "siblings", "statement");

    private final int account;
    private final long batch;
    private final long sequence;
    private final int height;
    private final byte[] root;
    private final byte[] leafBytes;
    private final byte[][] siblings;
    private final byte[] statement;

    private InclusionProof(
        final int account,
        final long batch,
        final long sequence,
        final byte[] root,
        final byte[] leafBytes,
        final byte[][] siblings,
        final byte[] statement)
    {
        this.account = account;
        this.batch = batch;
        this.sequence = sequence;
        this.height = siblings.length;
        this.root = root;
        this.leafBytes = leafBytes;
        this.siblings = siblings;
        this.statement = statement;
    }

    /**
     * @return a proof whose statement hash is computed from its parts
     */
    public static InclusionProof create(
        final int account,
        final long batch,
        final long sequence,
        final byte[] root,
        final byte[] leafBytes,
        final byte[][] siblings)
    {
        final byte[] statement = new byte[HASH];
        new CommitmentHash().statement(account, batch, sequence, root, statement);
        return new InclusionProof(account, batch, sequence, root.clone(), leafBytes.clone(), deepCopy(siblings),
            statement);
    }

    public int account()
    {
        return account;
    }

    public long batch()
    {
        return batch;
    }

    public long sequence()
    {
        return sequence;
    }

    public int height()
    {
        return height;
    }

    public byte[] root()
    {
        return root.clone();
    }

    public byte[] leafBytes()
    {
        return leafBytes.clone();
    }

    public byte[] statement()
    {
        return statement.clone();
    }

    /**
     * @return the leaf the proof's bytes encode
     * @throws IllegalArgumentException if they are not a canonical leaf
     */
    public AccountLeaf leaf()
    {
        final AccountLeaf leaf = new AccountLeaf(account);
        final String problem = leaf.decode(new UnsafeBuffer(leafBytes), 0, leafBytes.length);
        if (problem != null)
        {
            throw new IllegalArgumentException(problem);
        }
        return leaf;
    }

    /**
     * @return the proof file: canonical JSON, two-space indentation, a line break at the end
     */
    public String toJson()
    {
        return render(account, batch, sequence, height, root, leaf(), leafBytes, siblings, statement);
    }

    private static String render(
        final long account,
        final long batch,
        final long sequence,
        final int height,
        final byte[] root,
        final AccountLeaf leaf,
        final byte[] leafBytes,
        final byte[][] siblings,
        final byte[] statement)
    {
        final StringBuilder out = new StringBuilder(512 + height * 72 + leafBytes.length * 2);
        out.append("{\n")
            .append("  \"format\": \"").append(FORMAT).append("\",\n")
            .append("  \"account\": ").append(account).append(",\n")
            .append("  \"batch\": ").append(batch).append(",\n")
            .append("  \"sequence\": ").append(sequence).append(",\n")
            .append("  \"height\": ").append(height).append(",\n")
            .append("  \"root\": \"").append(CommitmentHash.hex(root)).append("\",\n")
            .append("  \"leaf\": ");
        leaf.appendJson(out, "  ");
        out.append(",\n")
            .append("  \"leafBytes\": \"").append(CommitmentHash.hex(leafBytes)).append("\",\n")
            .append("  \"siblings\": [");
        for (int i = 0; i < siblings.length; i++)
        {
            out.append(i == 0 ? "\n" : ",\n").append("    \"").append(CommitmentHash.hex(siblings[i])).append('"');
        }
        out.append(siblings.length == 0 ? "],\n" : "\n  ],\n")
            .append("  \"statement\": \"").append(CommitmentHash.hex(statement)).append("\"\n")
            .append("}\n");
        return out.toString();
    }

    /**
     * Computes the root the leaf and its siblings lead to.
     */
    public static byte[] pathRoot(final int account, final byte[] leafBytes, final byte[][] siblings)
    {
        final CommitmentHash hash = new CommitmentHash();
        final byte[] current = new byte[HASH];
        hash.leaf(leafBytes, 0, leafBytes.length, current, 0);
        for (int level = 0; level < siblings.length; level++)
        {
            if ((account >>> level & 1) == 0)
            {
                hash.node(current, 0, siblings[level], 0, current, 0);
            }
            else
            {
                hash.node(siblings[level], 0, current, 0, current, 0);
            }
        }
        return current;
    }

    /**
     * The outcome of {@link #verify}: the proof as read (null if the file could not be read as one) and what is
     * wrong with it (null if it holds).
     */
    public record Verification(InclusionProof proof, String problem)
    {
        public boolean holds()
        {
            return problem == null;
        }
    }

    /**
     * Checks a proof file using nothing but its text.
     */
    public static Verification verify(final String text)
    {
        final Object parsed;
        try
        {
            parsed = new JsonReader(text).document();
        }
        catch (final IllegalArgumentException ex)
        {
            return new Verification(null, "not a proof file: " + ex.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> map))
        {
            return new Verification(null, "not a proof file: the top level is not a JSON object");
        }
        if (!map.keySet().equals(new HashSet<>(KEYS)))
        {
            return new Verification(null, "not a proof file: its keys are " + visible(map.keySet().toString()) +
                ", expected " + KEYS);
        }
        if (!FORMAT.equals(map.get("format")))
        {
            return new Verification(null, "\"format\" is " + quote(map.get("format")) + ", expected \"" + FORMAT +
                "\"");
        }

        final long account;
        final long batch;
        final long sequence;
        final long height;
        final byte[] root;
        final byte[] leafBytes;
        final byte[] statement;
        final byte[][] siblings;
        try
        {
            height = integer(map, "height", 1, 31);
            account = integer(map, "account", 1, (1L << height) - 1);
            batch = integer(map, "batch", 1, Long.MAX_VALUE);
            sequence = integer(map, "sequence", 1, Long.MAX_VALUE);
            root = hash(map.get("root"), "root");
            statement = hash(map.get("statement"), "statement");
            leafBytes = bytes(map.get("leafBytes"), "leafBytes");
            if (!(map.get("siblings") instanceof List<?> list))
            {
                throw new IllegalArgumentException("\"siblings\" is not an array");
            }
            if (list.size() != height)
            {
                throw new IllegalArgumentException("\"siblings\" holds " + list.size() + " hashes, the height is " +
                    height);
            }
            siblings = new byte[list.size()][];
            for (int i = 0; i < siblings.length; i++)
            {
                siblings[i] = hash(list.get(i), "siblings[" + i + "]");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            return new Verification(null, ex.getMessage());
        }
        final InclusionProof proof = new InclusionProof((int)account, batch, sequence, root, leafBytes, siblings,
            statement);

        final AccountLeaf leaf = new AccountLeaf((int)account);
        final String leafProblem = leaf.decode(new UnsafeBuffer(leafBytes), 0, leafBytes.length);
        if (leafProblem != null)
        {
            return new Verification(proof, "\"leafBytes\" is not a canonical leaf: " + leafProblem);
        }
        final StringBuilder decoded = new StringBuilder(256);
        leaf.appendJson(decoded, "");
        if (!new JsonReader(decoded.toString()).document().equals(map.get("leaf")))
        {
            return new Verification(proof, "\"leaf\" is not what \"leafBytes\" encode; they encode " + leaf);
        }
        final byte[] computed = pathRoot((int)account, leafBytes, siblings);
        if (!Arrays.equals(computed, root))
        {
            return new Verification(proof, "the path from the leaf through the siblings leads to root " +
                CommitmentHash.hex(computed) + ", not to the stated root " + CommitmentHash.hex(root));
        }
        final byte[] expectedStatement = new byte[HASH];
        new CommitmentHash().statement(account, batch, sequence, root, expectedStatement);
        if (!Arrays.equals(expectedStatement, statement))
        {
            return new Verification(proof, "\"statement\" is not the hash of this account, batch, sequence and root " +
                "(expected " + CommitmentHash.hex(expectedStatement) + ")");
        }
        final String canonical = render(account, batch, sequence, (int)height, root, leaf, leafBytes, siblings,
            statement);
        if (!canonical.equals(text))
        {
            return new Verification(proof, "the file is not in the canonical layout: " +
                firstDifference(canonical, text));
        }
        return new Verification(proof, null);
    }

    private static String firstDifference(final String expected, final String actual)
    {
        final String[] want = expected.split("\n", -1);
        final String[] have = actual.split("\n", -1);
        for (int i = 0; i < Math.max(want.length, have.length); i++)
        {
            final String w = i < want.length ? want[i] : "(end of file)";
            final String h = i < have.length ? have[i] : "(end of file)";
            if (!w.equals(h))
            {
                return "line " + (i + 1) + " is " + quote(h) + ", expected " + quote(w);
            }
        }
        return "it differs in its line breaks";
    }

    private static long integer(final Map<?, ?> map, final String key, final long min, final long max)
    {
        if (!(map.get(key) instanceof BigInteger value))
        {
            throw new IllegalArgumentException("\"" + key + "\" is not a whole number");
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0)
        {
            throw new IllegalArgumentException("\"" + key + "\" is " + value + ", outside " + min + ".." + max);
        }
        return value.longValueExact();
    }

    private static byte[] hash(final Object value, final String name)
    {
        final byte[] bytes = bytes(value, name);
        if (bytes.length != HASH)
        {
            throw new IllegalArgumentException("\"" + name + "\" is " + bytes.length + " bytes, a hash is " + HASH);
        }
        return bytes;
    }

    private static byte[] bytes(final Object value, final String name)
    {
        if (!(value instanceof String text))
        {
            throw new IllegalArgumentException("\"" + name + "\" is not a string");
        }
        final byte[] bytes = CommitmentHash.unhex(text);
        if (bytes == null)
        {
            throw new IllegalArgumentException("\"" + name + "\" is not lower-case hex digits in pairs");
        }
        return bytes;
    }

    /**
     * @return the text with every character outside printable ASCII as <U+XXXX>: a proof is ASCII, and a carriage
     * return, a byte order mark or a NUL printed as itself would garble or vanish from the message that names it
     */
    private static String visible(final String text)
    {
        final StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f)
            {
                out.append(c);
            }
            else
            {
                out.append(String.format("<U+%04X>", (int)c));
            }
        }
        return out.toString();
    }

    private static String quote(final Object value)
    {
        return value instanceof String ? "\"" + visible((String)value) + "\"" : String.valueOf(value);
    }

    private static byte[][] deepCopy(final byte[][] hashes)
    {
        final byte[][] copy = new byte[hashes.length][];
        for (int i = 0; i < hashes.length; i++)
        {
            copy[i] = hashes[i].clone();
        }
        return copy;
    }

    /**
     * Just enough JSON for proof files: objects (no repeated keys), arrays, strings without escapes beyond
     * {@code \"} and {@code \\}, and whole numbers; anything else is refused with its position.
     */
    private static final class JsonReader
    {
        /**
         * A proof nests four deep (a position in the leaf's positions in the leaf in the file); the reader recurses
         * per level, so a hand-made file of nested brackets would otherwise end it in a stack overflow, not a
         * rejection.
         */
        private static final int MAX_DEPTH = 8;

        private final String text;
        private int at;
        private int depth;

        JsonReader(final String text)
        {
            this.text = text;
        }

        Object document()
        {
            final Object value = value();
            skipSpace();
            if (at != text.length())
            {
                throw error("text after the JSON value");
            }
            return value;
        }

        private Object value()
        {
            skipSpace();
            if (at >= text.length())
            {
                throw error("the text ends where a value should be");
            }
            final char c = text.charAt(at);
            if (c == '{' || c == '[')
            {
                if (++depth > MAX_DEPTH)
                {
                    throw error("objects and arrays nested deeper than " + MAX_DEPTH + " levels");
                }
                final Object nested = c == '{' ? object() : array();
                depth--;
                return nested;
            }
            if (c == '"')
            {
                return string();
            }
            if (c == '-' || (c >= '0' && c <= '9'))
            {
                return number();
            }
            throw error("unexpected " + (c == '\uFEFF' ? "byte order mark (save the file as UTF-8 without one)" :
                c >= 0x20 && c < 0x7f ? "'" + c + "'" : visible(String.valueOf(c))));
        }

        private Map<String, Object> object()
        {
            at++;
            final Map<String, Object> map = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}')
            {
                at++;
                return map;
            }
            while (true)
            {
                skipSpace();
                if (peek() != '"')
                {
                    throw error("expected a key");
                }
                final String key = string();
                skipSpace();
                expect(':');
                if (map.put(key, value()) != null)
                {
                    throw error("key \"" + key + "\" appears twice");
                }
                skipSpace();
                if (peek() == ',')
                {
                    at++;
                    continue;
                }
                expect('}');
                return map;
            }
        }

        private List<Object> array()
        {
            at++;
            final List<Object> list = new ArrayList<>();
            skipSpace();
            if (peek() == ']')
            {
                at++;
                return list;
            }
            while (true)
            {
                list.add(value());
                skipSpace();
                if (peek() == ',')
                {
                    at++;
                    continue;
                }
                expect(']');
                return list;
            }
        }

        private String string()
        {
            at++;
            final StringBuilder out = new StringBuilder();
            while (at < text.length())
            {
                final char c = text.charAt(at++);
                if (c == '"')
                {
                    return out.toString();
                }
                if (c == '\\')
                {
                    if (at >= text.length() || (text.charAt(at) != '"' && text.charAt(at) != '\\'))
                    {
                        throw error("unsupported escape");
                    }
                    out.append(text.charAt(at++));
                }
                else if (c < 0x20)
                {
                    throw error("control character in a string");
                }
                else
                {
                    out.append(c);
                }
            }
            throw error("unterminated string");
        }

        private BigInteger number()
        {
            final int start = at;
            if (peek() == '-')
            {
                at++;
            }
            while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9')
            {
                at++;
            }
            final String digits = text.substring(start, at);
            if (digits.isEmpty() || "-".equals(digits) || (at < text.length() && ".eE".indexOf(text.charAt(at)) >= 0))
            {
                throw error("only whole numbers are expected");
            }
            return new BigInteger(digits);
        }

        private void expect(final char c)
        {
            if (peek() != c)
            {
                throw error("expected '" + c + "'");
            }
            at++;
        }

        private char peek()
        {
            return at < text.length() ? text.charAt(at) : '\0';
        }

        private void skipSpace()
        {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0)
            {
                at++;
            }
        }

        private IllegalArgumentException error(final String problem)
        {
            int line = 1;
            int column = 1;
            for (int i = 0; i < Math.min(at, text.length()); i++)
            {
                if (text.charAt(i) == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
            }
            return new IllegalArgumentException(problem + " at line " + line + ", column " + column);
        }
    }
}
