package io.rollbook.gateway.system;

import java.math.BigDecimal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntBiFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollbook.client.ClientListener;
import io.rollbook.client.LocalOrderBook;
import io.rollbook.client.Logon;
import io.rollbook.client.RollbookClient;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.journal.JournalFiles;
import io.rollbook.matcher.Matcher;
import io.rollbook.protocol.AccountSetup;
import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.FeeTierSpec;
import io.rollbook.protocol.Genesis;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.orderentry.ExecutionTradeDecoder;
import io.rollbook.protocol.orderentry.MarketDataTradeDecoder;
import io.rollbook.sequencer.metrics.MetricsRegistry;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The risk paths end to end, as an operator and traders meet them on a real service: an operator session moves the
 * oracle and applies funding ticks; a cross account long BTC and short ETH, and an account with an isolated BTC long
 * next to a cross ETH short, in two fee tiers, with open orders. At every step the trader API's account figures
 * (equity, requirements, free collateral, per position funding and requirements) must equal what the matcher itself
 * counts ({@link ShadowMatcher}: a second matcher fed with the released commands), and the liquidation price it
 * shows must be where the matcher liquidates: at it the account stands, one tick beyond it falls. The liquidated
 * traders' reports, the counterparty's and the market data are checked, and a restart (snapshot and journal replay)
 * must give the same figures and go on with the same funding payments.
 */
@Tag("system")
final class RiskSystemTest
{
    private static final int MAKER = TestService.FIRST_ACCOUNT;
    private static final int CROSS = TestService.FIRST_ACCOUNT + 1;
    private static final int ISO = TestService.FIRST_ACCOUNT + 2;
    private static final int INSURANCE_FUND = 2;
    private static final String BTC_USD = "BTC-USD";
    private static final String ETH_USD = "ETH-USD";
    /** Tier 0: makers 0.02%, takers 0.05%; tier 1 (the cross account's): a 0.01% rebate, takers 0.03%. */
    private static final Genesis GENESIS = new Genesis(
        List.of(new FeeTierSpec(0, 200, 500), new FeeTierSpec(1, -100, 300)), TestService.MARKETS,
        List.of(new AccountSetup(CROSS, 1, SelfTradePrevention.EXPIRE_TAKER)));
    private static final long KEEP_ALIVE_MS = 60_000;

    @TempDir
    Path data;

    private final OperatorAcks acks = new OperatorAcks();
    private TestService service;
    private ShadowMatcher shadow;
    private MetricsRegistry metrics;

    @Test
    void accountFiguresAndLiquidationsAgreeWithTheMatcherThroughFundingLiquidationAndRestart() throws Exception
    {
        shadow = new ShadowMatcher(matcherContext(), MAKER, CROSS, ISO, INSURANCE_FUND);
        start();
        final Recorder crossReports = new Recorder();
        final Recorder isoReports = new Recorder();
        final Recorder makerReports = new Recorder();
        final List<String> marketTrades = new ArrayList<>();
        try (RollbookClient operator = operator();
             RollbookClient crossSession = session(CROSS, crossReports);
             RollbookClient isoSession = session(ISO, isoReports);
             RollbookClient makerSession = session(MAKER, new ClientListener()
             {
                 @Override
                 public void onExecutionTrade(final ExecutionTradeDecoder report)
                 {
                     makerReports.onExecutionTrade(report);
                 }

                 @Override
                 public void onMarketTrade(final LocalOrderBook book, final MarketDataTradeDecoder trade)
                 {
                     marketTrades.add(trade.market() + " " + trade.sizeLots() + "@" + trade.priceTicks() + " " +
                         trade.aggressorSide());
                 }
             }))
        {
            makerSession.subscribe(TestService.BTC);
            makerSession.flush();
            ack(operator, o -> o.operatorOraclePrice(TestService.BTC, 500_000));
            ack(operator, o -> o.operatorOraclePrice(TestService.ETH, 300_000));
            ack(operator, o -> o.operatorDeposit(MAKER, 10_000_000_000_000L));
            ack(operator, o -> o.operatorDeposit(CROSS, 6_000_000_000L));
            ack(operator, o -> o.operatorDeposit(ISO, 4_000_000_000L));
            // The operator funds the insurance fund, so that it can take over what the book does not.
            ack(operator, o -> o.operatorDeposit(INSURANCE_FUND, 100_000_000_000L));

            final RestClient maker = rest(MAKER);
            final RestClient cross = rest(CROSS);
            final RestClient iso = rest(ISO);
            // The cross account: long 1 BTC and short 10 ETH, taken from the maker at the oracle prices.
            maker.expect(200, "POST", "/v1/orders", order(BTC_USD, "sell", "50000", "1", "m1", "cross"));
            cross.expect(200, "POST", "/v1/orders", order(BTC_USD, "buy", "50000", "1", "c1", "cross"));
            maker.expect(200, "POST", "/v1/orders", order(ETH_USD, "buy", "3000", "10", "m2", "cross"));
            cross.expect(200, "POST", "/v1/orders", order(ETH_USD, "sell", "3000", "10", "c2", "cross"));
            cross.expect(200, "POST", "/v1/orders", order(BTC_USD, "buy", "45000", "0.1", "c3", "cross"));
            // The isolated account: long 0.5 BTC in isolated margin, short 5 ETH in cross.
            maker.expect(200, "POST", "/v1/orders", order(BTC_USD, "sell", "50000", "0.5", "m3", "cross"));
            iso.expect(200, "POST", "/v1/orders", order(BTC_USD, "buy", "50000", "0.5", "i1", "isolated"));
            maker.expect(200, "POST", "/v1/orders", order(ETH_USD, "buy", "3000", "5", "m4", "cross"));
            iso.expect(200, "POST", "/v1/orders", order(ETH_USD, "sell", "3000", "5", "i2", "cross"));
            iso.expect(200, "POST", "/v1/orders", order(ETH_USD, "sell", "3100", "1", "i3", "cross"));
            compareAll("positions opened");

            // Fee tiers change under open orders: the worst case of the orders' fees follows at once.
            engineCommand(new FeeTierSpec(1, 400, 800)::encode);
            awaitSameFigures("tier 1 redefined");
            engineCommand(new AccountSetup(ISO, 1, SelfTradePrevention.EXPIRE_TAKER)::encode);
            awaitSameFigures("the isolated account moved to tier 1");

            for (int tick = 0; tick < 5; tick++)
            {
                ack(operator, o -> o.operatorFundingTick(TestService.BTC, 123_457));
                ack(operator, o -> o.operatorFundingTick(TestService.ETH, -77_777));
                compareAll("funding tick " + tick);
            }
            ack(operator, o -> o.operatorOraclePrice(TestService.BTC, 495_000));
            compareAll("BTC at 49500");

            final WsClient isoWs = new WsClient(service.httpPort());
            isoWs.auth(ISO, TestService.ACCOUNT_KEYS[ISO - TestService.FIRST_ACCOUNT].getPrivate());
            isoWs.send("{\"op\":\"subscribe\",\"channel\":\"positions\"}");
            isoWs.send("{\"op\":\"subscribe\",\"channel\":\"fills\"}");
            isoWs.send("{\"op\":\"subscribe\",\"channel\":\"trades\",\"market\":\"BTC-USD\"}");
            isoWs.await(m -> "positions".equals(m.path("channel").asText()), "the positions snapshot");
            isoWs.await(m -> "subscribed".equals(m.path("op").asText()) &&
                "trades".equals(m.path("channel").asText()), "the trades subscription");

            // The bucket stands at its liquidation price and falls one tick below it.
            final JsonNode isoAccount = account(iso);
            final long isoLiquidationTicks = liquidationTicks(isoAccount, BTC_USD, TestService.BTC);
            maker.expect(200, "POST", "/v1/orders", order(BTC_USD, "buy", "48000", "0.2", "m5", "cross"));
            ack(operator, o -> o.operatorOraclePrice(TestService.BTC, isoLiquidationTicks));
            compareAll("BTC at the bucket's liquidation price");
            assertEquals(500, sizeLots(ISO, TestService.BTC),
                "the bucket stands at its liquidation price " + isoAccount);
            ack(operator, o -> o.operatorOraclePrice(TestService.BTC, isoLiquidationTicks - 1));
            assertEquals(0, sizeLots(ISO, TestService.BTC), "the bucket is liquidated one tick below");
            compareAll("bucket liquidated");
            final JsonNode isoAfter = account(iso);
            assertEquals(1, isoAfter.get("positions").size(), "only the cross ETH short is left: " + isoAfter);
            assertEquals(ETH_USD, isoAfter.get("positions").get(0).get("market").asText());

            // The liquidated trader sees its liquidation order, a fill of it and the remainder's cancel.
            isoSession.await(() -> isoReports.count("canceled", "LIQUIDATION") >= 1, 10_000, "the liquidation");
            // Its client order id is the null value, which no client order id can be: a venue order.
            final String liquidationNew =
                lineWith(isoReports, "new " + ClientOrderIds.toString(ClientOrderIds.NULL_VALUE) + " ", "SELL 500@");
            assertNotNull(liquidationNew, isoReports.lines.toString());
            assertTrue(liquidationNew.endsWith(" IOC"), liquidationNew);
            assertTrue(isoReports.count("trade", "SELL 200@480000") == 1, isoReports.lines.toString());
            makerSession.await(() -> makerReports.count("trade m5 BUY 200@480000") == 1, 10_000,
                "the maker's ordinary fill");
            makerSession.await(() -> marketTrades.contains(TestService.BTC + " 200@480000 SELL"), 10_000,
                "the liquidation trade in market data");

            // Over WebSocket: the liquidation and the transfer of what the book did not take to the insurance fund
            // on the positions channel, the fill like any other on fills, and an ordinary trade on the market's.
            final JsonNode startedMessage = isoWs.await(
                m -> "liquidation".equals(m.path("event").path("type").asText()), "the liquidation");
            assertEquals("positions", startedMessage.get("channel").asText(), startedMessage.toString());
            final JsonNode started = startedMessage.get("event");
            assertEquals(ISO, started.get("account").asInt(), started.toString());
            assertEquals(BTC_USD, started.get("market").asText(), started.toString());
            // The trader's own side of the transfer: who took it over is not its business, only that the fund did.
            final JsonNode transferred = isoWs.await(
                m -> "transfer".equals(m.path("event").path("type").asText()),
                "the transfer to the insurance fund").get("event");
            assertEquals(ISO, transferred.get("account").asInt(), transferred.toString());
            assertTrue(transferred.get("liquidated").asBoolean(), transferred.toString());
            assertEquals("sell", transferred.get("side").asText(), transferred.toString());
            assertFalse(transferred.has("to") || transferred.has("from"), transferred.toString());
            assertFalse(transferred.get("autoDeleveraged").asBoolean(), transferred.toString());
            assertEquals("0.3", transferred.get("size").asText(), transferred.toString());
            final JsonNode fill = isoWs.await(m -> "fills".equals(m.path("channel").asText()) &&
                "48000".equals(m.path("event").path("price").asText()), "the liquidation fill").get("event");
            assertEquals("0.2", fill.get("size").asText(), fill.toString());
            final JsonNode trade = isoWs.await(m -> "trades".equals(m.path("channel").asText()) &&
                "48000".equals(m.path("price").asText()), "the liquidation trade on the trades channel");
            assertEquals("sell", trade.get("side").asText(), trade.toString());
            isoWs.close();

            // Operators see the fund's balance and what the liquidation did, in the metrics and over REST.
            awaitRiskMetrics(1, 1, "after the bucket's liquidation");


            for (int tick = 0; tick < 3; tick++)
            {
                ack(operator, o -> o.operatorFundingTick(TestService.BTC, 200_003));
                compareAll("funding after the bucket's liquidation " + tick);
            }

            // The cross account, with two positions: its liquidation price counts the other one's requirement.
            final long crossLiquidationTicks = liquidationTicks(account(cross), BTC_USD, TestService.BTC);
            ack(operator, o -> o.operatorOraclePrice(TestService.BTC, crossLiquidationTicks));
            compareAll("BTC at the cross account's liquidation price");
            assertEquals(1000, sizeLots(CROSS, TestService.BTC),
                "the cross account stands at its liquidation price " + crossLiquidationTicks);

            final Map<Integer, String> before = answers();
            service.close();
            start();
            assertEquals(before, answers(), "the same answers after a restart");
            compareAll("after the restart");
            awaitRiskMetrics(1, 1, "after the restart");
        }
        try (RollbookClient operator = operator())
        {
            for (int tick = 0; tick < 3; tick++)
            {
                ack(operator, o -> o.operatorFundingTick(TestService.BTC, -150_001));
                ack(operator, o -> o.operatorFundingTick(TestService.ETH, 99_999));
                compareAll("funding after the restart " + tick);
            }
            final long crossLiquidationTicks = liquidationTicks(account(rest(CROSS)), BTC_USD, TestService.BTC);
            ack(operator, o -> o.operatorOraclePrice(TestService.BTC, crossLiquidationTicks - 1));
            compareAll("cross account liquidated");
            // The book took none of it (the maker's bid went to the bucket): the fund took both positions over.
            awaitRiskMetrics(2, 3, "after the cross account's liquidation");
            assertTrue(shadow.figures(CROSS).positions().values().stream().allMatch(p -> p.sizeLots() == 0),
                "the cross account is liquidated: " + shadow.figures(CROSS));
            ack(operator, o -> o.operatorFundingTick(TestService.BTC, 333_333));
            compareAll("funding of the fund's positions");
        }
        // Without its snapshots the service replays the whole journal: the same state, the same answers.
        final Map<Integer, String> before = answers();
        service.close();
        deleteSnapshots();
        start();
        assertEquals(before, answers(), "the same answers after a replay from genesis");
        compareAll("after the replay from genesis");
        awaitRiskMetrics(2, 3, "after the replay from genesis");
        try (RollbookClient operator = operator())
        {
            ack(operator, o -> o.operatorFundingTick(TestService.BTC, -333_331));
            ack(operator, o -> o.operatorOraclePrice(TestService.ETH, 310_000));
            compareAll("after the replay, funding and a price");
        }
    }

    @AfterEach
    void stop()
    {
        if (service != null)
        {
            service.close();
        }
    }

    private void deleteSnapshots() throws IOException
    {
        final Path snapshots = data.resolve(JournalFiles.SNAPSHOT_DIRECTORY);
        assertTrue(Files.isDirectory(snapshots), "the service wrote a snapshot at its close");
        try (Stream<Path> files = Files.walk(snapshots))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(file);
            }
        }
    }

    private void start() throws InterruptedException
    {
        service = new TestService(data).sequencer(sequencer -> sequencer.genesis(GENESIS).releaseListener(shadow))
            .start();
        metrics = new MetricsRegistry();
        service.service().registerMetrics(metrics);
    }

    /**
     * The liquidation counts, and the insurance fund's collateral and equity as the matcher has them, in the metrics
     * and in the operator's view of the fund's account.
     */
    private void awaitRiskMetrics(final int liquidations, final int takeovers, final String step)
    {
        final ShadowMatcher.Figures fund = shadow.figures(INSURANCE_FUND);
        final String[] expected = {
            "rollbook_liquidations_total{scope=\"cross\"} " + (liquidations - 1),
            "rollbook_liquidations_total{scope=\"isolated\"} 1",
            "rollbook_liquidation_transfers_total{to=\"insurance_fund\"} " + takeovers,
            "rollbook_liquidation_transfers_total{to=\"auto_deleverage\"} 0",
            "rollbook_insurance_fund_covered_micros_total 0",
            "rollbook_insurance_fund_collateral_micros " + fund.collateral(),
            "rollbook_insurance_fund_equity_micros " + fund.equity()};
        MetricsLines.await(metrics, step, expected);
        final JsonNode account = operatorAccount(INSURANCE_FUND);
        assertMoney(fund.collateral(), account, "collateral", step + " " + account);
        assertMoney(fund.equity(), account, "equity", step + " " + account);
        assertTrue(account.get("positions").size() > 0, "the fund holds what it took over: " + account);
    }

    /**
     * Publishes an engine command as the service itself would (fee tiers and account setups have no operator message)
     * and waits until the shadow matcher has it released.
     */
    private void engineCommand(final ToIntBiFunction<MutableDirectBuffer, Integer> encode)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = encode.applyAsInt(buffer, 0);
        final long before = shadow.lastSequence();
        assertTrue(service.service().sequencer().publisher().tryPublish(0, buffer, 0, length), "published");
        await(() -> shadow.lastSequence() > before, "the command released");
    }

    /**
     * The trader API shows a command's effects once the release thread applied them to its views, just after the
     * shadow matcher: polls until the figures agree.
     */
    private void awaitSameFigures(final String step)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            try
            {
                compareAll(step);
                return;
            }
            catch (final AssertionError ex)
            {
                if (System.nanoTime() > deadline)
                {
                    throw ex;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }
    }

    /**
     * @return the account's position size in the market as the matcher holds it, 0 when it holds none
     */
    private long sizeLots(final int account, final int market)
    {
        final ShadowMatcher.PositionFigures position = shadow.figures(account).positions().get(market);
        return position == null ? 0 : position.sizeLots();
    }

    private static Matcher.Context matcherContext()
    {
        return new Matcher.Context().marketCapacity(8).accountCapacity(64).feeAccount(1).insuranceFundAccount(2)
            .orderCapacity(1 << 16).maxOpenOrdersPerAccount(1000);
    }

    private RestClient rest(final int account)
    {
        return RestClient.account(service.httpPort(), account,
            TestService.ACCOUNT_KEYS[account - TestService.FIRST_ACCOUNT].getPrivate());
    }

    private RollbookClient operator()
    {
        final RollbookClient operator = service.connect(acks);
        operator.logon(new Logon(KeyStore.OPERATOR_ACCOUNT, TestService.OPERATOR_KEY.getPrivate())
            .keepAliveMs(KEEP_ALIVE_MS));
        return operator;
    }

    /**
     * A session that need not be polled while the test talks REST: its keep-alive is the server's longest.
     */
    private RollbookClient session(final int account, final ClientListener listener)
    {
        final RollbookClient client = service.connect(listener);
        client.logon(service.logon(account).keepAliveMs(KEEP_ALIVE_MS));
        return client;
    }

    /**
     * Sends one operator message and waits for its ack, which must accept it.
     */
    private void ack(final RollbookClient operator, final ToLongFunction<RollbookClient> send)
    {
        acks.expectAccepted(operator, send);
    }

    private JsonNode account(final RestClient client)
    {
        return client.expect(200, "GET", "/v1/account", "");
    }

    private JsonNode operatorAccount(final int id)
    {
        return RestClient.operator(service.httpPort(), "test-operator", TestService.OPERATOR_KEY.getPrivate())
            .expect(200, "GET", "/v1/operator/accounts/" + id, "");
    }

    private Map<Integer, String> answers()
    {
        final Map<Integer, String> out = new TreeMap<>();
        for (final int id : new int[] {MAKER, CROSS, ISO})
        {
            final JsonNode account = account(rest(id));
            out.put(id, account.toString());
        }
        return out;
    }

    /**
     * Every watched trader's figures in the trader API equal the matcher's at this moment (the last command was
     * answered, so both the views and the shadow matcher have it).
     */
    private void compareAll(final String step)
    {
        for (final int id : new int[] {MAKER, CROSS, ISO, INSURANCE_FUND})
        {
            compare(id, step);
        }
    }

    private void compare(final int id, final String step)
    {
        assertNull(shadow.mismatch(), step);
        final ShadowMatcher.Figures expected = shadow.figures(id);
        final JsonNode account = id == INSURANCE_FUND ? operatorAccount(id) : account(rest(id));
        final String what = step + ": account " + id + " " + account + " matcher " + expected;
        assertMoney(expected.collateral(), account, "collateral", what);
        assertMoney(expected.equity(), account, "equity", what);
        assertMoney(expected.initial(), account, "initialMargin", what);
        assertMoney(expected.maintenance(), account, "maintenanceMargin", what);
        assertMoney(expected.worstCaseInitial() - expected.initial(), account, "openOrdersInitialMargin", what);
        assertEquals(0, expected.free().compareTo(new BigDecimal(account.get("freeCollateral").asText())), what);
        int shown = 0;
        for (final JsonNode position : account.get("positions"))
        {
            final int market = BTC_USD.equals(position.get("market").asText()) ? TestService.BTC : TestService.ETH;
            final ShadowMatcher.PositionFigures p = expected.positions().get(market);
            assertNotNull(p, what);
            shown++;
            assertEquals(p.isolated() ? "isolated" : "cross", position.get("margin").asText(), what);
            assertMoney(p.isolatedMargin(), position, "isolatedMargin", what);
            assertMoney(p.owedFunding(), position, "unsettledFunding", what);
            assertMoney(p.initial(), position, "initialMargin", what);
            assertMoney(p.maintenance(), position, "maintenanceMargin", what);
            assertMoney(p.worstCaseInitial() - p.initial(), position, "openOrdersInitialMargin", what);
        }
        final long held = expected.positions().values().stream()
            .filter(p -> p.sizeLots() != 0 || p.isolatedMargin() != 0).count();
        assertEquals(held, shown, what);
    }

    private static void assertMoney(final long micros, final JsonNode node, final String field, final String what)
    {
        assertEquals(0, ShadowMatcher.usdc(micros).compareTo(new BigDecimal(node.get(field).asText())),
            field + " at " + what);
    }

    private static long liquidationTicks(final JsonNode account, final String symbol, final int market)
    {
        for (final JsonNode position : account.get("positions"))
        {
            if (symbol.equals(position.get("market").asText()))
            {
                assertFalse(position.get("liquidationPrice").isNull(), account.toString());
                final BigDecimal tick = market == TestService.BTC ? new BigDecimal("0.1") : new BigDecimal("0.01");
                return new BigDecimal(position.get("liquidationPrice").asText()).divide(tick).longValueExact();
            }
        }
        throw new AssertionError("no " + symbol + " position in " + account);
    }

    private static String lineWith(final Recorder recorder, final String prefix, final String containing)
    {
        for (final String line : recorder.lines)
        {
            if (line.startsWith(prefix) && line.contains(containing))
            {
                return line;
            }
        }
        return null;
    }

    private static String order(final String market, final String side, final String price, final String size,
        final String clientId, final String margin)
    {
        return "{\"market\":\"" + market + "\",\"side\":\"" + side + "\",\"price\":\"" + price + "\",\"size\":\"" +
            size + "\",\"clientId\":\"" + clientId + "\",\"margin\":\"" + margin + "\"}";
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "no " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
