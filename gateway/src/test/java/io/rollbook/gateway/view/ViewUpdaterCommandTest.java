package io.rollbook.gateway.view;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.rollbook.protocol.engine.BalanceCause;
import io.rollbook.protocol.engine.BalanceChangedEncoder;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MarketDefinedEncoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OrderAcceptedEncoder;
import io.rollbook.protocol.engine.OrderRestingEncoder;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reader of an account sees it between two commands, never in the middle of one: the release thread applies
 * all of a command's events to the accounts before a reader on another thread can copy the account.
 */
final class ViewUpdaterCommandTest
{
    private static final int MARKET = 1;
    private static final int ACCOUNT = 7;
    private static final long COLLATERAL = 5_000_000_000L;

    private final GatewayViews views = new GatewayViews(8, 1024, 0);
    private final UnsafeBuffer events = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    @Test
    void aReaderWaitsForTheRestOfTheCommandItArrivedIn() throws InterruptedException
    {
        define();
        final AccountSnapshot snapshot = new AccountSnapshot();
        final AtomicReference<Thread> reader = new AtomicReference<>();
        final AtomicReference<Thread.State> stateMidCommand = new AtomicReference<>();
        views.updater().addListener(new MarketDataListener()
        {
            @Override
            public void onLevel(final int market, final int side, final long priceTicks, final long sizeLots,
                final long channelSeq, final long sequence)
            {
                // The order rests, its account's collateral is not yet set: a reader starting now must wait.
                final Thread thread = new Thread(() -> views.accounts().read(ACCOUNT, snapshot), "account-reader");
                reader.set(thread);
                thread.start();
                stateMidCommand.set(awaitBlockedOrDone(thread));
            }

            @Override
            public void onTrade(final int market, final long tradeId, final long priceTicks, final long sizeLots,
                final int aggressorSide, final long channelSeq, final long sequence, final long timestampNs)
            {
            }
        });

        int length = MessageHeaderEncoder.ENCODED_LENGTH + new OrderAcceptedEncoder()
            .wrapAndApplyHeader(events, 0, header).orderId(11).clientOrderId(1).priceTicks(400_000).sizeLots(10)
            .account(ACCOUNT).market(MARKET).side(Side.BUY).orderType(OrderType.LIMIT).timeInForce(TimeInForce.GTC)
            .marginMode(MarginMode.CROSS).selfTradePrevention(SelfTradePrevention.EXPIRE_TAKER).encodedLength();
        length += MessageHeaderEncoder.ENCODED_LENGTH + new OrderRestingEncoder()
            .wrapAndApplyHeader(events, length, header).orderId(11).clientOrderId(1).priceTicks(400_000)
            .remainingLots(10).account(ACCOUNT).market(MARKET).side(Side.BUY).encodedLength();
        length += MessageHeaderEncoder.ENCODED_LENGTH + new BalanceChangedEncoder()
            .wrapAndApplyHeader(events, length, header).account(ACCOUNT).deltaMicros(COLLATERAL)
            .collateralMicros(COLLATERAL).cause(BalanceCause.DEPOSIT).encodedLength();
        views.updater().onReleased(2, 0, 0, events, 0, 0, 0, length);

        assertNotNull(reader.get(), "the command's order made a level change");
        assertEquals(Thread.State.BLOCKED, stateMidCommand.get(), "a reader must not copy an account mid-command");
        reader.get().join(TimeUnit.SECONDS.toMillis(10));
        assertEquals(COLLATERAL, snapshot.collateralMicros());
        assertEquals(1, snapshot.orderCount());
        assertEquals(11, snapshot.orderId(0));
    }

    private void define()
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new MarketDefinedEncoder()
            .wrapAndApplyHeader(events, 0, header).market(MARKET).symbol("BTC-USD").tickSizeMantissa(1)
            .lotSizeMantissa(1).minSizeLots(1).maxOrderSizeLots(1_000_000).encodedLength();
        views.updater().onReleased(1, 0, 0, events, 0, 0, 0, length);
    }

    /**
     * @return BLOCKED once the thread waits for a lock, TERMINATED if it finished instead
     */
    private static Thread.State awaitBlockedOrDone(final Thread thread)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Thread.State state = thread.getState();
        while (state != Thread.State.BLOCKED && state != Thread.State.TERMINATED && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
            state = thread.getState();
        }
        assertTrue(state == Thread.State.BLOCKED || state == Thread.State.TERMINATED, "reader state " + state);
        return state;
    }
}
