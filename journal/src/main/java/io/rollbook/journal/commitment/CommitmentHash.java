package io.rollbook.journal.commitment;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hashes of docs/COMMITMENTS.md, SHA-256 with a domain byte in front of every input so that a leaf, an inner
 * node and a proof statement can never be taken for one another:
 *
 * <pre>
 * leafHash(leafBytes)                       = SHA-256( 0x00 || leafBytes )
 * nodeHash(left, right)                     = SHA-256( 0x01 || left || right )
 * statementHash(account, batch, seq, root)  = SHA-256( 0x02 || account || batch || sequence || root )
 *                                             (account, batch and sequence as int64, big-endian)
 * </pre>
 *
 * <p>Not thread-safe: one instance per thread. Allocates nothing per hash (the JDK's SHA-256, which uses the
 * CPU's SHA instructions where there are some).
 */
public final class CommitmentHash
{
    public static final int LENGTH = 32;
    public static final byte LEAF_DOMAIN = 0x00;
    public static final byte NODE_DOMAIN = 0x01;
    public static final byte STATEMENT_DOMAIN = 0x02;

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private final MessageDigest digest;
    private final byte[] node = new byte[1 + 2 * LENGTH];
    private final byte[] statement = new byte[1 + 3 * Long.BYTES + LENGTH];

    public CommitmentHash()
    {
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JDK", ex);
        }
        node[0] = NODE_DOMAIN;
        statement[0] = STATEMENT_DOMAIN;
    }

    /**
     * Hashes {@code input[offset, offset + length)}, whose first byte the caller has set to the domain byte.
     */
    public void hash(final byte[] input, final int offset, final int length, final byte[] out, final int outOffset)
    {
        digest.update(input, offset, length);
        finish(out, outOffset);
    }

    /**
     * {@code leafHash} of leaf bytes given without their domain byte.
     */
    public void leaf(final byte[] leafBytes, final int offset, final int length, final byte[] out, final int outOffset)
    {
        digest.update(LEAF_DOMAIN);
        digest.update(leafBytes, offset, length);
        finish(out, outOffset);
    }

    public void node(
        final byte[] left,
        final int leftOffset,
        final byte[] right,
        final int rightOffset,
        final byte[] out,
        final int outOffset)
    {
        System.arraycopy(left, leftOffset, node, 1, LENGTH);
        System.arraycopy(right, rightOffset, node, 1 + LENGTH, LENGTH);
        digest.update(node, 0, node.length);
        finish(out, outOffset);
    }

    public void statement(
        final long account, final long batch, final long sequence, final byte[] root, final byte[] out)
    {
        putLong(statement, 1, account);
        putLong(statement, 9, batch);
        putLong(statement, 17, sequence);
        System.arraycopy(root, 0, statement, 25, LENGTH);
        digest.update(statement, 0, statement.length);
        finish(out, 0);
    }

    private void finish(final byte[] out, final int outOffset)
    {
        try
        {
            digest.digest(out, outOffset, LENGTH);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException("SHA-256 output does not fit", ex);
        }
    }

    private static void putLong(final byte[] bytes, final int offset, final long value)
    {
        for (int i = 0; i < Long.BYTES; i++)
        {
            bytes[offset + i] = (byte)(value >>> (56 - 8 * i));
        }
    }

    /**
     * @return lower-case hex of {@code bytes[offset, offset + length)}
     */
    public static String hex(final byte[] bytes, final int offset, final int length)
    {
        final char[] out = new char[length * 2];
        for (int i = 0; i < length; i++)
        {
            final int b = bytes[offset + i] & 0xFF;
            out[2 * i] = HEX_DIGITS[b >>> 4];
            out[2 * i + 1] = HEX_DIGITS[b & 0xF];
        }
        return new String(out);
    }

    public static String hex(final byte[] bytes)
    {
        return hex(bytes, 0, bytes.length);
    }

    /**
     * Appends the lower-case hex of {@code bytes} to {@code out}, as {@link #hex(byte[])} writes it, for a printer
     * that writes a line per batch and need not make a string of each hash first.
     */
    public static StringBuilder appendHex(final StringBuilder out, final byte[] bytes)
    {
        for (final byte value : bytes)
        {
            out.append(HEX_DIGITS[(value >>> 4) & 0xF]).append(HEX_DIGITS[value & 0xF]);
        }
        return out;
    }

    /**
     * @return the bytes of lower-case hex digits, or null if {@code text} is not an even number of them
     */
    public static byte[] unhex(final CharSequence text)
    {
        if (text.length() % 2 != 0)
        {
            return null;
        }
        final byte[] out = new byte[text.length() / 2];
        for (int i = 0; i < out.length; i++)
        {
            final int high = hexDigit(text.charAt(2 * i));
            final int low = hexDigit(text.charAt(2 * i + 1));
            if (high < 0 || low < 0)
            {
                return null;
            }
            out[i] = (byte)(high << 4 | low);
        }
        return out;
    }

    private static int hexDigit(final char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }
}
