// The order entry form: limit or market (with an optional worst price), side, price, size, time in force, margin
// mode, self-trade prevention, post-only, reduce-only. It checks only that a price and a size were typed; what they
// say (a plain decimal, positive, a multiple of the tick or lot), margin and every other rule are the server's to
// judge, and its answer (accepted, filled, or rejected with its reason and message) is shown with the code's human
// label, the code itself in the label's title.

import { $, el } from './dom.js';
import { decimalsOf, formatDecimal, fromUnits, normaliseInput, toUnits } from './decimal.js';
import { codeElement, codeLabel } from './labels.js';

const CLIENT_ID_DIGITS = 7;
const CLIENT_ID_SPAN = 36 ** CLIENT_ID_DIGITS;
let lastClientStamp = 0;

/**
 * The self-trade prevention mode the server put in force, from the answer's accepted event: the account's default
 * resolved when the order asked for it.
 */
function selfTradePreventionInForce(answer)
{
    const accepted = (answer.events || []).find((event) => event.type === 'accepted');
    return accepted && accepted.stp ? ' · self-trade prevention: ' + codeLabel(accepted.stp) : '';
}

/**
 * A client id of 8 characters ("w" and 7 base-36 digits of a millisecond clock that never repeats within the page),
 * unique per account for years, so that a resent request is recognised as the same order and not a new one.
 */
export function nextClientId()
{
    lastClientStamp = Math.max(Date.now(), lastClientStamp + 1);
    return 'w' + (lastClientStamp % CLIENT_ID_SPAN).toString(36).padStart(CLIENT_ID_DIGITS, '0');
}

/**
 * Shows a command's outcome in a result box (order entry's, amend's): kind 'ok' or 'rejected', the status or
 * reason code (shown as its label, kept in the title), and the server's message.
 */
export function showOutcome(node, kind, code, message)
{
    node.className = 'order-result ' + kind;
    node.dataset.kind = kind;
    node.replaceChildren(codeElement('span', { class: 'code' }, code, kind === 'rejected' ? 'Rejected · ' : ''),
        el('span', { class: 'message' }, message));
    node.hidden = false;
}

/**
 * What a failed request's message adds when the answer was lost or late (no connection, 504): the command may still
 * have been done, which the open orders tell.
 */
export function unknownOutcomeNote(failure, sentence)
{
    return failure.status === 0 || failure.status === 504 ? ' ' + sentence + ': Open orders shows whether it was.' : '';
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
        $('worst-price-unit').textContent = quote || '';
        $('order-price').placeholder = market.oraclePrice ?
            formatDecimal(market.oraclePrice, decimalsOf(market.tickSize), false) : '0';
        $('order-size').placeholder = market.minSize ? String(market.minSize) : market.lotSize;
        $('order-price').value = '';
        $('order-worst-price').value = '';
        this.hideResult();
        this.refresh();
    }

    /**
     * Names the mode the "Account default" choice stands for (the account's default self-trade prevention, a code),
     * or null while it is not known.
     */
    setAccountDefaultStp(code)
    {
        const option = $('order-stp').querySelector("option[value='accountDefault']");
        option.textContent = code ? 'Account default (' + codeLabel(code) + ')' : 'Account default';
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
        $('worst-price-field').hidden = !isMarket;
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
            stp: $('order-stp').value,
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
        else
        {
            // A market order's own worst price only tightens the market's band: sent when one was typed.
            const worst = normaliseInput($('order-worst-price').value);
            if (worst !== null)
            {
                command.price = worst;
            }
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
            const price = command.type === 'limit' ? ' @ ' + command.price :
                ' at market' + (command.price ? ', worst ' + command.price : '');
            this.showResult('ok', answer.status || 'accepted',
                command.side + ' ' + command.size + ' ' + command.market + price + filled +
                selfTradePreventionInForce(answer) + ' · order ' + answer.orderId + ' (' + command.clientId + ')');
        }
        catch (failure)
        {
            this.showResult('rejected', failure.code || 'ERROR', failure.message +
                unknownOutcomeNote(failure, 'The order may still have been placed'));
        }
        finally
        {
            this.busy = false;
            this.refresh();
        }
    }

    showResult(kind, code, message)
    {
        showOutcome($('order-result'), kind, code, message);
    }

    hideResult()
    {
        $('order-result').hidden = true;
    }
}
