package io.rollbook.gateway.http;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import io.rollbook.gateway.view.IndexedJournalReader;
import io.rollbook.gateway.view.JournalIndex;
import io.rollbook.gateway.view.JournalIndexFeed;
import io.rollbook.gateway.view.JournalRequestThread;
import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.RecordView;
import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.TradeDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the trade history read from the journal, on its own thread: an account's fills ({@code GET /v1/fills}) and
 * a market's trades ({@code GET /v1/markets/{market}/trades?fromSeq=S}). The views keep only the last
 * {@code RECENT_FILLS} of an account and the last trades of a market, the journal every one, and reading it must
 * never hold up an event loop. A request jumps near its first sequence with a sparse {@link JournalIndex} of its own
 * (the binary gateway's retransmitter owns the other one: an index has one reader), reads forward at most
 * {@code maxScannedRecords} commands and up to the sequence the views had released when the request came, and
 * collects the trades it asks for. The answer is handed to the connection's event loop, which writes it.
 *
 * <p>A page ends between two commands, so that {@code next} (a sequence) resumes exactly: a command whose trades would
 * take the page over its limit is left to the next page, unless the page is empty, when it is taken whole (one taker
 * order can trade with more resting orders than a page holds).
 *
 * <p>Requests come from event loops ({@link #submit}, thread-safe); everything else runs on the reader thread, which
 * owns the journal cursor and the index. Every request gets exactly one answer: its page or a 503 when the journal
 * could not be read.
 */
public final class TradeHistory extends JournalRequestThread<TradeHistory.Job>
{
    /** The most trades one page holds, and the default. */
    static final int MAX_LIMIT = 100;
    /**
     * The most commands one request reads: a page of an account or a market that trades rarely ends here, with
     * {@code next} after what was read, so that no request reads without bound.
     */
    public static final int MAX_SCANNED_COMMANDS = 10_000;
    /** The {@link Job#account} of a request for every trade of a market. */
    static final int EVERY_ACCOUNT = -1;
    private static final Logger LOG = LoggerFactory.getLogger(TradeHistory.class);

    private final MarketDirectory markets;
    private final int maxScannedRecords;
    private final RecordView record = new RecordView();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final TradeDecoder trade = new TradeDecoder();

    /**
     * A request, from its event loop: an account's fills (in one market, or every market when {@code market} is -1),
     * or every trade of one market when {@code account} is {@link #EVERY_ACCOUNT}.
     */
    static final class Job
    {
        final HttpLoop loop;
        final HttpConnection connection;
        final HttpConnection.Slot slot;
        final int account;
        final long fromSequence;
        final int market;
        final int limit;
        final long upToSequence;

        Job(
            final HttpLoop loop,
            final HttpConnection connection,
            final HttpConnection.Slot slot,
            final int account,
            final long fromSequence,
            final int market,
            final int limit,
            final long upToSequence)
        {
            this.loop = loop;
            this.connection = connection;
            this.slot = slot;
            this.account = account;
            this.fromSequence = fromSequence;
            this.market = market;
            this.limit = limit;
            this.upToSequence = upToSequence;
        }
    }

    /**
     * @param journal           opens a cursor over the journal, on the reader thread when it first needs one and
     *                          again after a read failed
     * @param index             an index of its own (a copy), extended as the reader reads
     * @param indexFeed         the batches released from now on, for the index
     * @param maxScannedRecords the most commands one request reads
     */
    public TradeHistory(
        final Supplier<JournalCursor> journal,
        final JournalIndex index,
        final JournalIndexFeed indexFeed,
        final List<MarketSpec> markets,
        final int maxScannedRecords)
    {
        super("rollbook-trade-history", 256, new IndexedJournalReader(journal, index, indexFeed, "trade history"));
        if (maxScannedRecords < 1)
        {
            throw new IllegalArgumentException("a trade history request reads at least 1 command, got " +
                maxScannedRecords);
        }
        this.markets = new MarketDirectory(markets);
        this.maxScannedRecords = maxScannedRecords;
    }

    /**
     * Event loop: queues a request.
     *
     * @return false if too many requests are waiting
     */
    boolean submit(final Job job)
    {
        return offer(job);
    }

    @Override
    protected void serve(final Job job)
    {
        int status = 200;
        String body;
        try
        {
            body = page(job);
        }
        catch (final RuntimeException | Error ex)
        {
            // Nothing shared was touched: answer, forget the cursor (its position may be anywhere), serve the next.
            LOG.error("reading the trades of account {} market {} from sequence {} failed", job.account, job.market,
                job.fromSequence, ex);
            journal.reset();
            status = 503;
            body = Json.error("JOURNAL_UNAVAILABLE", "the journal could not be read from sequence " +
                job.fromSequence + " (" + ex.getClass().getSimpleName() + "); ask again");
        }
        final int answerStatus = status;
        final String answer = body;
        try
        {
            job.loop.eventLoop().execute(() -> job.connection.respondJson(job.slot, answerStatus, answer));
        }
        catch (final RejectedExecutionException ex)
        {
            // The gateway is closing: its connections close without answers.
            LOG.debug("trade history answer dropped at close: {}", ex.toString());
        }
    }

    /**
     * @return the page's JSON
     */
    String page(final Job job)
    {
        final StringBuilder out = new StringBuilder(256 + 256 * Math.min(job.limit, 16));
        if (job.account == EVERY_ACCOUNT)
        {
            out.append("{\"market\":");
            Json.string(out, marketSymbol(job.market));
            out.append(",\"trades\":[");
        }
        else
        {
            out.append("{\"fills\":[");
        }
        int count = 0;
        // The last sequence read: the next page starts after it.
        long readTo = job.fromSequence - 1;
        if (job.fromSequence <= job.upToSequence)
        {
            journal.readFrom(job.fromSequence);
            final StringBuilder command = new StringBuilder(256);
            long scanned = 0;
            while (journal.nextRecord(record))
            {
                final long sequence = record.sequence();
                if (sequence > job.upToSequence)
                {
                    break;
                }
                command.setLength(0);
                final int fills = trades(job, sequence, record.timestampNs(), command);
                if (fills > 0 && count > 0 && count + fills > job.limit)
                {
                    break;
                }
                if (fills > 0)
                {
                    if (count > 0)
                    {
                        out.append(',');
                    }
                    out.append(command);
                    count += fills;
                }
                readTo = sequence;
                if (count >= job.limit || ++scanned >= maxScannedRecords || sequence == job.upToSequence)
                {
                    break;
                }
            }
        }
        out.append("],\"next\":").append(readTo + 1).append(",\"scannedTo\":").append(readTo)
            .append(",\"released\":").append(job.upToSequence).append('}');
        return out.toString();
    }

    /**
     * Appends the trades of one command the request asks for, comma-separated.
     *
     * @return how many
     */
    private int trades(final Job job, final long sequence, final long timestampNs, final StringBuilder out)
    {
        int count = 0;
        int offset = record.eventsOffset();
        final int end = offset + record.eventsLength();
        while (offset < end)
        {
            header.wrap(record.buffer(), offset);
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            final int blockLength = header.blockLength();
            if (header.templateId() == TradeDecoder.TEMPLATE_ID)
            {
                trade.wrap(record.buffer(), body, blockLength, header.version());
                if (job.account == EVERY_ACCOUNT)
                {
                    if (trade.market() == job.market)
                    {
                        marketTrade(out, count++, sequence, timestampNs);
                    }
                }
                else if (job.market < 0 || trade.market() == job.market)
                {
                    // A trade of an account with itself is two fills, as in the account view.
                    if (trade.makerAccount() == job.account)
                    {
                        fill(out, count++, true, sequence, timestampNs);
                    }
                    if (trade.takerAccount() == job.account)
                    {
                        fill(out, count++, false, sequence, timestampNs);
                    }
                }
            }
            offset = body + blockLength;
        }
        return count;
    }

    /**
     * The fill in the format of {@code GET /v1/account}'s {@code fills}.
     */
    private void fill(
        final StringBuilder out, final int before, final boolean maker, final long sequence, final long timestampNs)
    {
        if (before > 0)
        {
            out.append(',');
        }
        final int marketId = trade.market();
        final MarketSpec market = markets.byId(marketId);
        final int makerSide = trade.makerSideRaw();
        out.append("{\"tradeId\":").append(trade.tradeId())
            .append(",\"orderId\":").append(maker ? trade.makerOrderId() : trade.takerOrderId())
            .append(",\"clientId\":");
        ClientOrderIds.appendJson(out, maker ? trade.makerClientOrderId() : trade.takerClientOrderId());
        out.append(",\"market\":");
        Json.string(out, marketSymbol(marketId));
        out.append(",\"side\":\"").append((maker ? makerSide : 1 - makerSide) == 0 ? "buy" : "sell").append('"');
        if (market != null)
        {
            RestApi.price(out, "price", market, trade.priceTicks());
            RestApi.size(out, "size", market, trade.sizeLots());
        }
        RestApi.money(out, "fee", maker ? trade.makerFeeMicros() : trade.takerFeeMicros());
        out.append(",\"liquidity\":\"").append(maker ? "maker" : "taker").append('"');
        out.append(",\"seq\":").append(sequence).append(",\"timeNs\":").append(timestampNs).append('}');
    }

    /**
     * The trade in the format of {@code GET /v1/markets/{market}/trades}'s, without the channel sequence {@code seq}:
     * it counts the market's book changes since the journal began, which a page read from the middle cannot know.
     */
    private void marketTrade(final StringBuilder out, final int before, final long sequence, final long timestampNs)
    {
        if (before > 0)
        {
            out.append(',');
        }
        final MarketSpec market = markets.byId(trade.market());
        out.append("{\"tradeId\":").append(trade.tradeId());
        if (market != null)
        {
            RestApi.price(out, "price", market, trade.priceTicks());
            RestApi.size(out, "size", market, trade.sizeLots());
        }
        out.append(",\"side\":\"").append(trade.makerSideRaw() == 0 ? "sell" : "buy").append('"');
        out.append(",\"sequence\":").append(sequence).append(",\"timeNs\":").append(timestampNs).append('}');
    }

    private String marketSymbol(final int marketId)
    {
        final MarketSpec market = markets.byId(marketId);
        return market == null ? Integer.toString(marketId) : market.symbol();
    }
}
