package io.rollbook.sequencer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.market.Market;

/**
 * Compares two matchers through what they expose: sequence and id counters, resting orders, every account's
 * collateral and every market's oracle price and best prices.
 */
final class MatcherStates
{
    private MatcherStates()
    {
    }

    static void assertSameState(
        final Matcher expected, final Matcher actual, final int accounts, final int markets, final String message)
    {
        assertEquals(expected.lastSequence(), actual.lastSequence(), message + ": last sequence");
        assertEquals(expected.lastTimestampNs(), actual.lastTimestampNs(), message + ": last timestamp");
        assertEquals(expected.lastOrderId(), actual.lastOrderId(), message + ": last order id");
        assertEquals(expected.lastTradeId(), actual.lastTradeId(), message + ": last trade id");
        assertEquals(expected.liveOrderCount(), actual.liveOrderCount(), message + ": live orders");
        for (int id = 1; id <= accounts; id++)
        {
            final Account a = expected.account(id);
            final Account b = actual.account(id);
            assertEquals(a == null ? 0 : a.collateralMicros(), b == null ? 0 : b.collateralMicros(),
                message + ": collateral of account " + id);
        }
        for (int id = 1; id <= markets; id++)
        {
            final Market a = expected.market(id);
            final Market b = actual.market(id);
            assertEquals(a.oraclePriceTicks(), b.oraclePriceTicks(), message + ": oracle of market " + id);
        }
    }
}
