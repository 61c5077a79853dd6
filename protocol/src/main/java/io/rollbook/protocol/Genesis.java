package io.rollbook.protocol;

import java.util.List;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The commands a fresh journal starts with, built from the configuration: fee tiers, then markets, then account
 * defaults. They are sequenced like any other command (sequence 1 onwards), so the journal alone says which
 * markets and fees existed, and a replay needs nothing but the journal.
 */
public final class Genesis
{
    private final List<FeeTierSpec> feeTiers;
    private final List<MarketSpec> markets;
    private final List<AccountSetup> accounts;

    public Genesis(final List<FeeTierSpec> feeTiers, final List<MarketSpec> markets, final List<AccountSetup> accounts)
    {
        this.feeTiers = List.copyOf(feeTiers);
        this.markets = List.copyOf(markets);
        this.accounts = List.copyOf(accounts);
    }

    /**
     * @return a genesis of markets alone, with tier 0 (no fees) for everyone
     */
    public static Genesis ofMarkets(final List<MarketSpec> markets)
    {
        return new Genesis(List.of(), markets, List.of());
    }

    public List<FeeTierSpec> feeTiers()
    {
        return feeTiers;
    }

    public List<MarketSpec> markets()
    {
        return markets;
    }

    public List<AccountSetup> accounts()
    {
        return accounts;
    }

    /**
     * @return how many commands {@link #forEachCommand} yields
     */
    public int commandCount()
    {
        return feeTiers.size() + markets.size() + accounts.size();
    }

    /**
     * Encodes each genesis command in order and hands it to {@code consumer}; the buffer is reused between calls.
     */
    public void forEachCommand(final CommandConsumer consumer)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        for (final FeeTierSpec tier : feeTiers)
        {
            consumer.accept(buffer, 0, tier.encode(buffer, 0));
        }
        for (final MarketSpec market : markets)
        {
            consumer.accept(buffer, 0, market.encode(buffer, 0));
        }
        for (final AccountSetup account : accounts)
        {
            consumer.accept(buffer, 0, account.encode(buffer, 0));
        }
    }

    /**
     * Receives one encoded command.
     */
    @FunctionalInterface
    public interface CommandConsumer
    {
        void accept(MutableDirectBuffer buffer, int offset, int length);
    }
}
