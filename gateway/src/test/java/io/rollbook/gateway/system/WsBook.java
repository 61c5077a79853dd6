package io.rollbook.gateway.system;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollbook.matcher.book.BookSide;
import io.rollbook.protocol.MarketSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One market's book as one WebSocket connection's {@code book} channel builds it, the way docs/REST.md tells a client
 * to: each snapshot (the first, and the first of every new subscription) replaces the book, each delta sets one
 * level's total. On the way it checks what a client relies on: every subscription numbers its messages 1, 2, 3, ...
 * from its snapshot without a gap, and {@code marketSeq} rises within a subscription.
 */
final class WsBook
{
    final Map<BigDecimal, BigDecimal> bids = new TreeMap<>(Comparator.reverseOrder());
    final Map<BigDecimal, BigDecimal> asks = new TreeMap<>();
    long marketSeq;
    int snapshots;

    static WsBook of(final List<JsonNode> messages, final String market)
    {
        final WsBook book = new WsBook();
        long seq = 0;
        for (final JsonNode message : messages)
        {
            // The subscription's own messages, not the answers to (un)subscribing.
            if (!"book".equals(message.path("channel").asText()) || !market.equals(message.path("market").asText()) ||
                !message.has("seq"))
            {
                continue;
            }
            final boolean snapshot = "snapshot".equals(message.path("type").asText());
            if (snapshot)
            {
                seq = 0;
                book.snapshots++;
                book.bids.clear();
                book.asks.clear();
            }
            else
            {
                assertTrue(message.get("marketSeq").asLong() > book.marketSeq, "market seq rises: " + message);
            }
            assertEquals(seq + 1, message.get("seq").asLong(), "gap-free channel sequence: " + message);
            seq = message.get("seq").asLong();
            book.marketSeq = message.get("marketSeq").asLong();
            apply(message.get("bids"), book.bids);
            apply(message.get("asks"), book.asks);
        }
        return book;
    }

    /**
     * @return the levels of a REST book side, or of a book message's
     */
    static Map<BigDecimal, BigDecimal> levels(final JsonNode side, final boolean bids)
    {
        final Map<BigDecimal, BigDecimal> levels = new TreeMap<>(bids ? Comparator.reverseOrder() :
            Comparator.<BigDecimal>naturalOrder());
        apply(side, levels);
        return levels;
    }

    /**
     * @return the levels of one side of the matcher's book, in the market's units
     */
    static Map<BigDecimal, BigDecimal> levels(final BookSide side, final MarketSpec market)
    {
        final Map<BigDecimal, BigDecimal> levels = new TreeMap<>(side.isBids() ? Comparator.reverseOrder() :
            Comparator.<BigDecimal>naturalOrder());
        for (int depth = 0; depth < side.levelCount(); depth++)
        {
            levels.put(new BigDecimal(market.ticksToPrice(side.levelAtDepth(depth).priceTicks())),
                new BigDecimal(market.lotsToSize(side.levelAtDepth(depth).totalLots())).stripTrailingZeros());
        }
        return levels;
    }

    private static void apply(final JsonNode levels, final Map<BigDecimal, BigDecimal> side)
    {
        for (final JsonNode level : levels)
        {
            final BigDecimal price = new BigDecimal(level.get(0).asText());
            final BigDecimal size = new BigDecimal(level.get(1).asText()).stripTrailingZeros();
            if (size.signum() == 0)
            {
                assertTrue(side.remove(price) != null, "a delta removes a level that exists: " + price);
            }
            else
            {
                side.put(price, size);
            }
        }
    }
}
