package io.rollbook.gateway.system;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollbook.client.Logon;
import io.rollbook.client.RollbookClient;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.protocol.orderentry.RejectReason;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operator inputs out of range and at their edges, sent through a real operator session: an oracle price of 0,
 * negative, at and above what the market's maximum position allows, for an unknown market; funding rates at and
 * beyond the engine's limit, and before the market has an oracle price; withdrawals above the free collateral (open
 * orders counted) and of an account never funded; deposits of nothing and ones that would overflow. Each refusal is
 * an {@code OperatorAck} with the engine's reason and figure (the unknown market a {@code BusinessReject} before
 * sequencing), changes nothing the trader API shows, and the next command is sequenced right after it.
 */
@Tag("system")
final class OperatorInputsSystemTest
{
    private static final int TRADER = TestService.FIRST_ACCOUNT + 3;
    /** At most 100,000,000 lots of 100 micro-USDC a tick within the engine's notional limit of 1e16 micro-USDC. */
    private static final long HIGHEST_BTC_TICKS = 1_000_000;
    private static final long MAX_FUNDING_PPB = 50_000_000;

    @TempDir
    Path data;

    private final OperatorAcks acks = new OperatorAcks();
    private long lastSequence;

    @Test
    void outOfRangeInputsAreRefusedWithTheirReasonAndChangeNothing() throws InterruptedException
    {
        try (TestService service = new TestService(data).start();
             RollbookClient operator = service.connect(acks))
        {
            // The longest keep-alive the server takes: the session is polled only while the test waits for an ack.
            operator.logon(new Logon(KeyStore.OPERATOR_ACCOUNT, TestService.OPERATOR_KEY.getPrivate())
                .keepAliveMs(60_000));
            final RestClient admin =
                RestClient.operator(service.httpPort(), "test-operator", TestService.OPERATOR_KEY.getPrivate());
            final RestClient trader = RestClient.account(service.httpPort(), TRADER,
                TestService.ACCOUNT_KEYS[TRADER - TestService.FIRST_ACCOUNT].getPrivate());

            // Funding before the market has a price has nothing to value positions at.
            refused(operator, o -> o.operatorFundingTick(TestService.BTC, 1), RejectReason.NO_ORACLE_PRICE, 0);
            accepted(operator, o -> o.operatorOraclePrice(TestService.BTC, 500_000), 0);

            refused(operator, o -> o.operatorOraclePrice(TestService.BTC, 0), RejectReason.PRICE_NOT_POSITIVE, 0);
            refused(operator, o -> o.operatorOraclePrice(TestService.BTC, -1), RejectReason.PRICE_NOT_POSITIVE, -1);
            refused(operator, o -> o.operatorOraclePrice(TestService.BTC, HIGHEST_BTC_TICKS + 1),
                RejectReason.PRICE_ABOVE_MAXIMUM, HIGHEST_BTC_TICKS);
            refused(operator, o -> o.operatorOraclePrice(TestService.BTC, Long.MAX_VALUE),
                RejectReason.PRICE_ABOVE_MAXIMUM, HIGHEST_BTC_TICKS);
            assertEquals("50000", btc(admin).get("oraclePrice").asText(), "the refusals left the price alone");
            businessRejected(operator, o -> o.operatorOraclePrice(99, 1));
            businessRejected(operator, o -> o.operatorFundingTick(99, 1));

            refused(operator, o -> o.operatorFundingTick(TestService.BTC, MAX_FUNDING_PPB + 1),
                RejectReason.FUNDING_RATE_OUT_OF_RANGE, MAX_FUNDING_PPB);
            refused(operator, o -> o.operatorFundingTick(TestService.BTC, -MAX_FUNDING_PPB - 1),
                RejectReason.FUNDING_RATE_OUT_OF_RANGE, MAX_FUNDING_PPB);
            refused(operator, o -> o.operatorFundingTick(TestService.BTC, Long.MIN_VALUE),
                RejectReason.FUNDING_RATE_OUT_OF_RANGE, MAX_FUNDING_PPB);
            assertEquals("0", btc(admin).get("fundingIndex").asText(), "the refusals applied no funding");
            accepted(operator, o -> o.operatorFundingTick(TestService.BTC, MAX_FUNDING_PPB), 0);
            accepted(operator, o -> o.operatorFundingTick(TestService.BTC, -MAX_FUNDING_PPB), 0);
            assertEquals("0", btc(admin).get("fundingIndex").asText(), "+5% and -5% of the same price");
            accepted(operator, o -> o.operatorOraclePrice(TestService.BTC, HIGHEST_BTC_TICKS), 0);
            accepted(operator, o -> o.operatorOraclePrice(TestService.BTC, 500_000), 0);

            refused(operator, o -> o.operatorDeposit(TRADER, 0), RejectReason.AMOUNT_NOT_POSITIVE, 0);
            refused(operator, o -> o.operatorDeposit(TRADER, -5), RejectReason.AMOUNT_NOT_POSITIVE, -5);
            refused(operator, o -> o.operatorDeposit(1_000, 1), RejectReason.ACCOUNT_OUT_OF_RANGE, 63);
            refused(operator, o -> o.operatorWithdraw(TRADER, 1), RejectReason.WITHDRAWAL_EXCEEDS_FREE_COLLATERAL, 0);
            accepted(operator, o -> o.operatorDeposit(TRADER, 1_000_000_000), 1_000_000_000);
            send(operator, o -> o.operatorDeposit(TRADER, Long.MAX_VALUE));
            assertEquals(RejectReason.AMOUNT_TOO_LARGE, acks.reason);
            final long room = acks.detail;
            assertTrue(room > 0, "the detail is the room left: " + room);
            refused(operator, o -> o.operatorDeposit(TRADER, room + 1), RejectReason.AMOUNT_TOO_LARGE, room);
            assertEquals("1000", admin.expect(200, "GET", "/v1/operator/accounts/" + TRADER, "")
                .get("collateral").asText(), "the refused deposits credited nothing");

            // A resting buy of 1 BTC at 50000 holds back 5% of it: 2500 of the 1000 is not there, so the free
            // collateral is what is left, and one micro-USDC more than it is refused.
            lastSequence = trader.expect(200, "POST", "/v1/orders",
                "{\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"50000\",\"size\":\"0.1\",\"clientId\":\"b1\"}")
                .get("seq").asLong();
            final long free = freeMicros(trader.expect(200, "GET", "/v1/account", ""));
            assertEquals(1_000_000_000L - 250_000_000L, free, "1000 less 5% of 5000");
            refused(operator, o -> o.operatorWithdraw(TRADER, free + 1),
                RejectReason.WITHDRAWAL_EXCEEDS_FREE_COLLATERAL, free);
            accepted(operator, o -> o.operatorWithdraw(TRADER, free), 1_000_000_000L - free);
            assertEquals(0, freeMicros(trader.expect(200, "GET", "/v1/account", "")));
            assertEquals(1, trader.expect(200, "GET", "/v1/account", "").get("openOrders").asInt(),
                "the order still rests");
        }
    }

    private static JsonNode btc(final RestClient client)
    {
        return client.expect(200, "GET", "/v1/markets", "").get("markets").get(0);
    }

    private static long freeMicros(final JsonNode account)
    {
        return new BigDecimal(account.get("freeCollateral").asText()).movePointRight(6).longValueExact();
    }

    private void accepted(final RollbookClient operator, final ToLongFunction<RollbookClient> send,
        final long detail)
    {
        send(operator, send);
        assertEquals(RejectReason.NULL_VAL, acks.reason, "accepted");
        assertEquals(detail, acks.detail);
    }

    private void refused(final RollbookClient operator, final ToLongFunction<RollbookClient> send,
        final RejectReason reason, final long detail)
    {
        send(operator, send);
        assertEquals(reason, acks.reason);
        assertEquals(detail, acks.detail, reason.name());
    }

    /**
     * Sends one message, waits for its ack, and checks it was sequenced right after the previous one.
     */
    private void send(final RollbookClient operator, final ToLongFunction<RollbookClient> send)
    {
        final int before = acks.count;
        final long seqNo = send.applyAsLong(operator);
        operator.flush();
        operator.await(() -> acks.count > before, 10_000, "the operator ack");
        assertEquals(seqNo, acks.refSeqNo);
        assertTrue(lastSequence == 0 || acks.sequence == lastSequence + 1,
            "sequenced after " + lastSequence + ": " + acks.sequence);
        lastSequence = acks.sequence;
    }

    private void businessRejected(final RollbookClient operator,
        final ToLongFunction<RollbookClient> send)
    {
        final int before = acks.rejects;
        send.applyAsLong(operator);
        operator.flush();
        operator.await(() -> acks.rejects > before, 10_000, "the business reject");
        assertEquals("UNKNOWN_MARKET", acks.rejectCode, acks.rejectText);
    }
}
