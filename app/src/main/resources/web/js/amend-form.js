// The amend form above the open orders: a new price and/or a new total size for one resting order, sent as
// PATCH /v1/order-ids/{orderId} (an order placed elsewhere with a numeric clientId has no clientId path). It lives outside the table, which every account refresh rebuilds, so that what the
// trader is typing survives the refreshes. Like order entry it checks only that something was typed; whether the
// price is on the tick, the size on the lot, the margin enough, is the server's to judge, and its answer is shown
// with the code's human label, the code in the title.

import { $ } from './dom.js';
import { decimalsOf, formatDecimal, normaliseInput } from './decimal.js';
import { showOutcome, unknownOutcomeNote } from './order-entry.js';

export class AmendForm
{
    /**
     * @param amend   async (order, body) => response; throws ApiError on a refusal
     * @param markets () => the markets by symbol, for units and decimals
     */
    constructor(amend, markets)
    {
        this.amend = amend;
        this.markets = markets;
        this.order = null;
        this.stillOpen = false;
        this.busy = false;
        this.form = $('amend-form');
        this.form.addEventListener('submit', (event) =>
        {
            event.preventDefault();
            this.submit();
        });
        $('amend-close').addEventListener('click', () => this.close());
    }

    /** Opens the form for an order of the open orders (as GET /v1/orders gives it). */
    open(order)
    {
        this.order = order;
        $('amend-price').value = '';
        $('amend-size').value = '';
        $('amend-result').hidden = true;
        const [base, quote] = order.market.split('-');
        $('amend-price-unit').textContent = quote || '';
        $('amend-size-unit').textContent = base || '';
        this.form.hidden = false;
        this.stillOpen = true;
        this.describe();
        $('amend-price').focus();
    }

    close()
    {
        this.order = null;
        this.form.hidden = true;
    }

    /** The open orders changed: show the amended order as it is now, or say that it is no longer open. */
    sync(orders)
    {
        if (this.order === null)
        {
            return;
        }
        const now = orders.find((order) => order.orderId === this.order.orderId);
        if (now)
        {
            this.order = now;
        }
        this.stillOpen = Boolean(now);
        this.describe();
    }

    describe()
    {
        const order = this.order;
        const market = this.markets().get(order.market);
        const priceDecimals = market ? decimalsOf(market.tickSize) : 0;
        const sizeDecimals = market ? decimalsOf(market.lotSize) : 0;
        $('amend-title').textContent = 'Amend ' + (order.side === 'buy' ? 'buy ' : 'sell ') + order.market + ' ' +
            formatDecimal(order.size, sizeDecimals) + ' @ ' + formatDecimal(order.price, priceDecimals) +
            ' (' + order.clientId + ', filled ' + formatDecimal(order.filled || '0', sizeDecimals) + ')' +
            (this.stillOpen ? '' : ': no longer open');
        $('amend-price').placeholder = formatDecimal(order.price, priceDecimals, false);
        $('amend-size').placeholder = formatDecimal(order.size, sizeDecimals, false);
        $('amend-submit').disabled = !this.stillOpen || this.busy;
    }

    /**
     * The amend's body: what was typed, and the order's current price or size for the one left empty (the amend
     * command takes both); or a string saying what is wrong with the form.
     */
    body()
    {
        const price = normaliseInput($('amend-price').value);
        const size = normaliseInput($('amend-size').value);
        if (price === null && size === null)
        {
            return 'Enter a new price, a new total size, or both.';
        }
        return { price: price === null ? this.order.price : price, size: size === null ? this.order.size : size };
    }

    async submit()
    {
        if (this.order === null || this.busy)
        {
            return;
        }
        const order = this.order;
        const body = this.body();
        if (typeof body === 'string')
        {
            showOutcome($('amend-result'), 'rejected', 'INVALID_INPUT', body);
            return;
        }
        this.busy = true;
        $('amend-submit').disabled = true;
        try
        {
            const answer = await this.amend(order, body);
            const amended = (answer.events || []).find((event) => event.type === 'amended');
            const priority = amended ? (amended.priorityKept ? ', time priority kept' : ', time priority lost') : '';
            showOutcome($('amend-result'), 'ok', 'amended', order.side + ' ' + order.market + ' now ' +
                body.size + ' @ ' + body.price + priority + ' · order ' + order.orderId + ' (' + order.clientId + ')');
            $('amend-price').value = '';
            $('amend-size').value = '';
        }
        catch (failure)
        {
            showOutcome($('amend-result'), 'rejected', failure.code || 'ERROR', failure.message +
                unknownOutcomeNote(failure, 'The amend may still have been done'));
        }
        finally
        {
            this.busy = false;
            if (this.order !== null)
            {
                this.describe();
            }
        }
    }
}
