package io.rollbook.sequencer;

import java.util.List;
import java.util.SplittableRandom;

import io.rollbook.matcher.Matcher;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.AmendOrderEncoder;
import io.rollbook.protocol.engine.CancelOrderEncoder;
import io.rollbook.protocol.engine.DepositEncoder;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MassCancelEncoder;
import io.rollbook.protocol.engine.MassCancelTrigger;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OraclePriceEncoder;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.PlaceOrderEncoder;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import io.rollbook.protocol.engine.WithdrawEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * A seeded stream of engine commands that exercises the matcher: deposits and oracle prices first, then limit
 * orders around a mid
 * price (GTC and IOC, so books build and trade), cancels and amends of earlier client order ids (many hit live
 * orders, some do not and are rejected), mass cancels, oracle updates and withdrawals. The n-th command depends
 * only on the seed and n, so a driver can resume a stream at any index.
 */
final class RandomCommands
{
    static final List<MarketSpec> MARKETS = List.of(
        MarketSpec.builder().id(1).symbol("BTC-USD").tickSize("0.1").lotSize("0.001").minSizeLots(1)
            .maxOrderSizeLots(100_000).maxPositionLots(100_000_000).marketOrderBandPpm(50_000).build(),
        MarketSpec.builder().id(2).symbol("ETH-USD").tickSize("0.01").lotSize("0.01").minSizeLots(1)
            .maxOrderSizeLots(100_000).maxPositionLots(100_000_000).marketOrderBandPpm(50_000).build());

    static final int ACCOUNTS = 200;
    private static final long MID_TICKS = 500_000;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PlaceOrderEncoder place = new PlaceOrderEncoder();
    private final CancelOrderEncoder cancel = new CancelOrderEncoder();
    private final AmendOrderEncoder amend = new AmendOrderEncoder();
    private final MassCancelEncoder massCancel = new MassCancelEncoder();
    private final DepositEncoder deposit = new DepositEncoder();
    private final WithdrawEncoder withdraw = new WithdrawEncoder();
    private final OraclePriceEncoder oracle = new OraclePriceEncoder();
    private final long seed;

    RandomCommands(final long seed)
    {
        this.seed = seed;
    }

    static Matcher.Context matcherContext()
    {
        return new Matcher.Context().marketCapacity(8).accountCapacity(ACCOUNTS + 3).feeAccount(ACCOUNTS + 1)
            .insuranceFundAccount(ACCOUNTS + 2).orderCapacity(1 << 17).maxOpenOrdersPerAccount(500);
    }

    /**
     * Encodes command number {@code n} (from 0).
     *
     * @return its length
     */
    int encode(final long n, final MutableDirectBuffer buffer, final int offset)
    {
        final SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + n);
        if (n < ACCOUNTS)
        {
            deposit.wrapAndApplyHeader(buffer, offset, header).account((int)n + 1).amountMicros(1_000_000_000_000L);
            return MessageHeaderEncoder.ENCODED_LENGTH + DepositEncoder.BLOCK_LENGTH;
        }
        if (n < ACCOUNTS + MARKETS.size())
        {
            oracle.wrapAndApplyHeader(buffer, offset, header).market((int)(n - ACCOUNTS) + 1).priceTicks(MID_TICKS);
            return MessageHeaderEncoder.ENCODED_LENGTH + OraclePriceEncoder.BLOCK_LENGTH;
        }
        final int account = 1 + random.nextInt(ACCOUNTS);
        final int market = 1 + random.nextInt(MARKETS.size());
        final int roll = random.nextInt(100);
        if (roll < 55)
        {
            final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            final boolean ioc = random.nextInt(6) == 0;
            final long reach = random.nextInt(-30, 8);
            final long price = side == Side.BUY ? MID_TICKS + reach : MID_TICKS - reach;
            place.wrapAndApplyHeader(buffer, offset, header)
                .clientOrderId(n)
                .priceTicks(price)
                .sizeLots(random.nextInt(1, 50))
                .account(account)
                .market(market)
                .side(side)
                .orderType(OrderType.LIMIT)
                .timeInForce(ioc ? TimeInForce.IOC : TimeInForce.GTC)
                .marginMode(MarginMode.CROSS)
                .selfTradePrevention(SelfTradePrevention.ACCOUNT_DEFAULT)
                .flags().clear();
            return MessageHeaderEncoder.ENCODED_LENGTH + PlaceOrderEncoder.BLOCK_LENGTH;
        }
        final long earlier = ACCOUNTS + random.nextLong(Math.max(1, n - ACCOUNTS));
        if (roll < 72)
        {
            cancel.wrapAndApplyHeader(buffer, offset, header)
                .orderId(CancelOrderEncoder.orderIdNullValue())
                .clientOrderId(earlier)
                .account(account)
                .market(CancelOrderEncoder.marketNullValue());
            return MessageHeaderEncoder.ENCODED_LENGTH + CancelOrderEncoder.BLOCK_LENGTH;
        }
        if (roll < 92)
        {
            amend.wrapAndApplyHeader(buffer, offset, header)
                .orderId(AmendOrderEncoder.orderIdNullValue())
                .clientOrderId(earlier)
                .priceTicks(MID_TICKS + random.nextInt(-30, 30))
                .sizeLots(random.nextInt(1, 60))
                .account(account)
                .market(market);
            return MessageHeaderEncoder.ENCODED_LENGTH + AmendOrderEncoder.BLOCK_LENGTH;
        }
        if (roll < 94)
        {
            massCancel.wrapAndApplyHeader(buffer, offset, header)
                .account(account)
                .market(market)
                .side(Side.NULL_VAL)
                .trigger(MassCancelTrigger.USER);
            return MessageHeaderEncoder.ENCODED_LENGTH + MassCancelEncoder.BLOCK_LENGTH;
        }
        if (roll < 97)
        {
            oracle.wrapAndApplyHeader(buffer, offset, header).market(market)
                .priceTicks(MID_TICKS + random.nextInt(-100, 100));
            return MessageHeaderEncoder.ENCODED_LENGTH + OraclePriceEncoder.BLOCK_LENGTH;
        }
        withdraw.wrapAndApplyHeader(buffer, offset, header).account(account).amountMicros(random.nextInt(1, 1_000_000));
        return MessageHeaderEncoder.ENCODED_LENGTH + WithdrawEncoder.BLOCK_LENGTH;
    }
}
