package io.rollbook.gateway.view;

import java.util.ArrayList;
import java.util.List;

import io.rollbook.protocol.engine.AccountConfiguredEncoder;
import io.rollbook.protocol.engine.BalanceCause;
import io.rollbook.protocol.engine.BalanceChangedEncoder;
import io.rollbook.protocol.engine.FeeTierDefinedEncoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.SelfTradePrevention;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fee rate an account's margin figures count, the settings its account channel shows, and the tiers' rates the
 * public fee tier list shows, come from released events only: the tiers' definitions and the account's
 * configuration, in the order they were released.
 */
final class ViewUpdaterFeeTierTest
{
    private static final int ACCOUNT = 7;

    private final GatewayViews views = new GatewayViews(8, 1024, 0);
    private final UnsafeBuffer events = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final AccountSnapshot snapshot = new AccountSnapshot();
    private long sequence;

    @Test
    void anAccountCountsTheWorstRateOfItsTierAsDefinedAndConfigured()
    {
        release(deposit(0));
        assertEquals(0, worstCaseFeePpm(), "tier 0 charges nothing until defined");

        release(defineTier(0, 200, 500, 0));
        assertEquals(500, worstCaseFeePpm(), "the taker rate when it is the higher one");

        int length = defineTier(3, -100, 300, 0);
        length = configure(3, length);
        release(length);
        assertEquals(300, worstCaseFeePpm(), "a rebate is never counted as income");

        release(defineTier(3, 700, 300, 0));
        assertEquals(700, worstCaseFeePpm(), "a redefinition counts at once, and a higher maker rate counts");

        release(defineTier(4, -250, 250, 0));
        release(configure(4, 0));
        assertEquals(250, worstCaseFeePpm());
    }

    @Test
    void anAccountsSettingsAreTheMatchersDefaultsUntilConfiguredThenTheLastConfigured()
    {
        assertEquals(List.of(0, (int)SelfTradePrevention.EXPIRE_TAKER.value()), settings(), "never named");

        release(defineTier(5, 0, 100, 0));
        release(configure(5, SelfTradePrevention.EXPIRE_BOTH, 0));
        assertEquals(List.of(5, (int)SelfTradePrevention.EXPIRE_BOTH.value()), settings());

        release(configure(5, SelfTradePrevention.EXPIRE_MAKER, 0));
        assertEquals(List.of(5, (int)SelfTradePrevention.EXPIRE_MAKER.value()), settings(),
            "the event gives both settings, whichever changed");
    }

    @Test
    void theTierListHasTierZeroFreeUntilDefinedThenEveryDefinitionInTierOrderTheLastOneWinning()
    {
        assertEquals(List.of(List.of(0, 0, 0)), tiers(), "tier 0 exists from the start, as in the matcher");

        int length = defineTier(9, -100, 400, 0);
        length = defineTier(2, 0, 100, length);
        release(length);
        release(defineTier(0, 200, 500, 0));
        assertEquals(List.of(List.of(0, 200, 500), List.of(2, 0, 100), List.of(9, -100, 400)), tiers());

        release(defineTier(9, 300, 300, 0));
        release(defineTier(255, 0, 0, 0));
        assertEquals(List.of(List.of(0, 200, 500), List.of(2, 0, 100), List.of(9, 300, 300), List.of(255, 0, 0)),
            tiers(), "a redefinition replaces both rates; the last tier is listed");
    }

    private List<List<Integer>> tiers()
    {
        final FeeTiersView.Snapshot tiers = new FeeTiersView.Snapshot();
        views.feeTiers().read(tiers);
        final List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < tiers.count(); i++)
        {
            out.add(List.of(tiers.tier(i), tiers.makerFeePpm(i), tiers.takerFeePpm(i)));
        }
        return out;
    }

    private List<Integer> settings()
    {
        views.accounts().read(ACCOUNT, snapshot);
        return List.of(snapshot.feeTier(), snapshot.selfTradePrevention());
    }

    private int worstCaseFeePpm()
    {
        views.accounts().read(ACCOUNT, snapshot);
        return snapshot.worstCaseFeePpm();
    }

    private void release(final int length)
    {
        views.updater().onReleased(++sequence, 0, 0, events, 0, 0, 0, length);
    }

    private int deposit(final int offset)
    {
        return offset + MessageHeaderEncoder.ENCODED_LENGTH + new BalanceChangedEncoder()
            .wrapAndApplyHeader(events, offset, header).account(ACCOUNT).deltaMicros(1_000_000)
            .collateralMicros(1_000_000).cause(BalanceCause.DEPOSIT).encodedLength();
    }

    private int defineTier(final int tier, final int makerPpm, final int takerPpm, final int offset)
    {
        return offset + MessageHeaderEncoder.ENCODED_LENGTH + new FeeTierDefinedEncoder()
            .wrapAndApplyHeader(events, offset, header).tier(tier).makerFeePpm(makerPpm).takerFeePpm(takerPpm)
            .encodedLength();
    }

    private int configure(final int tier, final int offset)
    {
        return configure(tier, SelfTradePrevention.EXPIRE_TAKER, offset);
    }

    private int configure(final int tier, final SelfTradePrevention mode, final int offset)
    {
        return offset + MessageHeaderEncoder.ENCODED_LENGTH + new AccountConfiguredEncoder()
            .wrapAndApplyHeader(events, offset, header).account(ACCOUNT).feeTier(tier)
            .selfTradePrevention(mode).encodedLength();
    }
}
