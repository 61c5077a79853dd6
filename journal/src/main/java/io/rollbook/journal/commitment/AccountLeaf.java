package io.rollbook.journal.commitment;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What the commitment holds of one account: its cross collateral and one entry per market where its position
 * size or isolated margin is not zero, kept in ascending market order. Encodes itself as the leaf bytes of
 * docs/COMMITMENTS.md.
 *
 * <pre>
 * leaf bytes, big-endian
 *   0  uint8  version          1
 *   1  int64  collateral       micro-USDC
 *   9  uint16 entryCount
 *  11  entries, 37 bytes each, ascending market:
 *        0  int32 market   4  uint8 marginMode (0 cross, 1 isolated)   5  int64 size (lots)
 *       13  int64 entryValue (micro-USDC)   21  int64 fundingIndex   29  int64 isolatedMargin (micro-USDC)
 * </pre>
 *
 * <p>Mutable, not thread-safe: owned by the thread that builds the commitment. Allocates only when an account
 * holds more markets than ever before.
 */
public final class AccountLeaf
{
    public static final int VERSION = 1;
    public static final int HEADER_LENGTH = 11;
    public static final int ENTRY_LENGTH = 37;
    /** The 16-bit entry count bounds the markets a leaf can hold. */
    public static final int MAX_ENTRIES = 0xFFFF;
    public static final int MARGIN_CROSS = 0;
    public static final int MARGIN_ISOLATED = 1;

    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;
    private static final int FIELDS = 6;
    private static final int MARKET = 0;
    private static final int MODE = 1;
    private static final int SIZE = 2;
    private static final int ENTRY_VALUE = 3;
    private static final int FUNDING_INDEX = 4;
    private static final int ISOLATED_MARGIN = 5;

    private final int account;
    private long collateralMicros;
    private long[] entries = new long[FIELDS * 2];
    private int entryCount;
    boolean dirty;

    public AccountLeaf(final int account)
    {
        this.account = account;
    }

    public int account()
    {
        return account;
    }

    public long collateralMicros()
    {
        return collateralMicros;
    }

    public void collateralMicros(final long collateralMicros)
    {
        this.collateralMicros = collateralMicros;
    }

    public int entryCount()
    {
        return entryCount;
    }

    public int market(final int entry)
    {
        return (int)entries[entry * FIELDS + MARKET];
    }

    /**
     * @return {@link #MARGIN_CROSS} or {@link #MARGIN_ISOLATED}
     */
    public int marginMode(final int entry)
    {
        return (int)entries[entry * FIELDS + MODE];
    }

    public long sizeLots(final int entry)
    {
        return entries[entry * FIELDS + SIZE];
    }

    public long entryValueMicros(final int entry)
    {
        return entries[entry * FIELDS + ENTRY_VALUE];
    }

    public long fundingIndex(final int entry)
    {
        return entries[entry * FIELDS + FUNDING_INDEX];
    }

    public long isolatedMarginMicros(final int entry)
    {
        return entries[entry * FIELDS + ISOLATED_MARGIN];
    }

    /**
     * @return true when the account holds nothing: its leaf is the empty leaf
     */
    public boolean isEmpty()
    {
        return collateralMicros == 0 && entryCount == 0;
    }

    /**
     * Sets the account's position in a market as a {@code position} event states it. A position whose size and
     * isolated margin are both zero is no entry of the leaf.
     */
    public void position(
        final int market,
        final int marginMode,
        final long sizeLots,
        final long entryValueMicros,
        final long fundingIndex,
        final long isolatedMarginMicros)
    {
        int index = 0;
        while (index < entryCount && entries[index * FIELDS + MARKET] < market)
        {
            index++;
        }
        final boolean present = index < entryCount && entries[index * FIELDS + MARKET] == market;
        if (sizeLots == 0 && isolatedMarginMicros == 0)
        {
            if (present)
            {
                System.arraycopy(entries, (index + 1) * FIELDS, entries, index * FIELDS,
                    (entryCount - index - 1) * FIELDS);
                entryCount--;
            }
            return;
        }
        if (!present)
        {
            if (entryCount == MAX_ENTRIES)
            {
                throw new IllegalStateException("account " + account + " would hold more than " + MAX_ENTRIES +
                    " leaf entries");
            }
            if ((entryCount + 1) * FIELDS > entries.length)
            {
                final long[] grown = new long[entries.length * 2];
                System.arraycopy(entries, 0, grown, 0, entryCount * FIELDS);
                entries = grown;
            }
            System.arraycopy(entries, index * FIELDS, entries, (index + 1) * FIELDS, (entryCount - index) * FIELDS);
            entryCount++;
        }
        final int base = index * FIELDS;
        entries[base + MARKET] = market;
        entries[base + MODE] = marginMode;
        entries[base + SIZE] = sizeLots;
        entries[base + ENTRY_VALUE] = entryValueMicros;
        entries[base + FUNDING_INDEX] = fundingIndex;
        entries[base + ISOLATED_MARGIN] = isolatedMarginMicros;
    }

    /**
     * Makes this the empty leaf.
     */
    public void clear()
    {
        collateralMicros = 0;
        entryCount = 0;
    }

    public void copyFrom(final AccountLeaf other)
    {
        collateralMicros = other.collateralMicros;
        if (entries.length < other.entryCount * FIELDS)
        {
            entries = new long[other.entries.length];
        }
        System.arraycopy(other.entries, 0, entries, 0, other.entryCount * FIELDS);
        entryCount = other.entryCount;
    }

    /**
     * @return true if both leaves encode to the same bytes (the account ids aside)
     */
    public boolean sameContents(final AccountLeaf other)
    {
        if (collateralMicros != other.collateralMicros || entryCount != other.entryCount)
        {
            return false;
        }
        for (int i = 0; i < entryCount * FIELDS; i++)
        {
            if (entries[i] != other.entries[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the length of the leaf bytes
     */
    public int encodedLength()
    {
        return HEADER_LENGTH + entryCount * ENTRY_LENGTH;
    }

    /**
     * Writes the leaf bytes.
     *
     * @return their length
     */
    public int encode(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putByte(offset, (byte)VERSION);
        buffer.putLong(offset + 1, collateralMicros, ORDER);
        buffer.putShort(offset + 9, (short)entryCount, ORDER);
        int position = offset + HEADER_LENGTH;
        for (int i = 0; i < entryCount; i++)
        {
            final int base = i * FIELDS;
            buffer.putInt(position, (int)entries[base + MARKET], ORDER);
            buffer.putByte(position + 4, (byte)entries[base + MODE]);
            buffer.putLong(position + 5, entries[base + SIZE], ORDER);
            buffer.putLong(position + 13, entries[base + ENTRY_VALUE], ORDER);
            buffer.putLong(position + 21, entries[base + FUNDING_INDEX], ORDER);
            buffer.putLong(position + 29, entries[base + ISOLATED_MARGIN], ORDER);
            position += ENTRY_LENGTH;
        }
        return position - offset;
    }

    /**
     * Reads leaf bytes into this leaf, accepting only the canonical encoding: version 1, the length the entry
     * count implies, markets strictly ascending and positive, margin modes 0 or 1, and no entry whose size and
     * isolated margin are both zero. Equal accounts thus have equal bytes, and equal bytes mean equal accounts.
     *
     * @return null if the bytes are a canonical leaf, otherwise what is wrong with them (the leaf is then undefined)
     */
    public String decode(final DirectBuffer buffer, final int offset, final int length)
    {
        clear();
        if (length < HEADER_LENGTH)
        {
            return "leaf bytes are " + length + " bytes long, shorter than the " + HEADER_LENGTH + "-byte header";
        }
        final int version = buffer.getByte(offset) & 0xFF;
        if (version != VERSION)
        {
            return "leaf version is " + version + ", expected " + VERSION;
        }
        final int count = buffer.getShort(offset + 9, ORDER) & 0xFFFF;
        if (length != HEADER_LENGTH + count * ENTRY_LENGTH)
        {
            return "leaf states " + count + " entries, which take " + (HEADER_LENGTH + count * ENTRY_LENGTH) +
                " bytes, but it is " + length + " bytes long";
        }
        collateralMicros = buffer.getLong(offset + 1, ORDER);
        int previousMarket = 0;
        for (int i = 0; i < count; i++)
        {
            final int position = offset + HEADER_LENGTH + i * ENTRY_LENGTH;
            final int market = buffer.getInt(position, ORDER);
            final int mode = buffer.getByte(position + 4) & 0xFF;
            final long size = buffer.getLong(position + 5, ORDER);
            final long isolated = buffer.getLong(position + 29, ORDER);
            if (market <= previousMarket)
            {
                return "leaf entry " + i + " is market " + market + ", not above the previous entry's " +
                    previousMarket;
            }
            if (mode != MARGIN_CROSS && mode != MARGIN_ISOLATED)
            {
                return "leaf entry " + i + " has margin mode " + mode + ", expected 0 (cross) or 1 (isolated)";
            }
            if (size == 0 && isolated == 0)
            {
                return "leaf entry " + i + " (market " + market + ") holds neither a position nor isolated margin";
            }
            position(market, mode, size, buffer.getLong(position + 13, ORDER), buffer.getLong(position + 21, ORDER),
                isolated);
            previousMarket = market;
        }
        return null;
    }

    /**
     * Appends the leaf as a JSON object in engine units (the {@code leaf} of an inclusion proof), 64-bit values as
     * strings so that no JSON reader rounds them.
     */
    public void appendJson(final StringBuilder out, final String indent)
    {
        out.append("{\n").append(indent).append("  \"collateralMicros\": \"").append(collateralMicros).append("\",\n")
            .append(indent).append("  \"positions\": [");
        for (int i = 0; i < entryCount; i++)
        {
            out.append(i == 0 ? "\n" : ",\n").append(indent).append("    {\"market\": ").append(market(i))
                .append(", \"marginMode\": \"").append(marginMode(i) == MARGIN_ISOLATED ? "isolated" : "cross")
                .append("\", \"sizeLots\": \"").append(sizeLots(i))
                .append("\", \"entryValueMicros\": \"").append(entryValueMicros(i))
                .append("\", \"fundingIndex\": \"").append(fundingIndex(i))
                .append("\", \"isolatedMarginMicros\": \"").append(isolatedMarginMicros(i)).append("\"}");
        }
        if (entryCount > 0)
        {
            out.append('\n').append(indent).append("  ");
        }
        out.append("]\n").append(indent).append('}');
    }

    /**
     * @return the leaf on one line, for messages
     */
    @Override
    public String toString()
    {
        final StringBuilder out = new StringBuilder(64 + entryCount * 128);
        out.append("{\"account\":").append(account).append(",\"collateralMicros\":").append(collateralMicros)
            .append(",\"positions\":[");
        for (int i = 0; i < entryCount; i++)
        {
            out.append(i == 0 ? "" : ",").append("{\"market\":").append(market(i))
                .append(",\"marginMode\":\"").append(marginMode(i) == MARGIN_ISOLATED ? "isolated" : "cross")
                .append("\",\"sizeLots\":").append(sizeLots(i))
                .append(",\"entryValueMicros\":").append(entryValueMicros(i))
                .append(",\"fundingIndex\":").append(fundingIndex(i))
                .append(",\"isolatedMarginMicros\":").append(isolatedMarginMicros(i)).append('}');
        }
        return out.append("]}").toString();
    }
}
