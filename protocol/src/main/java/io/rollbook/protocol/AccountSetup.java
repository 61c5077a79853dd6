package io.rollbook.protocol;

import io.rollbook.protocol.engine.ConfigureAccountEncoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.SelfTradePrevention;
import org.agrona.MutableDirectBuffer;

/**
 * An account's defaults as configured at genesis: its fee tier and its self-trade prevention default.
 */
public record AccountSetup(int account, int feeTier, SelfTradePrevention selfTradePrevention)
{
    public AccountSetup
    {
        if (account <= 0)
        {
            throw new IllegalArgumentException("account id must be positive, got " + account);
        }
        if (selfTradePrevention == SelfTradePrevention.ACCOUNT_DEFAULT)
        {
            throw new IllegalArgumentException("account " + account + ": a default mode cannot be ACCOUNT_DEFAULT");
        }
    }

    /**
     * @return the encoded length of the {@code ConfigureAccount} command, header included
     */
    public int encode(final MutableDirectBuffer buffer, final int offset)
    {
        final ConfigureAccountEncoder encoder = new ConfigureAccountEncoder()
            .wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
            .account(account)
            .feeTier(feeTier)
            .selfTradePrevention(selfTradePrevention);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
