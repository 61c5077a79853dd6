package io.rollbook.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import io.rollbook.app.config.RollbookConfig;
import org.junit.jupiter.api.Test;

/**
 * The demo's prices start where the embedded markets trade, move, and stay near their start however long the demo
 * runs; its order sizes are worth what they should, in whole lots within the market's limits.
 */
class OracleWalkTest
{
    @Test
    void startsAtRealisticPricesAndStaysNearThemForADay()
    {
        final OracleWalk walk = new OracleWalk(RollbookConfig.defaults().markets());
        assertEquals(3, walk.marketCount());
        assertEquals(500_000, walk.priceTicks(0), "BTC-USD 50,000.0 in ticks of 0.1");
        assertEquals(300_000, walk.priceTicks(1), "ETH-USD 3,000.00 in ticks of 0.01");
        assertEquals(150_000, walk.priceTicks(2), "SOL-USD 150.000 in ticks of 0.001");
        assertEquals(100, walk.stepTicks(0), "two basis points of the start");
        assertEquals(400, walk.lotsWorth(0, 2_000), "2,000 USDC of BTC-USD: 0.04 in lots of 0.0001");
        assertEquals(667, walk.lotsWorth(1, 2_000), "2,000 USDC of ETH-USD, rounded to lots of 0.001");

        final SplittableRandom random = new SplittableRandom(7);
        long moves = 0;
        long previous = walk.priceTicks(0);
        for (int second = 0; second < 86_400; second++)
        {
            walk.step(random);
            for (int market = 0; market < walk.marketCount(); market++)
            {
                final long start = market == 0 ? 500_000 : market == 1 ? 300_000 : 150_000;
                final long price = walk.priceTicks(market);
                assertTrue(price > start * 8 / 10 && price < start * 12 / 10,
                    "market " + market + " at second " + second + ": " + price);
            }
            moves += walk.priceTicks(0) != previous ? 1 : 0;
            previous = walk.priceTicks(0);
        }
        assertTrue(moves > 80_000, "the price moves nearly every second: " + moves);
    }
}
