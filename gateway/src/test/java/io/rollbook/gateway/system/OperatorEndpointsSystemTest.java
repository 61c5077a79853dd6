package io.rollbook.gateway.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollbook.protocol.FeeTierSpec;
import io.rollbook.protocol.Genesis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's withdrawals (a bridge executing what it saw on chain), fee tiers and account settings (a tier
 * given to a market maker) over REST, as journaled commands: accepted ones change the state, rejected ones change
 * nothing, and an account's signature does neither. The tiers' rates, genesis's and the operator's, are public
 * ({@code GET /v1/fee-tiers}).
 */
@Tag("system")
final class OperatorEndpointsSystemTest
{
    private static final int TRADER = TestService.FIRST_ACCOUNT + 3;

    @TempDir
    static Path data;
    private static TestService service;
    private static RestClient operator;
    private static RestClient trader;
    private static RestClient anonymous;

    @BeforeAll
    static void start() throws InterruptedException
    {
        service = new TestService(data).sequencer(sequencer -> sequencer.genesis(new Genesis(
            List.of(new FeeTierSpec(0, 200, 500), new FeeTierSpec(1, -100, 400)), TestService.MARKETS, List.of())))
            .start();
        operator = RestClient.operator(service.httpPort(), "test-operator", TestService.OPERATOR_KEY.getPrivate());
        trader = RestClient.account(service.httpPort(), TRADER, TestService.ACCOUNT_KEYS[3].getPrivate());
        anonymous = RestClient.anonymous(service.httpPort());
        operator.expect(200, "POST", "/v1/operator/deposits", "{\"account\":" + TRADER + ",\"amount\":\"1000\"}");
    }

    @AfterAll
    static void stop()
    {
        service.close();
    }

    @Test
    void anOperatorWithdrawalTakesCollateralAndOneAboveTheFreeCollateralIsRejected()
    {
        final BigDecimal before = collateral();
        final JsonNode done = operator.expect(200, "POST", "/v1/operator/withdrawals",
            "{\"account\":" + TRADER + ",\"amount\":\"400\"}");
        assertEquals("balance", done.at("/events/0/type").asText(), done.toString());
        final BigDecimal after = before.subtract(new BigDecimal("400"));
        assertEquals(0, after.compareTo(collateral()));

        final JsonNode refused = operator.expect(422, "POST", "/v1/operator/withdrawals",
            "{\"account\":" + TRADER + ",\"amount\":\"" + after.add(new BigDecimal("0.000001")).toPlainString() + "\"}");
        assertEquals("WITHDRAWAL_EXCEEDS_FREE_COLLATERAL", refused.get("code").asText(), refused.toString());
        assertEquals(0, after.compareTo(collateral()), "a rejected withdrawal changes nothing");
    }

    /**
     * Each change is also what the account's own {@code GET /v1/account} shows under {@code settings}, from the
     * released {@code accountConfigured} events: the trader sees the tier its fees are charged at; and what anyone's
     * {@code GET /v1/fee-tiers} shows as soon as the operator has its answer, from the released
     * {@code feeTierDefined} events: every tier's rates. Only this test defines tiers, so the genesis tiers are all
     * there are before it does.
     */
    @Test
    void anOperatorDefinesAFeeTierAndSetsAnAccountsTierAndDefaultSelfTradePrevention()
    {
        final JsonNode configured = operator.expect(200, "POST", "/v1/operator/account-settings",
            "{\"account\":" + TRADER + ",\"feeTier\":0,\"stp\":\"expireBoth\"}");
        final JsonNode event = configured.at("/events/0");
        assertEquals("accountConfigured", event.get("type").asText(), configured.toString());
        assertEquals("expireBoth", event.get("stp").asText(), configured.toString());
        assertEquals("{\"account\":" + TRADER + ",\"feeTier\":0,\"stp\":\"expireBoth\"}",
            trader.expect(200, "GET", "/v1/account", "").get("settings").toString());

        final JsonNode unknown = operator.expect(422, "POST", "/v1/operator/account-settings",
            "{\"account\":" + TRADER + ",\"feeTier\":200}");
        assertEquals("UNKNOWN_FEE_TIER", unknown.get("code").asText(), unknown.toString());
        assertEquals("{\"feeTiers\":[{\"tier\":0,\"makerFee\":\"0.0002\",\"takerFee\":\"0.0005\"}," +
            "{\"tier\":1,\"makerFee\":\"-0.0001\",\"takerFee\":\"0.0004\"}]}", feeTiers(), "the genesis tiers");

        final JsonNode defined = operator.expect(200, "POST", "/v1/operator/fee-tiers",
            "{\"tier\":200,\"makerFee\":\"-0.0001\",\"takerFee\":\"0.0003\"}");
        assertEquals("feeTierDefined", defined.at("/events/0/type").asText(), defined.toString());
        assertEquals("{\"feeTiers\":[{\"tier\":0,\"makerFee\":\"0.0002\",\"takerFee\":\"0.0005\"}," +
            "{\"tier\":1,\"makerFee\":\"-0.0001\",\"takerFee\":\"0.0004\"}," +
            "{\"tier\":200,\"makerFee\":\"-0.0001\",\"takerFee\":\"0.0003\"}]}", feeTiers(), "a new tier, in order");
        final JsonNode moved = operator.expect(200, "POST", "/v1/operator/account-settings",
            "{\"account\":" + TRADER + ",\"feeTier\":200}");
        assertEquals(200, moved.at("/events/0/feeTier").asInt(), moved.toString());
        assertEquals("{\"account\":" + TRADER + ",\"feeTier\":200,\"stp\":\"expireBoth\"}",
            trader.expect(200, "GET", "/v1/account", "").get("settings").toString(), "the mode left out stays");
        final JsonNode rebateAboveTheFee = operator.expect(422, "POST", "/v1/operator/fee-tiers",
            "{\"tier\":201,\"makerFee\":\"-0.001\",\"takerFee\":\"0.0003\"}");
        assertEquals("INVALID_FEE_TIER", rebateAboveTheFee.get("code").asText(), rebateAboveTheFee.toString());
        operator.expect(200, "POST", "/v1/operator/fee-tiers",
            "{\"tier\":1,\"makerFee\":\"0\",\"takerFee\":\"0.001\"}");
        assertEquals("{\"feeTiers\":[{\"tier\":0,\"makerFee\":\"0.0002\",\"takerFee\":\"0.0005\"}," +
            "{\"tier\":1,\"makerFee\":\"0\",\"takerFee\":\"0.001\"}," +
            "{\"tier\":200,\"makerFee\":\"-0.0001\",\"takerFee\":\"0.0003\"}]}", feeTiers(),
            "a redefinition replaces the tier's rates; a rejected one changes nothing");
        operator.expect(400, "POST", "/v1/operator/account-settings", "{\"account\":" + TRADER + ",\"tier\":1}");
    }

    @Test
    void theFeeTiersAreReadWithGetOnlyAndTakeNoQueryParameter()
    {
        final HttpResponse<String> posted = anonymous.send("POST", "/v1/fee-tiers", "{}");
        assertEquals(405, posted.statusCode(), posted.body());
        assertTrue(posted.body().contains("\"METHOD_NOT_ALLOWED\""), posted.body());
        assertEquals("GET, HEAD", posted.headers().firstValue("allow").orElse(""));
        assertEquals(200, anonymous.send("HEAD", "/v1/fee-tiers", "").statusCode(), "HEAD is served where GET is");
        final HttpResponse<String> filtered = anonymous.send("GET", "/v1/fee-tiers?tier=1", "");
        assertEquals(400, filtered.statusCode(), filtered.body());
        assertTrue(filtered.body().contains("\"INVALID_PARAMETER\""), filtered.body());
    }

    @Test
    void anAccountCannotUseTheOperatorsEndpoints()
    {
        final BigDecimal before = collateral();
        for (final String path : new String[] {"/v1/operator/withdrawals", "/v1/operator/account-settings",
            "/v1/operator/fee-tiers"})
        {
            final HttpResponse<String> refused = trader.send("POST", path, "{\"account\":" + TRADER +
                ",\"amount\":\"1\",\"feeTier\":0}");
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("NOT_OPERATOR"), refused.body());
        }
        assertEquals(0, before.compareTo(collateral()), "an account's signature withdrew nothing");
    }

    /**
     * Read without a signature: the tiers are public.
     */
    private static String feeTiers()
    {
        return anonymous.expect(200, "GET", "/v1/fee-tiers", "").toString();
    }

    private static BigDecimal collateral()
    {
        return new BigDecimal(trader.expect(200, "GET", "/v1/account", "").get("collateral").asText());
    }
}
