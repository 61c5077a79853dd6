package io.rollbook.matcher.golden;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.rollbook.matcher.Matcher;
import io.rollbook.protocol.FeeTierSpec;
import io.rollbook.protocol.Genesis;
import io.rollbook.protocol.MarketSpec;

/**
 * The configuration every golden file runs on: the fee tiers and the three markets of the application's default
 * configuration (so that {@code ./rollbook simulate --input} on a golden file prints the same lines), with the
 * default fee account (1) and insurance fund (2), and small limits so that the limits themselves can be shown:
 * account ids 1 to 999, at most 5 open orders per account and 12 in all, at most 6 resting orders met by one incoming
 * order.
 */
final class GoldenConfig
{
    static final int ACCOUNT_CAPACITY = 1_000;
    static final int ORDER_CAPACITY = 12;
    static final int MAX_OPEN_ORDERS_PER_ACCOUNT = 5;
    static final int MARKET_CAPACITY = 8;
    static final int MAX_MAKERS_PER_TAKER = 6;

    private GoldenConfig()
    {
    }

    static Matcher.Context context()
    {
        return new Matcher.Context()
            .marketCapacity(MARKET_CAPACITY)
            .accountCapacity(ACCOUNT_CAPACITY)
            .orderCapacity(ORDER_CAPACITY)
            .maxOpenOrdersPerAccount(MAX_OPEN_ORDERS_PER_ACCOUNT)
            .maxMakersPerTaker(MAX_MAKERS_PER_TAKER);
    }

    /**
     * @return the genesis commands of {@code rollbook-default.json}: fee tiers 0 (maker 0.02%, taker 0.05%) and 1
     * (maker rebate 0.01%, taker 0.04%), then the markets
     */
    static Genesis genesis()
    {
        return new Genesis(List.of(new FeeTierSpec(0, 200, 500), new FeeTierSpec(1, -100, 400)), markets(), List.of());
    }

    /**
     * @return BTC-USD (id 1), ETH-USD (id 2) and SOL-USD (id 3), as in {@code rollbook-default.json}
     */
    static List<MarketSpec> markets()
    {
        return List.of(
            MarketSpec.builder().id(1).symbol("BTC-USD").tickSize("0.1").lotSize("0.0001")
                .minSizeLots(10).maxOrderSizeLots(500_000).maxPositionLots(1_700_000).marketOrderBandPpm(50_000)
                .margin(50_000, 30_000).tiering(90_000, 15_000, 10_000).build(),
            MarketSpec.builder().id(2).symbol("ETH-USD").tickSize("0.01").lotSize("0.001")
                .minSizeLots(10).maxOrderSizeLots(1_000_000).maxPositionLots(5_000_000).marketOrderBandPpm(50_000)
                .margin(50_000, 30_000).tiering(140_000, 28_000, 10_000).build(),
            MarketSpec.builder().id(3).symbol("SOL-USD").tickSize("0.001").lotSize("0.01")
                .minSizeLots(10).maxOrderSizeLots(2_000_000).maxPositionLots(10_000_000).marketOrderBandPpm(80_000)
                .margin(100_000, 50_000).tiering(1_000_000, 200_000, 20_000).build());
    }

    /**
     * @return the golden files in the source tree (so that an update rewrites the files under version control)
     */
    static Path directory()
    {
        final Path moduleDirectory = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        final Path directory = moduleDirectory.resolve("src/test/resources/golden");
        if (!Files.isDirectory(directory))
        {
            throw new IllegalStateException("golden files not found at " + directory.toAbsolutePath());
        }

        return directory;
    }
}
