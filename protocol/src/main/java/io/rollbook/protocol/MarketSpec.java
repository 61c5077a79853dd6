package io.rollbook.protocol;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.regex.Pattern;

import io.rollbook.protocol.engine.DefineMarketEncoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * The definition of one perpetual market as an operator configures it, and the conversions between the
 * decimal prices and sizes people write and the ticks and lots the engine uses. Immutable.
 *
 * <p>A market enters the engine through a sequenced {@code DefineMarket} command ({@link #encode}), so the
 * journal alone says which markets existed and with which parameters.
 */
public final class MarketSpec
{
    public static final int MAX_SYMBOL_LENGTH = 16;
    /** Ten billion USDC: the engine's limit on one position's notional (see docs/MARGIN.md). */
    public static final long MAX_NOTIONAL_MICROS = 10_000_000_000_000_000L;
    private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9][A-Z0-9_/-]{0,15}");

    private final int id;
    private final String symbol;
    private final BigDecimal tickSize;
    private final BigDecimal lotSize;
    private final long minSizeLots;
    private final long maxOrderSizeLots;
    private final int marketOrderBandPpm;
    private final long maxPositionLots;
    private final long baselinePositionLots;
    private final long incrementalPositionLots;
    private final int initialMarginPpm;
    private final int maintenanceMarginPpm;
    private final int incrementalInitialMarginPpm;
    private final long tickLotValueMicros;

    private MarketSpec(final Builder builder)
    {
        id = builder.id;
        symbol = Objects.requireNonNull(builder.symbol, "symbol");
        tickSize = Objects.requireNonNull(builder.tickSize, "tickSize").stripTrailingZeros();
        lotSize = Objects.requireNonNull(builder.lotSize, "lotSize").stripTrailingZeros();
        minSizeLots = builder.minSizeLots;
        marketOrderBandPpm = builder.marketOrderBandPpm;
        maxPositionLots = builder.maxPositionLots;
        maxOrderSizeLots = builder.maxOrderSizeLots == 0 ? maxPositionLots : builder.maxOrderSizeLots;
        baselinePositionLots = builder.baselinePositionLots < 0 ? maxPositionLots : builder.baselinePositionLots;
        incrementalPositionLots = builder.incrementalPositionLots;
        initialMarginPpm = builder.initialMarginPpm;
        maintenanceMarginPpm = builder.maintenanceMarginPpm;
        incrementalInitialMarginPpm = builder.incrementalInitialMarginPpm;

        if (id <= 0)
        {
            throw new IllegalArgumentException("market id must be positive, got " + id);
        }
        if (!SYMBOL.matcher(symbol).matches())
        {
            throw new IllegalArgumentException("market symbol must be 1 to 16 of A-Z 0-9 _ / -, got \"" + symbol + "\"");
        }
        if (tickSize.signum() <= 0 || lotSize.signum() <= 0)
        {
            throw new IllegalArgumentException(symbol + ": tick size and lot size must be positive");
        }
        if (-tickSize.scale() < Byte.MIN_VALUE || -lotSize.scale() < Byte.MIN_VALUE ||
            tickSize.unscaledValue().bitLength() > 62 || lotSize.unscaledValue().bitLength() > 62)
        {
            throw new IllegalArgumentException(symbol + ": tick size or lot size has too many digits");
        }
        tickLotValueMicros = Decimals.tickLotValueMicros(
            tickSizeMantissa(), tickSizeExponent(), lotSizeMantissa(), lotSizeExponent());
        if (tickLotValueMicros <= 0)
        {
            throw new IllegalArgumentException(symbol + ": tick size x lot size must be a whole number of " +
                "micro-USDC (1e-6), got " + tickSize.multiply(lotSize).toPlainString());
        }
        if (minSizeLots <= 0 || maxOrderSizeLots < minSizeLots || maxPositionLots < maxOrderSizeLots)
        {
            throw new IllegalArgumentException(
                symbol + ": need 0 < minimum size <= maximum order size <= maximum position");
        }
        if (maxPositionLots > MAX_NOTIONAL_MICROS / tickLotValueMicros)
        {
            throw new IllegalArgumentException(symbol + ": the maximum position is too large for fixed-point money");
        }
        if (maintenanceMarginPpm <= 0 || maintenanceMarginPpm >= initialMarginPpm || initialMarginPpm > 1_000_000)
        {
            throw new IllegalArgumentException(
                symbol + ": need 0 < maintenance margin fraction < initial margin fraction <= 1");
        }
        if (incrementalInitialMarginPpm < 0 || incrementalInitialMarginPpm > 1_000_000 ||
            incrementalPositionLots <= 0 || baselinePositionLots < 0)
        {
            throw new IllegalArgumentException(symbol + ": need baseline position >= 0, incremental position > 0 " +
                "and 0 <= incremental initial margin fraction <= 1");
        }
        if (marketOrderBandPpm <= 0 || marketOrderBandPpm >= 1_000_000)
        {
            throw new IllegalArgumentException(symbol + ": market order band must be above 0 and below 100%");
        }
    }

    public static Builder builder()
    {
        return new Builder();
    }

    public int id()
    {
        return id;
    }

    public String symbol()
    {
        return symbol;
    }

    public BigDecimal tickSize()
    {
        return tickSize;
    }

    public BigDecimal lotSize()
    {
        return lotSize;
    }

    public long minSizeLots()
    {
        return minSizeLots;
    }

    public long maxOrderSizeLots()
    {
        return maxOrderSizeLots;
    }

    public int marketOrderBandPpm()
    {
        return marketOrderBandPpm;
    }

    public long maxPositionLots()
    {
        return maxPositionLots;
    }

    public long baselinePositionLots()
    {
        return baselinePositionLots;
    }

    public long incrementalPositionLots()
    {
        return incrementalPositionLots;
    }

    public int initialMarginPpm()
    {
        return initialMarginPpm;
    }

    public int maintenanceMarginPpm()
    {
        return maintenanceMarginPpm;
    }

    public int incrementalInitialMarginPpm()
    {
        return incrementalInitialMarginPpm;
    }

    /**
     * @return the value of one tick times one lot in micro-USDC
     */
    public long tickLotValueMicros()
    {
        return tickLotValueMicros;
    }

    public long tickSizeMantissa()
    {
        return tickSize.unscaledValue().longValueExact();
    }

    public int tickSizeExponent()
    {
        return -tickSize.scale();
    }

    public long lotSizeMantissa()
    {
        return lotSize.unscaledValue().longValueExact();
    }

    public int lotSizeExponent()
    {
        return -lotSize.scale();
    }

    /**
     * @throws InvalidValueException if the text is not a positive multiple of the tick size
     */
    public long priceToTicks(final String field, final String price)
    {
        return Decimals.positiveUnits(field, price, tickSize);
    }

    /**
     * @throws InvalidValueException if the text is not a positive multiple of the lot size
     */
    public long sizeToLots(final String field, final String size)
    {
        return Decimals.positiveUnits(field, size, lotSize);
    }

    public String ticksToPrice(final long priceTicks)
    {
        return Decimals.toPlainString(priceTicks, tickSize);
    }

    public String lotsToSize(final long sizeLots)
    {
        return Decimals.toPlainString(sizeLots, lotSize);
    }

    /**
     * Encodes the {@code DefineMarket} command that creates this market.
     *
     * @return the encoded length, header included
     */
    public int encode(final MutableDirectBuffer buffer, final int offset)
    {
        final DefineMarketEncoder encoder = new DefineMarketEncoder();
        encoder.wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
            .tickSizeMantissa(tickSizeMantissa())
            .lotSizeMantissa(lotSizeMantissa())
            .minSizeLots(minSizeLots)
            .maxOrderSizeLots(maxOrderSizeLots)
            .market(id)
            .marketOrderBandPpm(marketOrderBandPpm)
            .tickSizeExponent((byte)tickSizeExponent())
            .lotSizeExponent((byte)lotSizeExponent())
            .symbol(symbol)
            .baselinePositionLots(baselinePositionLots)
            .incrementalPositionLots(incrementalPositionLots)
            .maxPositionLots(maxPositionLots)
            .initialMarginPpm(initialMarginPpm)
            .maintenanceMarginPpm(maintenanceMarginPpm)
            .incrementalInitialMarginPpm(incrementalInitialMarginPpm);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    @Override
    public String toString()
    {
        return symbol + "(id=" + id + ", tick=" + tickSize.toPlainString() + ", lot=" + lotSize.toPlainString() +
            ", minLots=" + minSizeLots + ", maxOrderLots=" + maxOrderSizeLots + ", maxPositionLots=" + maxPositionLots +
            ", bandPpm=" + marketOrderBandPpm + ", initialPpm=" + initialMarginPpm + ", maintenancePpm=" +
            maintenanceMarginPpm + ", baselineLots=" + baselinePositionLots + ", incrementLots=" +
            incrementalPositionLots + ", incrementalPpm=" + incrementalInitialMarginPpm + ")";
    }

    /**
     * Collects the parameters of a market; {@link #build()} checks them all.
     */
    public static final class Builder
    {
        private int id;
        private String symbol;
        private BigDecimal tickSize;
        private BigDecimal lotSize;
        private long minSizeLots = 1;
        private long maxOrderSizeLots;
        private int marketOrderBandPpm = 50_000;
        private long maxPositionLots;
        private long baselinePositionLots = -1;
        private long incrementalPositionLots = 1;
        private int initialMarginPpm = 50_000;
        private int maintenanceMarginPpm = 30_000;
        private int incrementalInitialMarginPpm;

        private Builder()
        {
        }

        public Builder id(final int id)
        {
            this.id = id;
            return this;
        }

        public Builder symbol(final String symbol)
        {
            this.symbol = symbol;
            return this;
        }

        public Builder tickSize(final String tickSize)
        {
            this.tickSize = Decimals.parse("tickSize", tickSize);
            return this;
        }

        public Builder lotSize(final String lotSize)
        {
            this.lotSize = Decimals.parse("lotSize", lotSize);
            return this;
        }

        public Builder tickSize(final BigDecimal tickSize)
        {
            this.tickSize = tickSize;
            return this;
        }

        public Builder lotSize(final BigDecimal lotSize)
        {
            this.lotSize = lotSize;
            return this;
        }

        public Builder minSizeLots(final long minSizeLots)
        {
            this.minSizeLots = minSizeLots;
            return this;
        }

        /**
         * @param maxOrderSizeLots the largest order (default: the maximum position)
         */
        public Builder maxOrderSizeLots(final long maxOrderSizeLots)
        {
            this.maxOrderSizeLots = maxOrderSizeLots;
            return this;
        }

        public Builder marketOrderBandPpm(final int marketOrderBandPpm)
        {
            this.marketOrderBandPpm = marketOrderBandPpm;
            return this;
        }

        /**
         * @param maxPositionLots the largest absolute position an account may hold (required)
         */
        public Builder maxPositionLots(final long maxPositionLots)
        {
            this.maxPositionLots = maxPositionLots;
            return this;
        }

        /**
         * @param initialMarginPpm I0 (default 5%)
         * @param maintenanceMarginPpm M (default 3%)
         */
        public Builder margin(final int initialMarginPpm, final int maintenanceMarginPpm)
        {
            this.initialMarginPpm = initialMarginPpm;
            this.maintenanceMarginPpm = maintenanceMarginPpm;
            return this;
        }

        /**
         * Size tiering: beyond {@code baselineLots}, every started step of {@code incrementLots} adds
         * {@code incrementalPpm} to the initial margin fraction (default: none).
         */
        public Builder tiering(final long baselineLots, final long incrementLots, final int incrementalPpm)
        {
            this.baselinePositionLots = baselineLots;
            this.incrementalPositionLots = incrementLots;
            this.incrementalInitialMarginPpm = incrementalPpm;
            return this;
        }

        public MarketSpec build()
        {
            return new MarketSpec(this);
        }
    }
}
