package io.rollbook.matcher.margin;

import java.util.List;
import java.util.SplittableRandom;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.protocol.Genesis;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.DepositEncoder;
import io.rollbook.protocol.engine.FundingTickEncoder;
import io.rollbook.protocol.engine.LiquidationStartedDecoder;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OraclePriceEncoder;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.PlaceOrderEncoder;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The liquidation index at its boundary: positions alone in their margin scope (isolated buckets, cross accounts
 * with one position) are found through thresholds that are rounded so the index never misses one (docs/MARGIN.md).
 * Here the oracle walks one tick at a time, in a market where a tick-lot is worth 3 micro-USDC and the maintenance
 * fraction does not divide evenly, with funding ticks of odd rates in between, through the thresholds of many
 * positions of random sizes and collateral: after every command no position may be left below maintenance.
 */
class LiquidationBoundaryTest
{
    private static final int MARKET = 1;
    private static final int INSURANCE_FUND = 2;
    private static final int MAKER = 3;
    private static final int FIRST = 4;
    private static final int POSITIONS = 40;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void noPositionIsMissedAtItsThreshold(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Genesis genesis = Genesis.ofMarkets(List.of(MarketSpec.builder().id(MARKET).symbol("EDGE-USD")
            .tickSize("0.001").lotSize("0.003").minSizeLots(1).maxPositionLots(10_000_000)
            .margin(66_000, 33_000).build()));
        final Matcher matcher = new Matcher(new Matcher.Context().accountCapacity(FIRST + POSITIONS + 1));
        final Driver driver = new Driver(matcher);
        genesis.forEachCommand((buffer, offset, length) -> driver.execute(buffer, offset, length));

        final long startTicks = 100_000;
        driver.oracle(startTicks);
        driver.deposit(MAKER, 1_000_000_000_000L);
        // Enough for the fund to take every liquidated position over: none is closed by deleveraging, against the
        // most profitable opposite position, before the walk brings it to its own threshold.
        driver.deposit(INSURANCE_FUND, 1_000_000_000_000L);
        for (int i = 0; i < POSITIONS; i++)
        {
            final int account = FIRST + i;
            final long lots = 1 + random.nextLong(3_000);
            final boolean isolated = random.nextBoolean();
            // Initial margin at 6.6% plus a random cushion, so thresholds spread over a few percent of price.
            final long notional = lots * startTicks * 3;
            driver.deposit(account, notional * 66 / 1000 + 1 + random.nextLong(notional / 40 + 1));
            final boolean isLong = random.nextBoolean();
            driver.place(MAKER, isLong ? Side.SELL : Side.BUY, startTicks, lots, MarginMode.CROSS, TimeInForce.GTC);
            driver.place(account, isLong ? Side.BUY : Side.SELL, startTicks, lots,
                isolated ? MarginMode.ISOLATED : MarginMode.CROSS, TimeInForce.IOC);
        }
        MarginInvariants.check(matcher);

        // About 6% one way, then 12% back the other: through the thresholds of longs and of shorts.
        long price = startTicks;
        final int first = random.nextBoolean() ? 1 : -1;
        for (int step = 0; step < 24_000; step++)
        {
            final int direction = step < 8_000 ? first : -first;
            if (random.nextInt(10) == 0)
            {
                driver.funding(random.nextLong(-3_001, 3_002) | 1);
            }
            else
            {
                price += random.nextInt(10) == 0 ? -direction : direction;
                driver.oracle(price);
            }
            MarginInvariants.check(matcher);
        }
        assertTrue(driver.liquidations > POSITIONS / 2,
            "the walk liquidated only " + driver.liquidations + " of " + POSITIONS + " positions");
        int open = 0;
        for (int i = 0; i < POSITIONS; i++)
        {
            final Account account = matcher.account(FIRST + i);
            final Position position = account.position(MARKET);
            open += position != null && position.sizeLots() != 0 ? 1 : 0;
        }
        assertTrue(open < POSITIONS, "nothing was liquidated");
    }

    /**
     * Encodes and executes commands one at a time, counting liquidations.
     */
    private static final class Driver
    {
        private final Matcher matcher;
        private final ExpandableArrayBuffer command = new ExpandableArrayBuffer(256);
        private final ExpandableArrayBuffer eventBuffer = new ExpandableArrayBuffer(1 << 16);
        private final EventWriter events = new EventWriter();
        private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private long sequence;
        private long clientOrderId;
        int liquidations;

        Driver(final Matcher matcher)
        {
            this.matcher = matcher;
        }

        void execute(final DirectBuffer buffer, final int offset, final int length)
        {
            events.wrap(eventBuffer, 0);
            matcher.execute(++sequence, 0, buffer, offset, length, events);
            for (int e = 0; e < events.position(); )
            {
                header.wrap(eventBuffer, e);
                liquidations += header.templateId() == LiquidationStartedDecoder.TEMPLATE_ID ? 1 : 0;
                e += MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
            }
        }

        void oracle(final long priceTicks)
        {
            new OraclePriceEncoder().wrapAndApplyHeader(command, 0, headerEncoder)
                .market(MARKET).priceTicks(priceTicks);
            execute(command, 0, MessageHeaderEncoder.ENCODED_LENGTH + OraclePriceEncoder.BLOCK_LENGTH);
        }

        void funding(final long ratePpb)
        {
            new FundingTickEncoder().wrapAndApplyHeader(command, 0, headerEncoder).market(MARKET).ratePpb(ratePpb);
            execute(command, 0, MessageHeaderEncoder.ENCODED_LENGTH + FundingTickEncoder.BLOCK_LENGTH);
        }

        void deposit(final int account, final long micros)
        {
            new DepositEncoder().wrapAndApplyHeader(command, 0, headerEncoder).account(account).amountMicros(micros);
            execute(command, 0, MessageHeaderEncoder.ENCODED_LENGTH + DepositEncoder.BLOCK_LENGTH);
        }

        void place(
            final int account,
            final Side side,
            final long priceTicks,
            final long lots,
            final MarginMode mode,
            final TimeInForce timeInForce)
        {
            new PlaceOrderEncoder().wrapAndApplyHeader(command, 0, headerEncoder)
                .clientOrderId(++clientOrderId).priceTicks(priceTicks).sizeLots(lots).account(account).market(MARKET)
                .side(side).orderType(OrderType.LIMIT).timeInForce(timeInForce).marginMode(mode)
                .selfTradePrevention(SelfTradePrevention.ACCOUNT_DEFAULT).flags().clear();
            execute(command, 0, MessageHeaderEncoder.ENCODED_LENGTH + PlaceOrderEncoder.BLOCK_LENGTH);
        }
    }
}
