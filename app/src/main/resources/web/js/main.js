// The trading page: wires the REST API, the WebSocket feed, the book, the chart, order entry and the account view.
// Everything runs on the page's one thread; state lives in the `state` object below and only these handlers
// change it.

import { ApiError, getPublic, signed } from './api.js';
import { BookState } from './book.js';
import { PriceChart } from './chart.js';
import { decimalsOf, formatDecimal, toUnits } from './decimal.js';
import { $, banner, el, toast } from './dom.js';
import { Feed } from './feed.js';
import { renderLadder } from './ladder.js';
import { OrderEntry } from './order-entry.js';
import { AmendForm } from './amend-form.js';
import { clearAccount, renderAccount, renderFeeRates, renderOrders, renderSettings } from './account-view.js';
import { codeElement } from './labels.js';
import { Signer, signingUnavailableReason } from './signer.js';

const ACCOUNT_REFRESH_MS = 3000;
const MARKETS_REFRESH_MS = 5000;
const REST_FALLBACK_MS = 2000;
const MAX_TRADES = 60;
const FAUCET_AMOUNT = '10000';

const state = {
    markets: new Map(),
    market: null,
    book: null,
    trades: [],
    tradesFromFeed: false,
    tradesSeq: null,
    lastTradePrice: null,
    keys: null,
    signer: null,
    operator: null,
    orders: [],
    ownPrices: new Set(),
    feedState: 'connecting',
    accountLoading: false,
    accountDirty: false,
    keyRefused: false,
    /** The account's settings as the account channel last gave them; null: not known. */
    settings: null,
    /** Every fee tier's rates by tier, as the account channel gives them (its snapshot, then each definition). */
    feeTiers: new Map(),
    ladderPending: false,
    feedErrors: new Map(),
};

const feed = new Feed(onFeedMessage, onFeedState);
const chart = new PriceChart($('chart'));
const entry = new OrderEntry(placeOrder, bestOpposite);
const amendForm = new AmendForm(amendOrder, () => state.markets);

function market()
{
    return state.markets.get(state.market);
}

// ---- markets -------------------------------------------------------------------------------------------------

async function loadMarkets()
{
    const answer = await getPublic('/v1/markets');
    for (const spec of answer.markets)
    {
        const known = state.markets.get(spec.market);
        state.markets.set(spec.market, known ? Object.assign(known, spec) : spec);
    }
}

async function loadMarketsUntilDone()
{
    for (;;)
    {
        try
        {
            await loadMarkets();
            banner(null);
            return;
        }
        catch (failure)
        {
            banner('Cannot load the markets: ' + failure.message + ' Retrying…', true);
            await new Promise((resolve) => setTimeout(resolve, 2000));
        }
    }
}

function fillMarketPicker()
{
    const select = $('market-select');
    select.replaceChildren(...[...state.markets.keys()].map((symbol) => el('option', { value: symbol }, symbol)));
    select.addEventListener('change', () => selectMarket(select.value));
}

function selectMarket(symbol)
{
    if (state.market)
    {
        for (const channel of ['book', 'trades', 'oracle'])
        {
            feed.unsubscribe(channel, state.market);
        }
    }
    const spec = state.markets.get(symbol);
    state.market = symbol;
    $('market-select').value = symbol;
    localStorage.setItem('rollbook.market', symbol);
    state.book = new BookState(symbol, spec.tickSize, spec.lotSize);
    state.trades = [];
    state.tradesFromFeed = false;
    state.tradesSeq = null;
    state.lastTradePrice = null;
    chart.reset(decimalsOf(spec.tickSize), spec.oraclePrice);
    entry.setMarket(spec);
    renderTrades();
    renderStats();
    computeOwnPrices();
    scheduleLadder();
    for (const channel of ['book', 'trades', 'oracle'])
    {
        feed.subscribe(channel, symbol);
    }
    loadRestBook(symbol);
    loadRestTrades(symbol);
}

function renderStats()
{
    const spec = market();
    if (!spec)
    {
        return;
    }
    const priceDecimals = decimalsOf(spec.tickSize);
    $('stat-last').textContent = state.lastTradePrice ? formatDecimal(state.lastTradePrice, priceDecimals) : '—';
    $('stat-oracle').textContent = spec.oraclePrice ? formatDecimal(spec.oraclePrice, priceDecimals) : 'none yet';
    $('stat-funding').textContent = spec.fundingRate === undefined || spec.fundingRate === null ? '—' :
        (Number(spec.fundingRate) * 100).toFixed(4) + ' %';
    $('stat-tick').textContent = spec.tickSize;
    $('stat-lot').textContent = spec.lotSize;
    document.title = (state.lastTradePrice ? formatDecimal(state.lastTradePrice, priceDecimals) + ' ' : '') +
        spec.market + ' · Rollbook';
}

// ---- book ----------------------------------------------------------------------------------------------------

async function loadRestBook(symbol)
{
    try
    {
        const book = await getPublic('/v1/markets/' + encodeURIComponent(symbol) + '/book?depth=50');
        if (state.market === symbol && (state.book.seq === null || state.book.stale))
        {
            state.book.applyRest(book);
            scheduleLadder();
        }
    }
    catch (failure)
    {
        if (state.market === symbol && state.book.stale)
        {
            // Neither the feed nor REST vouches for the levels on screen: grey them.
            state.book.restFailed();
            scheduleLadder();
        }
        reportOnce('book', 'Order book', failure);
    }
}

function onBookMessage(message)
{
    const book = state.book;
    if (message.type === 'snapshot')
    {
        book.applySnapshot(message);
    }
    else if (book.applyDelta(message) === 'gap')
    {
        // A lost delta would leave a wrong book on screen: ask for a new snapshot and grey the ladder until then.
        feed.resubscribe('book', message.market);
    }
    $('book-seq').textContent = book.seq === null ? '' : 'seq ' + book.seq;
    scheduleLadder();
}

function scheduleLadder()
{
    if (state.ladderPending)
    {
        return;
    }
    state.ladderPending = true;
    requestAnimationFrame(() =>
    {
        state.ladderPending = false;
        if (state.book)
        {
            const nodes = {
                root: $('book'),
                asks: $('book-asks'),
                bids: $('book-bids'),
                mid: $('spread-mid'),
                spread: $('spread-value'),
            };
            renderLadder(state.book, nodes, state.ownPrices, (price) => entry.setPrice(price));
            entry.refresh();
        }
    });
}

function bestOpposite(side)
{
    if (!state.book)
    {
        return null;
    }
    const levels = state.book.levels(side === 'buy' ? 'asks' : 'bids', 1);
    return levels.length ? levels[0].price : null;
}

// ---- trades and oracle ---------------------------------------------------------------------------------------

/** A trade as the list keeps it, named by the market's channel sequence (REST `seq`, WebSocket `marketSeq`). */
function listed(trade, marketSeq)
{
    return { marketSeq, price: trade.price, size: trade.size, side: trade.side };
}

async function loadRestTrades(symbol)
{
    try
    {
        const answer = await getPublic('/v1/markets/' + encodeURIComponent(symbol) + '/trades');
        if (state.market === symbol)
        {
            mergeTrades((answer.trades || []).map((trade) => listed(trade, trade.seq)));
        }
    }
    catch (failure)
    {
        reportOnce('trades', 'Recent trades', failure);
    }
}

/**
 * Trades into the list, newest first, each once. REST answers and feed messages overlap and arrive in either order
 * (at the start, after a reconnect or a lost message), so neither replaces the other: the channel sequence tells
 * which trades the list already holds.
 */
function mergeTrades(trades)
{
    const known = new Set(state.trades.map((trade) => trade.marketSeq));
    const full = state.trades.length >= MAX_TRADES;
    const oldest = full ? state.trades[state.trades.length - 1].marketSeq : -1;
    const added = trades.filter((trade) => !known.has(trade.marketSeq) && trade.marketSeq > oldest);
    if (added.length === 0)
    {
        return;
    }
    const newest = state.trades.length ? state.trades[0].marketSeq : null;
    const byNewest = (a, b) => b.marketSeq - a.marketSeq;
    state.trades = [...added, ...state.trades].sort(byNewest).slice(0, MAX_TRADES);
    state.lastTradePrice = state.trades[0].price;
    if (newest !== null && added.every((trade) => trade.marketSeq > newest))
    {
        for (const trade of added.sort(byNewest).reverse())
        {
            chart.trade(trade.price);
        }
    }
    else
    {
        chart.history(state.trades.map((trade) => trade.price).reverse());
    }
    renderTrades();
    renderStats();
}

function onTradesMessage(message)
{
    // A subscription numbers its trades from 1 without gaps: a first trade, or one that does not follow the last
    // (a lost message, or the new subscription of a reconnect), means trades the feed did not bring: REST has them.
    if (state.tradesSeq === null || message.seq !== state.tradesSeq + 1)
    {
        loadRestTrades(state.market);
    }
    state.tradesSeq = message.seq;
    state.tradesFromFeed = true;
    mergeTrades([listed(message, message.marketSeq)]);
}

function renderTrades()
{
    const spec = market();
    const priceDecimals = spec ? decimalsOf(spec.tickSize) : 0;
    const sizeDecimals = spec ? decimalsOf(spec.lotSize) : 0;
    const rows = state.trades.map((trade) => el('div', { class: 'trade-row ' + trade.side },
        el('span', { class: 'price' }, formatDecimal(trade.price, priceDecimals)),
        el('span', {}, formatDecimal(trade.size, sizeDecimals)),
        el('span', { class: 'side' }, trade.side === 'buy' ? 'buy' : 'sell')));
    $('trades').replaceChildren(...(rows.length ? rows : [el('p', { class: 'empty' }, 'No trades yet.')]));
}

/** The oracle channel: a snapshot (oraclePrice, fundingRate), then the market's oracle and funding events. */
function onOracleMessage(message)
{
    const spec = state.markets.get(message.market);
    if (!spec)
    {
        return;
    }
    const event = message.event || {};
    const snapshot = message.type === 'snapshot';
    const price = snapshot ? message.oraclePrice : (event.type === 'oracle' ? event.price : undefined);
    const rate = snapshot ? message.fundingRate : (event.type === 'funding' ? event.rate : undefined);
    if (rate !== undefined && rate !== null)
    {
        spec.fundingRate = rate;
    }
    if (price !== undefined && price !== null && (price !== spec.oraclePrice || message.type !== 'snapshot'))
    {
        spec.oraclePrice = price;
        if (message.market === state.market)
        {
            chart.oracle(price);
        }
    }
    if (message.market === state.market)
    {
        renderStats();
    }
}

// ---- feed ----------------------------------------------------------------------------------------------------

function onFeedMessage(message)
{
    if (message.type === 'error')
    {
        reportOnce('feed ' + message.code, 'Market data', new ApiError(0, message.code, message.message));
        return;
    }
    if (message.op)
    {
        // Acknowledgements (subscribed, unsubscribed, pong): the data that follows them is what counts.
        return;
    }
    switch (message.channel)
    {
        case 'book':
            if (message.market === state.market)
            {
                onBookMessage(message);
            }
            break;
        case 'trades':
            if (message.market === state.market)
            {
                onTradesMessage(message);
            }
            break;
        case 'oracle':
            onOracleMessage(message);
            break;
        case 'account':
            onAccountSettingsMessage(message);
            break;
        case 'orders':
        case 'fills':
        case 'positions':
        case 'balances':
            refreshAccount();
            break;
        default:
            break;
    }
}

/**
 * The account channel: a snapshot of the account's settings and of every fee tier's rates, then each
 * accountConfigured event of the account and each feeTierDefined event. Every settings message gives both settings as
 * they now are, so the latest one is all the page needs; one of an account no longer selected (a connection being
 * replaced) is ignored. Tier rates are public: any connection's are current.
 */
function onAccountSettingsMessage(message)
{
    if (message.type === 'snapshot')
    {
        state.feeTiers = new Map((message.feeTiers || []).map((tier) => [tier.tier, tier]));
    }
    else if (message.event && message.event.type === 'feeTierDefined')
    {
        state.feeTiers.set(message.event.tier, message.event);
        if (state.settings && state.settings.feeTier === message.event.tier)
        {
            renderFeeRates(message.event);
        }
        return;
    }
    const settings = message.type === 'snapshot' ? message.settings :
        (message.event && message.event.type === 'accountConfigured' ? message.event : null);
    if (settings && state.signer && String(settings.account) === state.signer.id)
    {
        showSettings(settings);
    }
}

/**
 * The account's settings in the account panel (with its tier's rates) and in the order form's "Account default";
 * null: not known.
 */
function showSettings(settings)
{
    state.settings = settings;
    renderSettings(settings);
    entry.setAccountDefaultStp(settings ? settings.stp : null);
    renderFeeRates(settings ? state.feeTiers.get(settings.feeTier) || null : null);
}

function onFeedState(feedState, text)
{
    state.feedState = feedState;
    $('conn').dataset.state = feedState;
    $('conn-text').textContent = text;
    if (feedState === 'live')
    {
        // Subscribing again on the new connection starts the trades from 1: until one comes, REST keeps the list.
        state.tradesSeq = null;
        state.tradesFromFeed = false;
    }
    if (feedState !== 'live' && state.book)
    {
        state.book.stale = true;
        scheduleLadder();
    }
}

/**
 * REST keeps the ladder and the trades current while the feed is down or has not sent them yet (or, for the book,
 * has lost a delta); once the feed delivers, it updates them.
 */
function restFallback()
{
    if (!state.market)
    {
        return;
    }
    const live = state.feedState === 'live';
    if (state.book.seq === null || state.book.stale)
    {
        loadRestBook(state.market);
    }
    if (!live || !state.tradesFromFeed)
    {
        loadRestTrades(state.market);
    }
}

function reportOnce(key, title, failure)
{
    const now = Date.now();
    if ((state.feedErrors.get(key) || 0) > now - 30000)
    {
        return;
    }
    state.feedErrors.set(key, now);
    toast('error', refusal(title + ': ', failure), failure.message);
}

// ---- accounts ------------------------------------------------------------------------------------------------

async function loadKeys()
{
    const select = $('account-select');
    const why = signingUnavailableReason();
    let keys = null;
    try
    {
        keys = await getPublic('/demo-keys.json');
    }
    catch (failure)
    {
        const message = failure.status === 404 ?
            'Read-only: this service serves no demo keys. ' +
                'Start it with ./rollbook run --demo to trade from this page.' :
            'Cannot load the demo keys: ' + failure.message;
        select.replaceChildren(el('option', { value: '' }, 'no keys'));
        select.disabled = true;
        entry.setEnabled(false, 'Read-only (no keys)');
        clearAccount('No account: this page has no keys to sign with.');
        banner(message, failure.status !== 404);
        return;
    }
    if (why)
    {
        select.replaceChildren(el('option', { value: '' }, 'cannot sign'));
        select.disabled = true;
        entry.setEnabled(false, 'Cannot sign here');
        clearAccount(why);
        banner(why, true);
        return;
    }
    state.keys = keys;
    select.replaceChildren(...keys.accounts.map((account) =>
        el('option', { value: String(account.account) }, account.account + ' (demo)')));
    select.addEventListener('change', () => selectAccount(select.value));
    try
    {
        if (keys.operator && keys.operator.privateKey)
        {
            state.operator = await Signer.fromHex('Rollbook-Operator', keys.operator.name, keys.operator.privateKey);
            $('faucet').hidden = false;
        }
        const saved = localStorage.getItem('rollbook.account');
        const first = keys.accounts.some((a) => String(a.account) === saved) ? saved : String(keys.accounts[0].account);
        await selectAccount(first);
    }
    catch (failure)
    {
        // WebCrypto without Ed25519 (browsers before 2025) refuses the key import.
        select.disabled = true;
        entry.setEnabled(false, 'Cannot sign here');
        banner('This browser cannot sign with Ed25519 (' + failure.message + '): use a current Chromium, Firefox ' +
            'or Safari to trade from this page.', true);
    }
}

async function selectAccount(id)
{
    const key = state.keys.accounts.find((a) => String(a.account) === String(id));
    $('account-select').value = String(id);
    localStorage.setItem('rollbook.account', String(id));
    const signer = await Signer.fromHex('Rollbook-Account', key.account, key.privateKey);
    state.signer = signer;
    $('account-id').textContent = '#' + key.account;
    clearAccount();
    showSettings(null);
    amendForm.close();
    state.ownPrices = new Set();
    scheduleLadder();
    feed.setAccount(signer);
    entry.setEnabled(true);
    await refreshAccount();
}

/** Account and open orders; one request pair at a time, and one more if something changed meanwhile. */
async function refreshAccount()
{
    if (!state.signer)
    {
        return;
    }
    if (state.accountLoading)
    {
        state.accountDirty = true;
        return;
    }
    state.accountLoading = true;
    const signer = state.signer;
    try
    {
        const [account, orders] = await Promise.all([
            signed(signer, 'GET', '/v1/account'),
            signed(signer, 'GET', '/v1/orders'),
        ]);
        if (signer === state.signer)
        {
            if (state.keyRefused)
            {
                state.keyRefused = false;
                banner(null);
            }
            renderAccount(account, state.markets);
            state.orders = orders.orders || [];
            showOrders();
            computeOwnPrices();
            scheduleLadder();
        }
    }
    catch (failure)
    {
        if (failure.status === 401 && signer === state.signer)
        {
            // Every request of this account will be refused alike: say so where it stays, and show no figures that
            // can no longer be kept current.
            const why = 'Account ' + signer.id + ': the service does not accept this page\'s key for it, so nothing ' +
                'can be read or traded (' + failure.code + ': ' + failure.message + ').';
            state.keyRefused = true;
            clearAccount(why);
            showSettings(null);
            state.orders = [];
            showOrders();
            computeOwnPrices();
            scheduleLadder();
            banner(why, true);
        }
        else
        {
            reportOnce('account', 'Account', failure);
        }
    }
    finally
    {
        state.accountLoading = false;
        if (state.accountDirty)
        {
            state.accountDirty = false;
            refreshAccount();
        }
    }
}

function showOrders()
{
    renderOrders(state.orders, state.markets, cancelOrder, (order) => amendForm.open(order));
    amendForm.sync(state.orders);
}

/** A toast's title for a refusal: the code's label, the code in its title. */
function refusal(title, failure)
{
    return el('span', {}, title, codeElement('span', {}, failure.code || 'ERROR'));
}

function computeOwnPrices()
{
    const spec = market();
    state.ownPrices = new Set();
    if (!spec)
    {
        return;
    }
    for (const order of state.orders)
    {
        if (order.market === spec.market)
        {
            state.ownPrices.add(order.side + ' ' + toUnits(order.price, decimalsOf(spec.tickSize)));
        }
    }
}

async function placeOrder(command)
{
    command.account = Number(state.signer.id);
    try
    {
        return await signed(state.signer, 'POST', '/v1/orders', command);
    }
    finally
    {
        refreshAccount();
    }
}

async function amendOrder(order, body)
{
    // By order id, as the cancel: an order placed (by another client of the account) with a numeric clientId has no
    // clientId path.
    const path = '/v1/order-ids/' + encodeURIComponent(String(order.orderId));
    try
    {
        return await signed(state.signer, 'PATCH', path, body);
    }
    finally
    {
        refreshAccount();
    }
}

async function cancelOrder(order)
{
    // By order id: an order placed (by another client of the account) with a numeric clientId has no clientId path.
    const path = '/v1/order-ids/' + encodeURIComponent(String(order.orderId));
    try
    {
        await signed(state.signer, 'DELETE', path);
        toast('ok', 'Canceled', order.side + ' ' + order.remaining + ' ' + order.market + ' @ ' + order.price +
            ' (' + order.clientId + ')');
    }
    catch (failure)
    {
        toast('error', refusal('Cancel refused: ', failure), failure.message);
    }
    finally
    {
        refreshAccount();
    }
}

async function cancelAll()
{
    const button = $('cancel-all');
    button.disabled = true;
    try
    {
        const answer = await signed(state.signer, 'DELETE', '/v1/orders');
        const count = answer && answer.canceled !== undefined ? answer.canceled + ' canceled' : '';
        toast('ok', 'Canceled all open orders', count);
    }
    catch (failure)
    {
        toast('error', refusal('Cancel all refused: ', failure), failure.message);
    }
    finally
    {
        button.disabled = false;
        refreshAccount();
    }
}

async function faucet()
{
    const button = $('faucet');
    button.disabled = true;
    try
    {
        await signed(state.operator, 'POST', '/v1/operator/deposits',
            { account: Number(state.signer.id), amount: FAUCET_AMOUNT });
        toast('ok', 'Deposited', formatDecimal(FAUCET_AMOUNT, 2) + ' USDC to account ' + state.signer.id +
            ' (demo operator)');
    }
    catch (failure)
    {
        toast('error', refusal('Deposit refused: ', failure), failure.message);
    }
    finally
    {
        button.disabled = false;
        refreshAccount();
    }
}

// ---- page ----------------------------------------------------------------------------------------------------

function wireTabs()
{
    for (const tab of document.querySelectorAll('.tab'))
    {
        tab.addEventListener('click', () =>
        {
            for (const other of document.querySelectorAll('.tab'))
            {
                other.setAttribute('aria-selected', String(other === tab));
            }
            for (const body of document.querySelectorAll('.tab-body'))
            {
                body.hidden = body.dataset.body !== tab.dataset.tab;
            }
        });
    }
    $('cancel-all').addEventListener('click', cancelAll);
    $('faucet').addEventListener('click', faucet);
    window.addEventListener('resize', scheduleLadder);
}

async function start()
{
    wireTabs();
    entry.setEnabled(false, 'Loading…');
    clearAccount();
    await loadMarketsUntilDone();
    fillMarketPicker();
    feed.connect();
    const saved = localStorage.getItem('rollbook.market');
    selectMarket(state.markets.has(saved) ? saved : state.markets.keys().next().value);
    await loadKeys();
    setInterval(refreshAccount, ACCOUNT_REFRESH_MS);
    setInterval(restFallback, REST_FALLBACK_MS);
    setInterval(async () =>
    {
        try
        {
            await loadMarkets();
            renderStats();
        }
        catch (failure)
        {
            reportOnce('markets', 'Markets', failure);
        }
    }, MARKETS_REFRESH_MS);
    document.body.dataset.ready = 'true';
}

start();
