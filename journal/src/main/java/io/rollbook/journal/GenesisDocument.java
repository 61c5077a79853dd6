package io.rollbook.journal;

import java.nio.ByteOrder;

import io.rollbook.matcher.Matcher;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The first document of every journal: what a replay needs besides the commands to build an identical matcher.
 * The engine schema the commands and events are encoded with, and the matcher's context: capacities (they bound
 * what the matcher accepts) and the fee and insurance fund accounts, all part of the state machine's definition.
 *
 * <pre>
 *  16  uint16 engineSchemaId
 *  18  uint16 engineSchemaVersion
 *  20  int32  parameterCount     7 (6 in journals written before the makers limit)
 *  24  int64  marketCapacity
 *  32  int64  accountCapacity
 *  40  int64  orderCapacity
 *  48  int64  maxOpenOrdersPerAccount
 *  56  int64  feeAccount
 *  64  int64  insuranceFundAccount
 *  72  int64  maxMakersPerTaker  absent (6 parameters): 0, no limit, as the matchers that wrote those journals had
 * </pre>
 *
 * The genesis commands (fee tiers, markets, account setups) are not here: they are sequenced as the first
 * commands of the first batch, so the journal holds them like any other command.
 *
 * <p>Immutable.
 */
public final class GenesisDocument
{
    static final int SCHEMA_ID_OFFSET = 16;
    static final int SCHEMA_VERSION_OFFSET = 18;
    static final int PARAMETER_COUNT_OFFSET = 20;
    static final int PARAMETERS_OFFSET = 24;
    static final int PARAMETER_COUNT = 7;
    /** Journals written before the makers limit hold the first six parameters only. */
    static final int MIN_PARAMETER_COUNT = 6;
    public static final int LENGTH = PARAMETERS_OFFSET + PARAMETER_COUNT * Long.BYTES;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final int engineSchemaId;
    private final int engineSchemaVersion;
    private final int marketCapacity;
    private final int accountCapacity;
    private final int orderCapacity;
    private final int maxOpenOrdersPerAccount;
    private final int feeAccount;
    private final int insuranceFundAccount;
    private final int maxMakersPerTaker;

    private GenesisDocument(
        final int engineSchemaId,
        final int engineSchemaVersion,
        final int marketCapacity,
        final int accountCapacity,
        final int orderCapacity,
        final int maxOpenOrdersPerAccount,
        final int feeAccount,
        final int insuranceFundAccount,
        final int maxMakersPerTaker)
    {
        this.engineSchemaId = engineSchemaId;
        this.engineSchemaVersion = engineSchemaVersion;
        this.marketCapacity = marketCapacity;
        this.accountCapacity = accountCapacity;
        this.orderCapacity = orderCapacity;
        this.maxOpenOrdersPerAccount = maxOpenOrdersPerAccount;
        this.feeAccount = feeAccount;
        this.insuranceFundAccount = insuranceFundAccount;
        this.maxMakersPerTaker = maxMakersPerTaker;
    }

    /**
     * @return the genesis of a new journal for a matcher with these capacities, on the engine schema compiled in
     */
    public static GenesisDocument of(final Matcher.Context context)
    {
        return new GenesisDocument(MessageHeaderDecoder.SCHEMA_ID, MessageHeaderDecoder.SCHEMA_VERSION,
            context.marketCapacity(), context.accountCapacity(), context.orderCapacity(),
            context.maxOpenOrdersPerAccount(), context.feeAccount(), context.insuranceFundAccount(),
            context.maxMakersPerTaker());
    }

    /**
     * Reads the body of a genesis document that {@link JournalDocument} already validated.
     *
     * @throws JournalException if it holds fewer parameters than this version needs or values out of range
     */
    static GenesisDocument read(final DirectBuffer buffer, final int offset, final int length)
    {
        final int count = buffer.getInt(offset + PARAMETER_COUNT_OFFSET, ORDER);
        if (count < MIN_PARAMETER_COUNT || length < PARAMETERS_OFFSET + count * Long.BYTES)
        {
            throw new JournalException("genesis document holds " + count + " parameters in " + length +
                " bytes; format version 1 needs at least " + MIN_PARAMETER_COUNT);
        }

        return new GenesisDocument(
            buffer.getShort(offset + SCHEMA_ID_OFFSET, ORDER) & 0xFFFF,
            buffer.getShort(offset + SCHEMA_VERSION_OFFSET, ORDER) & 0xFFFF,
            parameter(buffer, offset, 0, "marketCapacity"),
            parameter(buffer, offset, 1, "accountCapacity"),
            parameter(buffer, offset, 2, "orderCapacity"),
            parameter(buffer, offset, 3, "maxOpenOrdersPerAccount"),
            parameter(buffer, offset, 4, "feeAccount"),
            parameter(buffer, offset, 5, "insuranceFundAccount"),
            count > 6 ? parameter(buffer, offset, 6, "maxMakersPerTaker") : 0);
    }

    private static int parameter(final DirectBuffer buffer, final int offset, final int index, final String name)
    {
        final long value = buffer.getLong(offset + PARAMETERS_OFFSET + index * Long.BYTES, ORDER);
        if (value < 0 || value > Integer.MAX_VALUE)
        {
            throw new JournalException("genesis parameter " + name + " = " + value + " is out of range");
        }

        return (int)value;
    }

    /**
     * Encodes the whole genesis document (header and body; the checksum is filled in when it is appended).
     *
     * @return its length
     */
    public int encode(final MutableDirectBuffer buffer, final int offset)
    {
        JournalDocument.putHeader(buffer, offset, JournalFormat.TYPE_GENESIS, LENGTH);
        buffer.putShort(offset + SCHEMA_ID_OFFSET, (short)engineSchemaId, ORDER);
        buffer.putShort(offset + SCHEMA_VERSION_OFFSET, (short)engineSchemaVersion, ORDER);
        buffer.putInt(offset + PARAMETER_COUNT_OFFSET, PARAMETER_COUNT, ORDER);
        buffer.putLong(offset + PARAMETERS_OFFSET, marketCapacity, ORDER);
        buffer.putLong(offset + PARAMETERS_OFFSET + 8, accountCapacity, ORDER);
        buffer.putLong(offset + PARAMETERS_OFFSET + 16, orderCapacity, ORDER);
        buffer.putLong(offset + PARAMETERS_OFFSET + 24, maxOpenOrdersPerAccount, ORDER);
        buffer.putLong(offset + PARAMETERS_OFFSET + 32, feeAccount, ORDER);
        buffer.putLong(offset + PARAMETERS_OFFSET + 40, insuranceFundAccount, ORDER);
        buffer.putLong(offset + PARAMETERS_OFFSET + 48, maxMakersPerTaker, ORDER);
        return LENGTH;
    }

    /**
     * @return a fresh matcher context with the journal's capacities: what a replay must use
     */
    public Matcher.Context matcherContext()
    {
        return new Matcher.Context()
            .marketCapacity(marketCapacity)
            .accountCapacity(accountCapacity)
            .orderCapacity(orderCapacity)
            .maxOpenOrdersPerAccount(maxOpenOrdersPerAccount)
            .feeAccount(feeAccount)
            .insuranceFundAccount(insuranceFundAccount)
            .maxMakersPerTaker(maxMakersPerTaker);
    }

    /**
     * @return null if a matcher built from {@code context} is the one this journal was written by, otherwise what
     *         differs, in words
     */
    public String differenceFrom(final Matcher.Context context)
    {
        final StringBuilder out = new StringBuilder();
        differ(out, "marketCapacity", marketCapacity, context.marketCapacity());
        differ(out, "accountCapacity", accountCapacity, context.accountCapacity());
        differ(out, "orderCapacity", orderCapacity, context.orderCapacity());
        differ(out, "maxOpenOrdersPerAccount", maxOpenOrdersPerAccount, context.maxOpenOrdersPerAccount());
        differ(out, "feeAccount", feeAccount, context.feeAccount());
        differ(out, "insuranceFundAccount", insuranceFundAccount, context.insuranceFundAccount());
        differ(out, "maxMakersPerTaker", maxMakersPerTaker, context.maxMakersPerTaker());
        return out.length() == 0 ? null : out.toString();
    }

    /**
     * @return null if this build can replay the journal's commands, otherwise why not
     */
    public String schemaIncompatibility()
    {
        if (engineSchemaId != MessageHeaderDecoder.SCHEMA_ID)
        {
            return "the journal uses engine schema " + engineSchemaId + ", this build knows schema " +
                MessageHeaderDecoder.SCHEMA_ID;
        }
        if (engineSchemaVersion > MessageHeaderDecoder.SCHEMA_VERSION)
        {
            return "the journal uses engine schema version " + engineSchemaVersion + ", newer than this build's " +
                MessageHeaderDecoder.SCHEMA_VERSION;
        }

        return null;
    }

    private static void differ(final StringBuilder out, final String name, final int journal, final int configured)
    {
        if (journal != configured)
        {
            if (out.length() > 0)
            {
                out.append(", ");
            }
            out.append(name).append(" is ").append(journal).append(" in the journal but ").append(configured)
                .append(" in the configuration");
        }
    }

    public int engineSchemaId()
    {
        return engineSchemaId;
    }

    public int engineSchemaVersion()
    {
        return engineSchemaVersion;
    }

    @Override
    public String toString()
    {
        return "genesis " + parameters();
    }

    /**
     * @return the schema and the matcher's capacities as {@code name=value} pairs, for a line that names the genesis
     *         itself ({@code genesis: engineSchema=...})
     */
    public String parameters()
    {
        return "engineSchema=" + engineSchemaId + "/v" + engineSchemaVersion +
            " marketCapacity=" + marketCapacity +
            " accountCapacity=" + accountCapacity +
            " orderCapacity=" + orderCapacity +
            " maxOpenOrdersPerAccount=" + maxOpenOrdersPerAccount +
            " feeAccount=" + feeAccount +
            " insuranceFundAccount=" + insuranceFundAccount +
            " maxMakersPerTaker=" + maxMakersPerTaker;
    }
}
