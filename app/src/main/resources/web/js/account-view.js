// The account view: margin summary, positions, open orders (with their status, amend and cancel) and recent
// fills, from GET /v1/account and GET /v1/orders; the account's settings (fee tier, default self-trade prevention)
// and its tier's rates from the account channel of the WebSocket feed.

import { $, el } from './dom.js';
import { decimalsOf, formatDecimal, formatMoney, fromUnits, signOf, toUnits } from './decimal.js';
import { codeElement } from './labels.js';

function priceDecimals(markets, symbol)
{
    const market = markets.get(symbol);
    return market ? decimalsOf(market.tickSize) : 0;
}

function sizeDecimals(markets, symbol)
{
    const market = markets.get(symbol);
    return market ? decimalsOf(market.lotSize) : 0;
}

function signed(text, node)
{
    const sign = signOf(text);
    node.classList.add(sign > 0 ? 'buy-text' : (sign < 0 ? 'sell-text' : 'muted'));
    return node;
}

function sideCell(side)
{
    return el('td', { class: side === 'buy' ? 'buy-text' : 'sell-text' }, side === 'buy' ? 'Buy' : 'Sell');
}

function fill(tableId, emptyId, countId, rows)
{
    $(tableId).replaceChildren(...rows);
    $(emptyId).hidden = rows.length > 0;
    $(countId).textContent = String(rows.length);
}

export function clearAccount(message)
{
    for (const id of ['acct-equity', 'acct-collateral', 'acct-free', 'acct-im', 'acct-oim', 'acct-mm', 'acct-usage'])
    {
        $(id).textContent = '—';
    }
    $('acct-usage-bar').style.width = '0';
    fill('positions', 'positions-empty', 'count-positions', []);
    fill('orders', 'orders-empty', 'count-orders', []);
    fill('fills', 'fills-empty', 'count-fills', []);
    $('positions-empty').textContent = message || 'No open positions.';
}

/**
 * The account's settings (the account channel's snapshot, or an accountConfigured event, which gives both as they
 * now are), or null for none known: the fee tier by its number (its rates: renderFeeRates) and the default
 * self-trade prevention by its label, the code in the title.
 */
export function renderSettings(settings)
{
    const tier = settings ? settings.feeTier : undefined;
    $('acct-fee-tier').textContent = tier === undefined || tier === null ? '—' : String(tier);
    const stp = $('acct-stp');
    if (settings && settings.stp)
    {
        stp.replaceWith(codeElement('dd', { id: 'acct-stp' }, settings.stp));
    }
    else
    {
        stp.replaceWith(el('dd', { id: 'acct-stp' }, '—'));
    }
}

/**
 * The rates of the account's fee tier (a tier of the account channel's snapshot, or a feeTierDefined event), or
 * null for none known: as percentages of the notional, exact (the server's fractions have at most 6 decimals), a
 * negative maker rate named a rebate.
 */
export function renderFeeRates(feeTier)
{
    $('acct-fee-rates').textContent = feeTier ?
        'maker ' + percent(feeTier.makerFee) + (signOf(feeTier.makerFee) < 0 ? ' (rebate)' : '') +
        ' · taker ' + percent(feeTier.takerFee) : '—';
}

function percent(fraction)
{
    const units = toUnits(fraction, 6);
    return units === null ? String(fraction) : fromUnits(units, 4).replace(/\.?0+$/, '') + '%';
}

export function renderAccount(account, markets)
{
    // An empty demo account can only trade once funded: point at the deposit button.
    const unfunded = signOf(account.collateral) === 0 && (account.positions || []).length === 0;
    $('faucet').classList.toggle('attention', unfunded);
    $('acct-equity').textContent = formatMoney(account.equity);
    $('acct-collateral').textContent = formatMoney(account.collateral);
    $('acct-free').textContent = formatMoney(account.freeCollateral);
    $('acct-im').textContent = formatMoney(account.initialMargin);
    $('acct-oim').textContent = formatMoney(account.openOrdersInitialMargin);
    $('acct-mm').textContent = formatMoney(account.maintenanceMargin);
    // Usage counts the open orders' worst case, as free collateral does: 100 % is where orders start to be refused.
    const equity = Number(account.equity);
    const initial = Number(account.initialMargin) + Number(account.openOrdersInitialMargin);
    const usage = equity > 0 ? initial / equity * 100 : (initial > 0 ? 100 : 0);
    $('acct-usage').textContent = usage.toFixed(1) + ' %';
    const bar = $('acct-usage-bar');
    bar.style.width = Math.min(usage, 100) + '%';
    bar.className = usage >= 80 ? 'danger' : (usage >= 50 ? 'warn' : '');

    $('positions-empty').textContent = 'No open positions.';
    const positions = (account.positions || []).filter((p) => signOf(p.size) !== 0);
    fill('positions', 'positions-empty', 'count-positions', positions.map((p) =>
    {
        const pd = priceDecimals(markets, p.market);
        const market = markets.get(p.market);
        return el('tr', { 'data-market': p.market },
            el('td', {}, p.market),
            signed(p.size, el('td', { class: 'num' }, formatDecimal(p.size, sizeDecimals(markets, p.market)))),
            el('td', { class: 'num' }, formatDecimal(p.entryPrice, pd)),
            el('td', { class: 'num' }, formatDecimal(p.oraclePrice || (market && market.oraclePrice), pd)),
            signed(p.unrealizedPnl, el('td', { class: 'num' }, p.unrealizedPnl ? formatMoney(p.unrealizedPnl) : '—')),
            el('td', { class: 'num' }, p.liquidationPrice ? formatDecimal(p.liquidationPrice, pd) : '—'),
            el('td', {}, p.margin === 'isolated' ? 'Isolated ' + formatMoney(p.isolatedMargin || '0') : 'Cross'));
    }));

    const fills = account.fills || [];
    fill('fills', 'fills-empty', 'count-fills', fills.map((f) =>
    {
        const role = f.role || f.liquidity || (f.maker === true ? 'maker' : (f.maker === false ? 'taker' : ''));
        return el('tr', {},
            el('td', {}, f.market),
            sideCell(f.side),
            el('td', { class: 'num' }, formatDecimal(f.price, priceDecimals(markets, f.market))),
            el('td', { class: 'num' }, formatDecimal(f.size, sizeDecimals(markets, f.market))),
            el('td', {}, role),
            el('td', { class: 'num' }, f.fee === undefined ? '—' : formatMoney(f.fee)),
            el('td', { class: 'mono muted' }, f.seq === undefined ? '' : String(f.seq)));
    }));
}

/**
 * @param onCancel called with the order to cancel; it returns a promise
 * @param onAmend  called with the order to amend
 */
export function renderOrders(orders, markets, onCancel, onAmend)
{
    fill('orders', 'orders-empty', 'count-orders', orders.map((o) =>
    {
        const button = el('button',
            { type: 'button', class: 'link-button danger', 'data-client-id': String(o.clientId) }, 'Cancel');
        button.addEventListener('click', async () =>
        {
            button.disabled = true;
            try
            {
                await onCancel(o);
            }
            finally
            {
                button.disabled = false;
            }
        });
        const amend = el('button', { type: 'button', class: 'link-button', 'data-action': 'amend',
            'aria-controls': 'amend-form', 'aria-label': 'Amend order ' + o.clientId, onclick: () => onAmend(o) },
        'Amend');
        const pd = priceDecimals(markets, o.market);
        const sd = sizeDecimals(markets, o.market);
        return el('tr', { 'data-client-id': String(o.clientId), 'data-market': o.market },
            el('td', {}, o.market),
            sideCell(o.side),
            el('td', { class: 'num' }, formatDecimal(o.price, pd)),
            el('td', { class: 'num' }, formatDecimal(o.size, sd)),
            el('td', { class: 'num' }, formatDecimal(o.remaining, sd)),
            codeElement('td', {}, o.status || 'open'),
            el('td', { class: 'mono' }, String(o.clientId)),
            el('td', { class: 'mono muted' }, String(o.orderId)),
            el('td', { class: 'num' }, el('span', { class: 'actions' }, amend, button)));
    }));
    $('cancel-all').hidden = orders.length === 0;
}
