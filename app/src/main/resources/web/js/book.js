// One market's order book as the book channel gives it: a snapshot, then deltas whose seq goes up by exactly one.
// A delta that skips a number means something was lost: the book is stale until the next snapshot.

import { decimalsOf, toUnits } from './decimal.js';

export class BookState
{
    constructor(market, tickSize, lotSize)
    {
        this.market = market;
        this.priceDecimals = decimalsOf(tickSize);
        this.sizeDecimals = decimalsOf(lotSize);
        this.bids = new Map();
        this.asks = new Map();
        this.seq = null;
        this.stale = true;
        this.restCurrent = false;
    }

    /**
     * Levels from the REST book (no channel seq): shown as current until the feed's snapshot arrives, or until a REST
     * read fails while the feed is stale (restFailed).
     */
    applyRest(book)
    {
        this.replace(book);
        this.seq = null;
        this.stale = true;
        this.restCurrent = true;
    }

    restFailed()
    {
        this.restCurrent = false;
    }

    applySnapshot(message)
    {
        this.replace(message);
        this.seq = message.seq;
        this.stale = false;
        this.restCurrent = false;
    }

    /** Whether the levels shown are known to be the market's now: from the live feed or the latest REST read. */
    current()
    {
        return !this.stale || this.restCurrent;
    }

    /** @return 'applied', 'ignored' (older than what the book holds, or while stale) or 'gap' */
    applyDelta(message)
    {
        if (this.stale || this.seq === null)
        {
            return 'ignored';
        }
        if (message.seq <= this.seq)
        {
            return 'ignored';
        }
        if (message.seq !== this.seq + 1)
        {
            this.stale = true;
            return 'gap';
        }
        this.update(this.bids, message.bids || []);
        this.update(this.asks, message.asks || []);
        this.seq = message.seq;
        return 'applied';
    }

    replace(message)
    {
        this.bids.clear();
        this.asks.clear();
        this.update(this.bids, message.bids || []);
        this.update(this.asks, message.asks || []);
    }

    update(side, levels)
    {
        for (const [price, size] of levels)
        {
            const priceUnits = toUnits(price, this.priceDecimals);
            const sizeUnits = toUnits(size, this.sizeDecimals);
            if (priceUnits === null || sizeUnits === null)
            {
                continue;
            }
            if (sizeUnits === 0n)
            {
                side.delete(priceUnits);
            }
            else
            {
                side.set(priceUnits, { price: String(price), size: String(size), priceUnits, sizeUnits });
            }
        }
    }

    /** Best first: bids descending, asks ascending; at most depth levels. */
    levels(sideName, depth)
    {
        const side = sideName === 'bids' ? this.bids : this.asks;
        const sorted = [...side.values()].sort((a, b) =>
        {
            const order = a.priceUnits < b.priceUnits ? -1 : (a.priceUnits > b.priceUnits ? 1 : 0);
            return sideName === 'bids' ? -order : order;
        });
        return sorted.slice(0, depth);
    }
}
