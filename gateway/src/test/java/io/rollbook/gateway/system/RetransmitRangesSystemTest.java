package io.rollbook.gateway.system;

import static io.rollbook.gateway.system.TestService.BTC;
import static io.rollbook.gateway.system.TestService.FIRST_ACCOUNT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.rollbook.client.JournalPosition;
import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.orderentry.BusinessRejectDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.RetransmissionDecoder;
import io.rollbook.protocol.orderentry.RetransmitRequestEncoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RetransmitRequests as a reconnecting market maker (or a careless one) sends them on the wire, answered by a real
 * service: positions before the journal's start, beyond the session's cut, inside a sequence, a request while one
 * is in flight, an account without reports, and requests bounded by the report cap and by the scan cap, checked
 * against what a session of the account received live.
 */
@Tag("system")
class RetransmitRangesSystemTest
{
    private static final int MAKER = 10;
    private static final int TAKER = 11;
    private static final int QUIET = 13;
    private static final int AFTER_ALL_EVENTS = 0xFFFF;

    @TempDir
    Path dataDirectory;

    @Test
    void positionsOutsideTheJournalAreRefusedAndEveryPositionInsideIsServedFromThere() throws Exception
    {
        try (TestService service = new TestService(dataDirectory).start())
        {
            final Recorder live = trade(service, 5);
            try (RawSession raw = new RawSession(service.port()).logon(MAKER, key(MAKER), 1, 10_000))
            {
                final long cut = raw.lastJournalSequence;
                assertEquals(live.positions.get(live.positions.size() - 1).sequence(), cut,
                    "the maker's last report is the journal's last command");

                assertEquals("refused RETRANSMIT_OUT_OF_RANGE", request(raw, -1, 0, 0).refusal());
                assertEquals("refused RETRANSMIT_OUT_OF_RANGE", request(raw, Long.MIN_VALUE, 0, 0).refusal());
                assertEquals("refused RETRANSMIT_OUT_OF_RANGE", request(raw, cut + 1, 0, 0).refusal());
                assertEquals("refused RETRANSMIT_OUT_OF_RANGE", request(raw, Long.MAX_VALUE, 0, 0).refusal());

                final Answer upToDate = request(raw, cut, AFTER_ALL_EVENTS, 0);
                assertEquals("count=0 complete=TRUE resume=" + cut + "/65535", upToDate.summary());

                final Answer everything = request(raw, 0, 0, 0);
                assertEquals(live.positions, everything.positions, "from the start: every report of the account");
                assertEquals("count=" + live.positions.size() + " complete=TRUE resume=" + cut + "/65535",
                    everything.summary());

                for (int i = 0; i < live.positions.size(); i++)
                {
                    final JournalPosition at = live.positions.get(i);
                    final Answer rest = request(raw, at.sequence(), at.eventIndex(), 0);
                    assertEquals(live.positions.subList(i + 1, live.positions.size()), rest.positions, "after " + at);
                    assertEquals("complete=TRUE resume=" + cut + "/65535", rest.summary().replaceFirst("count=\\d+ ", ""));
                }

                final JournalPosition trade = live.positions.get(live.positions.size() - 1);
                final Answer inside = request(raw, trade.sequence(), trade.eventIndex() + 100, 0);
                assertEquals(List.of(), inside.positions, "an event index past the sequence's last event: nothing of it");

                final Answer one = request(raw, 0, 0, 1);
                assertEquals(live.positions.subList(0, 1), one.positions);
                assertEquals("count=1 complete=FALSE resume=" + live.positions.get(0), one.summary());
            }
        }
    }

    @Test
    void aSecondRequestWhileOneIsInFlightIsRefusedAndTheFirstStillAnswered() throws Exception
    {
        try (TestService service = new TestService(dataDirectory).start())
        {
            final Recorder live = trade(service, 3);
            try (RawSession raw = new RawSession(service.port()).logon(MAKER, key(MAKER), 1, 10_000))
            {
                new RetransmitRequestEncoder().wrapAndApplyHeader(raw.send, 0, raw.headerEncoder)
                    .afterSequence(0).afterEventIndex(0).maxCount(0);
                raw.send(RetransmitRequestEncoder.BLOCK_LENGTH, 2);
                assertEquals("refused INVALID_VALUE", read(raw).refusal());
                final Answer first = read(raw);
                assertEquals(live.positions, first.positions);
                assertEquals(live.positions, request(raw, 0, 0, 0).positions, "the session may ask again once answered");
            }
        }
    }

    @Test
    void anAccountWithoutReportsIsUpToDateAtOnce() throws Exception
    {
        try (TestService service = new TestService(dataDirectory).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, QUIET);
            trade(service, 3);
            try (RawSession raw = new RawSession(service.port()).logon(QUIET, key(QUIET), 1, 10_000))
            {
                assertEquals("count=0 complete=TRUE resume=" + raw.lastJournalSequence + "/65535",
                    request(raw, 0, 0, 0).summary());
            }
        }
    }

    @Test
    void aRangeLongerThanTheScanCapIsServedInPartsThatEachMoveOn() throws Exception
    {
        final int otherCommands = 2_500;
        try (TestService service = new TestService(dataDirectory, context -> context.retransmitMaxScannedRecords(1_000))
            .start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, MAKER, TAKER);
            final Recorder maker = new Recorder();
            final Recorder other = new Recorder();
            try (RollbookClient makerSession = service.connect(maker);
                RollbookClient otherSession = service.session(TAKER, other))
            {
                // Not polled while the other account's commands go through, which a loaded machine stretches past a
                // keep-alive of a second: a long one.
                makerSession.logon(service.logon(MAKER).keepAliveMs(60_000));
                makerSession.newLimitOrder(1, BTC, Side.BUY, 490_000, 1, TimeInForce.GTC);
                makerSession.flush();
                makerSession.await(() -> maker.count("rested") == 1, 5_000, "the maker's order");
                for (int i = 0; i < otherCommands; i++)
                {
                    otherSession.newLimitOrder(1_000 + i, BTC, Side.BUY, 480_000, 1, TimeInForce.IOC);
                    if (i % 200 == 199)
                    {
                        otherSession.flush();
                        final int sent = i + 1;
                        otherSession.await(() -> other.count("canceled") == sent, 10_000, "the other account's orders");
                    }
                }
                makerSession.newLimitOrder(2, BTC, Side.BUY, 490_001, 1, TimeInForce.GTC);
                makerSession.flush();
                makerSession.await(() -> maker.count("rested") == 2, 5_000, "the maker's second order");
            }

            try (RawSession raw = new RawSession(service.port()).logon(MAKER, key(MAKER), 1, 10_000))
            {
                final List<JournalPosition> got = new ArrayList<>();
                JournalPosition from = new JournalPosition(0, 0);
                final List<String> parts = new ArrayList<>();
                for (int i = 0; i < 10; i++)
                {
                    final Answer part = request(raw, from.sequence(), from.eventIndex(), 0);
                    got.addAll(part.positions);
                    parts.add(part.summary());
                    final JournalPosition next = new JournalPosition(part.resumeSequence, part.resumeEventIndex);
                    assertTrue(next.compareTo(from) > 0, "each part moves on: " + parts);
                    from = next;
                    if (part.complete)
                    {
                        break;
                    }
                }
                assertEquals(maker.positions, got, "every report once, in order: " + parts);
                assertTrue(parts.size() >= 3, "the scan cap splits the range: " + parts);
                assertTrue(parts.get(parts.size() - 1).contains("complete=TRUE"), parts.toString());
            }
        }
    }

    /**
     * Funds the maker and the taker and trades: the maker rests {@code orders} bids, the taker sells into the first.
     *
     * @return what a session of the maker received live
     */
    private static Recorder trade(final TestService service, final int orders)
    {
        service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, MAKER, TAKER);
        final Recorder maker = new Recorder();
        final Recorder taker = new Recorder();
        try (RollbookClient makerSession = service.session(MAKER, maker);
            RollbookClient takerSession = service.session(TAKER, taker))
        {
            for (int i = 0; i < orders; i++)
            {
                makerSession.newLimitOrder(100 + i, BTC, Side.BUY, 499_000 - i, 10, TimeInForce.GTC);
            }
            makerSession.flush();
            makerSession.await(() -> maker.count("rested") == orders, 5_000, "the maker's orders");
            takerSession.newLimitOrder(200, BTC, Side.SELL, 499_000, 4, TimeInForce.IOC);
            takerSession.flush();
            makerSession.await(() -> maker.count("trade") == 1, 5_000, "the maker's fill");
        }
        return maker;
    }

    private static java.security.PrivateKey key(final int account)
    {
        return TestService.ACCOUNT_KEYS[account - FIRST_ACCOUNT].getPrivate();
    }

    private static Answer request(final RawSession raw, final long afterSequence, final int afterEventIndex,
        final int maxCount) throws IOException
    {
        new RetransmitRequestEncoder().wrapAndApplyHeader(raw.send, 0, raw.headerEncoder)
            .afterSequence(afterSequence).afterEventIndex(afterEventIndex).maxCount(maxCount);
        raw.send(RetransmitRequestEncoder.BLOCK_LENGTH);
        return read(raw);
    }

    /**
     * Reads the answer to a request: a BusinessReject, or a Retransmission and the reports it announces.
     */
    private static Answer read(final RawSession raw) throws IOException
    {
        final Answer answer = new Answer();
        int template;
        while ((template = raw.read()) == io.rollbook.protocol.orderentry.SequenceDecoder.TEMPLATE_ID)
        {
            continue;
        }
        final DirectBuffer received = raw.received;
        if (template == BusinessRejectDecoder.TEMPLATE_ID)
        {
            final BusinessRejectDecoder reject = new BusinessRejectDecoder().wrap(received,
                MessageHeaderEncoder.ENCODED_LENGTH, raw.header.blockLength(), raw.header.version());
            answer.refusal = reject.code().name();
            answer.text = reject.text();
            return answer;
        }
        if (template != RetransmissionDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("expected a Retransmission or a BusinessReject, got template " + template);
        }
        final RetransmissionDecoder retransmission = new RetransmissionDecoder().wrap(received,
            MessageHeaderEncoder.ENCODED_LENGTH, raw.header.blockLength(), raw.header.version());
        final int count = retransmission.count();
        answer.complete = retransmission.complete() == io.rollbook.protocol.orderentry.BooleanType.TRUE;
        answer.resumeSequence = retransmission.resumeAfterSequence();
        answer.resumeEventIndex = retransmission.resumeAfterEventIndex();
        for (int i = 0; i < count; i++)
        {
            raw.read();
            answer.positions.add(ReportPositions.of(raw.received, raw.header));
        }
        return answer;
    }

    private static final class Answer
    {
        String refusal;
        String text;
        boolean complete;
        long resumeSequence;
        int resumeEventIndex;
        final List<JournalPosition> positions = new ArrayList<>();

        String refusal()
        {
            return refusal == null ? "answered " + summary() : "refused " + refusal;
        }

        String summary()
        {
            return refusal != null ? "refused " + refusal + " " + text : "count=" + positions.size() + " complete=" +
                (complete ? "TRUE" : "FALSE") + " resume=" + resumeSequence + "/" + resumeEventIndex;
        }
    }
}
