package io.rollbook.protocol;

import io.rollbook.protocol.engine.DefineFeeTierEncoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * A fee tier as configured: maker and taker rates in parts per million; a negative maker rate is a rebate.
 */
public record FeeTierSpec(int tier, int makerFeePpm, int takerFeePpm)
{
    public static final int MAX_TIER = 255;
    public static final int MAX_RATE_PPM = 100_000;

    public FeeTierSpec
    {
        if (tier < 0 || tier > MAX_TIER)
        {
            throw new IllegalArgumentException("fee tier must be 0 to " + MAX_TIER + ", got " + tier);
        }
        if (takerFeePpm < 0 || takerFeePpm > MAX_RATE_PPM || makerFeePpm > MAX_RATE_PPM || makerFeePpm < -takerFeePpm)
        {
            throw new IllegalArgumentException("fee tier " + tier + ": need 0 <= taker rate <= 10% and " +
                "-(taker rate) <= maker rate <= 10% (a rebate may not exceed the taker fee)");
        }
    }

    /**
     * @return the encoded length of the {@code DefineFeeTier} command, header included
     */
    public int encode(final MutableDirectBuffer buffer, final int offset)
    {
        final DefineFeeTierEncoder encoder = new DefineFeeTierEncoder()
            .wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
            .tier(tier)
            .makerFeePpm(makerFeePpm)
            .takerFeePpm(takerFeePpm);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
