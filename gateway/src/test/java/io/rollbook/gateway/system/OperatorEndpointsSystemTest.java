package io.rollbook.gateway.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's withdrawals (a bridge executing what it saw on chain), fee tiers and account settings (a tier
 * given to a market maker) over REST, as journaled commands: accepted ones change the state, rejected ones change
 * nothing, and an account's signature does neither.
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

    @BeforeAll
    static void start() throws InterruptedException
    {
        service = new TestService(data).start();
        operator = RestClient.operator(service.httpPort(), "test-operator", TestService.OPERATOR_KEY.getPrivate());
        trader = RestClient.account(service.httpPort(), TRADER, TestService.ACCOUNT_KEYS[3].getPrivate());
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
     * released {@code accountConfigured} events: the trader sees the tier its fees are charged at.
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

        final JsonNode defined = operator.expect(200, "POST", "/v1/operator/fee-tiers",
            "{\"tier\":200,\"makerFee\":\"-0.0001\",\"takerFee\":\"0.0003\"}");
        assertEquals("feeTierDefined", defined.at("/events/0/type").asText(), defined.toString());
        final JsonNode moved = operator.expect(200, "POST", "/v1/operator/account-settings",
            "{\"account\":" + TRADER + ",\"feeTier\":200}");
        assertEquals(200, moved.at("/events/0/feeTier").asInt(), moved.toString());
        assertEquals("{\"account\":" + TRADER + ",\"feeTier\":200,\"stp\":\"expireBoth\"}",
            trader.expect(200, "GET", "/v1/account", "").get("settings").toString(), "the mode left out stays");
        final JsonNode rebateAboveTheFee = operator.expect(422, "POST", "/v1/operator/fee-tiers",
            "{\"tier\":201,\"makerFee\":\"-0.001\",\"takerFee\":\"0.0003\"}");
        assertEquals("INVALID_FEE_TIER", rebateAboveTheFee.get("code").asText(), rebateAboveTheFee.toString());
        operator.expect(400, "POST", "/v1/operator/account-settings", "{\"account\":" + TRADER + ",\"tier\":1}");
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

    private static BigDecimal collateral()
    {
        return new BigDecimal(trader.expect(200, "GET", "/v1/account", "").get("collateral").asText());
    }
}
