package io.rollbook.matcher.margin;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.AmendOrderEncoder;
import io.rollbook.protocol.engine.CancelOrderEncoder;
import io.rollbook.protocol.engine.CommandRejectedDecoder;
import io.rollbook.protocol.engine.DepositEncoder;
import io.rollbook.protocol.engine.FundingTickEncoder;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MassCancelEncoder;
import io.rollbook.protocol.engine.MassCancelTrigger;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OraclePriceEncoder;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.PlaceOrderEncoder;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The paths that deep books and many accounts take allocate nothing in steady state either: levels opened and
 * closed far from the best, in the middle and near it of a book of 10,000 levels, amends between them, mass cancels
 * of orders scattered through it, fill-or-kill orders that walk every order of 20 accounts and are refused, and
 * funding ticks and oracle updates over 300 accounts with positions in two markets (the liquidation re-check list,
 * sorted by account at every move). The stream is run once on a first matcher for the JIT; a second matcher runs
 * the setup and the first cycles unmeasured, then the calling thread's allocated-bytes counter must not move over
 * the remaining cycles (in one of up to three attempts, as in {@link ZeroAllocationTest}).
 */
class DeepBookAllocationTest
{
    private static final int MARKET = 1;
    private static final int SECOND_MARKET = 2;
    private static final int PROBER = 3;
    private static final int FIRST_MAKER = 10;
    private static final int MAKERS = 20;
    private static final int ASKS_PER_MAKER = 500;
    private static final int LEVELS = MAKERS * ASKS_PER_MAKER;
    private static final int FIRST_HOLDER = FIRST_MAKER + MAKERS;
    private static final int HOLDERS = 300;
    private static final long ORACLE_TICKS = 100_000;
    private static final int WARM_UP_CYCLES = 300;
    private static final int MEASURED_CYCLES = 1_000;
    private static final int SCATTERED_ORDERS = 50;
    private static final int ATTEMPTS = 3;

    private final ExpandableDirectByteBuffer commands = new ExpandableDirectByteBuffer(8 * 1024 * 1024);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PlaceOrderEncoder place = new PlaceOrderEncoder();
    private final CancelOrderEncoder cancel = new CancelOrderEncoder();
    private final AmendOrderEncoder amend = new AmendOrderEncoder();
    private final MassCancelEncoder massCancel = new MassCancelEncoder();
    private final DepositEncoder deposit = new DepositEncoder();
    private final OraclePriceEncoder oracle = new OraclePriceEncoder();
    private final FundingTickEncoder funding = new FundingTickEncoder();
    private final MessageHeaderDecoder commandHeader = new MessageHeaderDecoder();
    private final MessageHeaderDecoder eventHeader = new MessageHeaderDecoder();
    private int position;
    private int count;

    @Test
    void deepBookAndManyAccountsAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
            "this JVM cannot count allocated bytes per thread");
        setUp();
        final int setupCommands = count;
        final int setupLength = position;
        for (int cycle = 0; cycle < WARM_UP_CYCLES; cycle++)
        {
            cycle(cycle);
        }
        final int warmUpLength = position;
        final int warmUpCommands = count;
        for (int cycle = WARM_UP_CYCLES; cycle < WARM_UP_CYCLES + MEASURED_CYCLES; cycle++)
        {
            cycle(cycle);
        }

        final UnsafeBuffer eventBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4 * 1024 * 1024));
        final EventWriter events = new EventWriter();
        final Matcher first = new Matcher(context());
        final int rejected = run(first, 0, position, 0, eventBuffer, events, setupLength);
        // Only the fill-or-kill probes, one a cycle, are meant to be refused; a refusal anywhere else would mean the
        // book or the positions this test counts on are not there.
        assertEquals(WARM_UP_CYCLES + MEASURED_CYCLES, rejected, "refused commands after the setup");
        assertTrue(first.liveOrderCount() >= LEVELS, "the deep book rests: " + first.liveOrderCount());

        long allocated = -1;
        for (int attempt = 0; attempt < ATTEMPTS && allocated != 0; attempt++)
        {
            final Matcher matcher = new Matcher(context());
            run(matcher, 0, warmUpLength, 0, eventBuffer, events, setupLength);
            final long start = threads.getCurrentThreadAllocatedBytes();
            run(matcher, warmUpLength, position, warmUpCommands, eventBuffer, events, 0);
            allocated = threads.getCurrentThreadAllocatedBytes() - start;
            assertEquals(count, matcher.lastSequence());
        }
        assertEquals(0, allocated, "bytes allocated over " + (count - warmUpCommands) + " commands after " +
            setupCommands + " of setup");
    }

    private static Matcher.Context context()
    {
        return new Matcher.Context().marketCapacity(4).accountCapacity(FIRST_HOLDER + HOLDERS + 1).feeAccount(1)
            .insuranceFundAccount(2).orderCapacity(1 << 16).maxOpenOrdersPerAccount(1_000);
    }

    private static MarketSpec market(final int id)
    {
        return MarketSpec.builder().id(id).symbol(id == MARKET ? "DEEP-USD" : "WIDE-USD").tickSize("0.01")
            .lotSize("0.001").minSizeLots(1).maxOrderSizeLots(1_000_000).maxPositionLots(100_000_000)
            .marketOrderBandPpm(50_000).build();
    }

    private void setUp()
    {
        position += market(MARKET).encode(commands, position);
        count++;
        position += market(SECOND_MARKET).encode(commands, position);
        count++;
        oracle(MARKET, ORACLE_TICKS);
        oracle(SECOND_MARKET, ORACLE_TICKS);
        deposit(PROBER, 10_000_000_000_000L);
        for (int account = FIRST_MAKER; account < FIRST_HOLDER + HOLDERS; account++)
        {
            deposit(account, account < FIRST_HOLDER ? 10_000_000_000_000L : 100_000_000);
        }
        for (int i = 0; i < LEVELS; i++)
        {
            place(FIRST_MAKER + i / ASKS_PER_MAKER, MARKET, i, Side.SELL, ORACLE_TICKS + 1 + 2L * i, 1,
                TimeInForce.GTC, SelfTradePrevention.EXPIRE_TAKER);
        }
        // Every holder long one lot in each market, sold by the prober at the oracle price: a re-check list of
        // HOLDERS accounts per market.
        for (int market = MARKET; market <= SECOND_MARKET; market++)
        {
            place(PROBER, market, 1_000_000 + market, Side.BUY, ORACLE_TICKS - 1, HOLDERS, TimeInForce.GTC,
                SelfTradePrevention.EXPIRE_TAKER);
            for (int holder = FIRST_HOLDER; holder < FIRST_HOLDER + HOLDERS; holder++)
            {
                place(holder, market, 1, Side.SELL, ORACLE_TICKS - 1, 1, TimeInForce.IOC,
                    SelfTradePrevention.EXPIRE_TAKER);
            }
        }
    }

    private void cycle(final int cycle)
    {
        final long far = ORACLE_TICKS + 2L * LEVELS + 2 + 2L * (cycle % 7);
        final long middle = ORACLE_TICKS + 2L * (LEVELS / 2 + cycle % 101);
        final long near = ORACLE_TICKS + 2 + 2L * (cycle % 3);
        place(PROBER, MARKET, 1, Side.SELL, far, 2, TimeInForce.GTC, SelfTradePrevention.EXPIRE_TAKER);
        amend(PROBER, 1, far, 1);
        amend(PROBER, 1, middle, 1);
        amend(PROBER, 1, near, 1);
        cancel(PROBER, 1);
        for (int k = 0; k < SCATTERED_ORDERS; k++)
        {
            place(PROBER, MARKET, 10 + k, Side.SELL, ORACLE_TICKS + 2L * ((long)k * LEVELS / SCATTERED_ORDERS) + 2 +
                2L * (cycle % 5), 1, TimeInForce.GTC, SelfTradePrevention.EXPIRE_TAKER);
        }
        massCancel(PROBER);
        // More than the whole book, at a price that crosses all of it: walked order by order, then refused.
        place(PROBER, MARKET, 2, Side.BUY, ORACLE_TICKS + 2L * LEVELS, LEVELS + 1, TimeInForce.FOK,
            SelfTradePrevention.EXPIRE_TAKER);
        funding(cycle % 2 == 0 ? MARKET : SECOND_MARKET, cycle % 4 < 2 ? 1 : -1);
        oracle(cycle % 2 == 0 ? SECOND_MARKET : MARKET, ORACLE_TICKS + (cycle % 3) - 1);
    }

    /**
     * Runs the commands from byte {@code from} to {@code to}; allocates nothing itself.
     *
     * @return how many of the commands from byte {@code countRejectedFrom} on were refused
     */
    private int run(
        final Matcher matcher, final int from, final int to, final long firstSequence, final UnsafeBuffer eventBuffer,
        final EventWriter events, final int countRejectedFrom)
    {
        long sequence = firstSequence;
        int rejected = 0;
        int offset = from;
        while (offset < to)
        {
            commandHeader.wrap(commands, offset);
            final int length = MessageHeaderDecoder.ENCODED_LENGTH + commandHeader.blockLength();
            events.wrap(eventBuffer, 0);
            sequence++;
            matcher.execute(sequence, sequence, commands, offset, length, events);
            eventHeader.wrap(eventBuffer, 0);
            if (offset >= countRejectedFrom && eventHeader.templateId() == CommandRejectedDecoder.TEMPLATE_ID)
            {
                rejected++;
            }
            offset += length;
        }
        return rejected;
    }

    private void place(
        final int account, final int market, final long clientOrderId, final Side side, final long priceTicks,
        final long sizeLots, final TimeInForce timeInForce, final SelfTradePrevention stp)
    {
        place.wrapAndApplyHeader(commands, position, header)
            .clientOrderId(clientOrderId)
            .priceTicks(priceTicks)
            .sizeLots(sizeLots)
            .account(account)
            .market(market)
            .side(side)
            .orderType(OrderType.LIMIT)
            .timeInForce(timeInForce)
            .marginMode(MarginMode.CROSS)
            .selfTradePrevention(stp)
            .flags().clear();
        commit(PlaceOrderEncoder.BLOCK_LENGTH);
    }

    private void amend(final int account, final long clientOrderId, final long priceTicks, final long sizeLots)
    {
        amend.wrapAndApplyHeader(commands, position, header)
            .account(account)
            .market(MARKET)
            .orderId(AmendOrderEncoder.orderIdNullValue())
            .clientOrderId(clientOrderId)
            .priceTicks(priceTicks)
            .sizeLots(sizeLots);
        commit(AmendOrderEncoder.BLOCK_LENGTH);
    }

    private void cancel(final int account, final long clientOrderId)
    {
        cancel.wrapAndApplyHeader(commands, position, header)
            .account(account)
            .market(MARKET)
            .orderId(CancelOrderEncoder.orderIdNullValue())
            .clientOrderId(clientOrderId);
        commit(CancelOrderEncoder.BLOCK_LENGTH);
    }

    private void massCancel(final int account)
    {
        massCancel.wrapAndApplyHeader(commands, position, header)
            .account(account)
            .market(MassCancelEncoder.marketNullValue())
            .side(Side.NULL_VAL)
            .trigger(MassCancelTrigger.USER);
        commit(MassCancelEncoder.BLOCK_LENGTH);
    }

    private void deposit(final int account, final long amountMicros)
    {
        deposit.wrapAndApplyHeader(commands, position, header).account(account).amountMicros(amountMicros);
        commit(DepositEncoder.BLOCK_LENGTH);
    }

    private void oracle(final int market, final long priceTicks)
    {
        oracle.wrapAndApplyHeader(commands, position, header).market(market).priceTicks(priceTicks);
        commit(OraclePriceEncoder.BLOCK_LENGTH);
    }

    private void funding(final int market, final long ratePpb)
    {
        funding.wrapAndApplyHeader(commands, position, header).market(market).ratePpb(ratePpb);
        commit(FundingTickEncoder.BLOCK_LENGTH);
    }

    private void commit(final int blockLength)
    {
        position += MessageHeaderEncoder.ENCODED_LENGTH + blockLength;
        count++;
    }
}
