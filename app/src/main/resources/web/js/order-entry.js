// The order entry form: limit or market, side, price, size, time in force, post-only, reduce-only, margin mode.
// It checks only that a price and a size were typed; what they say (a plain decimal, positive, a multiple of the tick
// or lot), margin and every other rule are the server's to judge, and its answer (accepted, filled, or rejected with
// its code and message) is shown as is.

import { $, el } from './dom.js';
import { decimalsOf, formatDecimal, fromUnits, normaliseInput, toUnits } from './decimal.js';

const CLIENT_ID_DIGITS = 7;
const CLIENT_ID_SPAN = 36 ** CLIENT_ID_DIGITS;
let lastClientStamp = 0;

/**
 * A client id of 8 characters ("w" and 7 base-36 digits of a millisecond clock that never repeats within the page),
 * unique per account for years, so that a resent request is recognised as the same order and not a new one.
 */
export function nextClientId()
{
    lastClientStamp = Math.max(Date.now(), lastClientStamp + 1);
    return 'w' + (lastClientStamp % CLIENT_ID_SPAN).toString(36).padStart(CLIENT_ID_DIGITS, '0');
}

export class OrderEntry
{
    /**
     * @param place   async (command) => response; throws ApiError on a refusal
     * @param bestFor (side) => the best opposite price as a decimal string, or null, for a market order's estimate
     */
    constructor(place, bestFor)
    {
        this.place = place;
        this.bestFor = bestFor;
        this.market = null;
        this.form = $('order-form');
        this.form.addEventListener('submit', (event) =>
        {
            event.preventDefault();
            this.submit();
        });
        this.form.addEventListener('input', () => this.refresh());
        this.form.addEventListener('change', () => this.refresh());
        this.enabled = false;
        this.refresh();
    }

    setMarket(market)
    {
        this.market = market;
        const [base, quote] = market.market.split('-');
        $('price-unit').textContent = (quote || '') + ' · tick ' + market.tickSize;
        $('size-unit').textContent = (base || '') + ' · lot ' + market.lotSize;
        $('order-price').placeholder = market.oraclePrice ?
            formatDecimal(market.oraclePrice, decimalsOf(market.tickSize), false) : '0';
        $('order-size').placeholder = market.minSize ? String(market.minSize) : market.lotSize;
        $('order-price').value = '';
        this.hideResult();
        this.refresh();
    }

    setEnabled(enabled, why)
    {
        this.enabled = enabled;
        this.disabledReason = why;
        this.refresh();
    }

    setPrice(price)
    {
        $('type-limit').checked = true;
        $('order-price').value = price;
        this.refresh();
    }

    side()
    {
        return $('side-sell').checked ? 'sell' : 'buy';
    }

    type()
    {
        return $('type-market').checked ? 'market' : 'limit';
    }

    refresh()
    {
        const side = this.side();
        const isMarket = this.type() === 'market';
        $('price-field').hidden = isMarket;
        const tif = $('order-tif');
        tif.querySelector('option[value="gtc"]').disabled = isMarket;
        if (isMarket && tif.value === 'gtc')
        {
            tif.value = 'ioc';
        }
        const postOnly = $('order-post-only');
        postOnly.disabled = isMarket || tif.value !== 'gtc';
        if (postOnly.disabled)
        {
            postOnly.checked = false;
        }
        const button = $('order-submit');
        button.className = 'submit ' + side;
        const symbol = this.market ? ' ' + this.market.market : '';
        button.textContent = this.enabled ? (side === 'buy' ? 'Buy' : 'Sell') + symbol +
            (isMarket ? ' at market' : '') : (this.disabledReason || 'Trading unavailable');
        button.disabled = !this.enabled || this.busy === true;
        $('order-notional').textContent = this.notional();
    }

    notional()
    {
        if (!this.market)
        {
            return '—';
        }
        const size = normaliseInput($('order-size').value);
        const price = this.type() === 'market' ? this.bestFor(this.side()) : normaliseInput($('order-price').value);
        if (size === null || price === null)
        {
            return '—';
        }
        const sizeDecimals = decimalsOf(size);
        const priceDecimals = decimalsOf(price);
        const sizeUnits = toUnits(size, sizeDecimals);
        const priceUnits = toUnits(price, priceDecimals);
        if (sizeUnits === null || priceUnits === null)
        {
            return '—';
        }
        const product = sizeUnits * priceUnits;
        const exact = fromUnits(product, sizeDecimals + priceDecimals);
        const [whole, fraction = ''] = exact.split('.');
        const cents = fraction.slice(0, 2).padEnd(2, '0');
        const approximate = this.type() === 'market' || /[^0]/.test(fraction.slice(2));
        return (approximate ? '≈ ' : '') + formatDecimal(whole + '.' + cents, 2) + ' USD';
    }

    /** The place command the form describes, or a string saying what is wrong with the form. */
    command()
    {
        const size = normaliseInput($('order-size').value);
        if (size === null)
        {
            return 'Size: enter a number such as ' + (this.market.minSize || this.market.lotSize) + '.';
        }
        const command = {
            cmd: 'place',
            market: this.market.market,
            side: this.side(),
            type: this.type(),
            size,
            tif: $('order-tif').value,
            postOnly: $('order-post-only').checked,
            reduceOnly: $('order-reduce-only').checked,
            margin: $('order-margin').value,
            clientId: nextClientId(),
        };
        if (command.type === 'limit')
        {
            const price = normaliseInput($('order-price').value);
            if (price === null)
            {
                return 'Price: enter a number such as ' + (this.market.oraclePrice || this.market.tickSize) + '.';
            }
            command.price = price;
        }
        return command;
    }

    async submit()
    {
        if (!this.enabled || !this.market || this.busy)
        {
            return;
        }
        const command = this.command();
        if (typeof command === 'string')
        {
            this.showResult('rejected', 'INVALID_INPUT', command);
            return;
        }
        this.busy = true;
        this.refresh();
        try
        {
            const answer = await this.place(command);
            const filled = answer.filled && answer.filled !== '0' ? ', filled ' + answer.filled : '';
            this.showResult('ok', (answer.status || 'accepted').toUpperCase(),
                command.side + ' ' + command.size + ' ' + command.market +
                (command.price ? ' @ ' + command.price : ' at market') + filled +
                ' · order ' + answer.orderId + ' (' + command.clientId + ')');
        }
        catch (failure)
        {
            const unknownOutcome = failure.status === 0 || failure.status === 504;
            this.showResult('rejected', failure.code || 'ERROR', failure.message +
                (unknownOutcome ? ' The order may still have been placed: Open orders shows whether it was.' : ''));
        }
        finally
        {
            this.busy = false;
            this.refresh();
        }
    }

    showResult(kind, code, message)
    {
        const node = $('order-result');
        node.className = 'order-result ' + kind;
        node.dataset.kind = kind;
        node.replaceChildren(el('span', { class: 'code' }, (kind === 'rejected' ? 'Rejected · ' : '') + code),
            el('span', { class: 'message' }, message));
        node.hidden = false;
    }

    hideResult()
    {
        $('order-result').hidden = true;
    }
}
