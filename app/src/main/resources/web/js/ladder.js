// Draws the order book ladder: asks above the spread (best ask nearest it), bids below, each level with its
// cumulative size and a depth bar; levels holding one of the selected account's open orders carry a marker.

import { el } from './dom.js';
import { formatDecimal, fromUnits } from './decimal.js';

const ROW_HEIGHT_PX = 20;
const MAX_ROWS = 40;

function rowsThatFit(container)
{
    return Math.max(1, Math.min(MAX_ROWS, Math.floor(container.clientHeight / ROW_HEIGHT_PX) || 10));
}

function cumulative(levels)
{
    let total = 0n;
    return levels.map((level) =>
    {
        total += level.sizeUnits;
        return total;
    });
}

function row(level, total, max, book, own, onPick)
{
    const width = max === 0n ? 0 : Number(total * 1000n / max) / 10;
    return el('div', {
        class: 'ladder-row' + (own ? ' own' : ''),
        'data-price': level.price,
        'data-size': level.size,
        title: own ? 'Your order rests at this price' : 'Use this price',
        onclick: () => onPick(level.price),
    },
    el('div', { class: 'depth', style: 'width:' + width + '%' }),
    el('span', { class: 'price' }, formatDecimal(level.price, book.priceDecimals)),
    el('span', { class: 'size' }, formatDecimal(level.size, book.sizeDecimals)),
    el('span', { class: 'total' }, formatDecimal(fromUnits(total, book.sizeDecimals), book.sizeDecimals)));
}

/**
 * @param ownPrices Set of "side priceUnits" strings of the account's open orders in this market
 * @param onPick    called with a level's price when it is clicked
 */
export function renderLadder(book, nodes, ownPrices, onPick)
{
    const depth = Math.min(rowsThatFit(nodes.asks), rowsThatFit(nodes.bids));
    const asks = book.levels('asks', depth);
    const bids = book.levels('bids', depth);
    const askTotals = cumulative(asks);
    const bidTotals = cumulative(bids);
    const max = [askTotals[askTotals.length - 1] || 0n, bidTotals[bidTotals.length - 1] || 0n]
        .reduce((a, b) => (a > b ? a : b));

    const askRows = asks.map((level, i) =>
        row(level, askTotals[i], max, book, ownPrices.has('sell ' + level.priceUnits), onPick)).reverse();
    const bidRows = bids.map((level, i) =>
        row(level, bidTotals[i], max, book, ownPrices.has('buy ' + level.priceUnits), onPick));
    nodes.asks.replaceChildren(...askRows);
    nodes.bids.replaceChildren(...bidRows);
    nodes.root.classList.toggle('stale', !book.current());
    nodes.root.dataset.market = book.market;

    if (asks.length && bids.length)
    {
        const spread = asks[0].priceUnits - bids[0].priceUnits;
        const midTwice = asks[0].priceUnits + bids[0].priceUnits;
        const mid = fromUnits(midTwice * 5n, book.priceDecimals + 1);
        nodes.mid.textContent = formatDecimal(mid.replace(/\.?0$/, ''), book.priceDecimals);
        const bps = Number(spread * 100000n / (midTwice / 2n || 1n)) / 10;
        const spreadText = formatDecimal(fromUnits(spread, book.priceDecimals), book.priceDecimals);
        nodes.spread.textContent = 'spread ' + spreadText + ' (' + bps.toFixed(1) + ' bps)';
    }
    else
    {
        nodes.mid.textContent = asks.length || bids.length ? 'one-sided' : 'empty book';
        nodes.spread.textContent = '';
    }
}
