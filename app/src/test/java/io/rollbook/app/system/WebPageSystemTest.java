package io.rollbook.app.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollbook.bench.load.DemoKeys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web trading page in a real headless Chromium against {@code rollbook run --demo}, whose bots keep the book
 * moving: the page loads and shows the demo market, refuses an order with the server's reason, places an order (signed
 * in the browser) that rests in the book and shows in the account view, trades into a position, and cancels; a lost
 * book delta makes it fetch a fresh snapshot; without {@code --demo} it is read-only. The order form sends a price or
 * size as typed and shows the server's reason for refusing it; an order placed elsewhere with a numeric clientId is
 * amended and canceled from the page; after the feed reconnects, the recent trades hold every trade once; with the service gone,
 * the ladder is greyed; a key the service refuses is named in the banner and the account view. On a quiet book (no
 * bots): an order is amended from the page (price and size, then size alone) as REST then shows it, its status and
 * every refusal named in words with the code in the title; the self-trade prevention and a market order's worst
 * price chosen in the form decide what the server does; the account panel shows the account's fee tier and default
 * self-trade prevention, and an operator's change of them as it happens.
 *
 * <p>The bots (accounts 105 to 108) quote within 0.1% of the oracle price and cross at most 0.12% through it; the
 * oracle price of BTC-USD stays within 10% of 50,000. The orders this test follows rest 20% below it, where no bot
 * order reaches, in a window tall enough that the ladder shows every bid level the bots (at most 24) and the test
 * can hold.
 */
@Tag("system")
class WebPageSystemTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String MARKET = "BTC-USD";
    private static final int PAGE_ACCOUNT = 101;
    private static final int MAKER_ACCOUNT = 102;
    private static final int TAKER_ACCOUNT = 103;
    private static final int WIDTH = 1440;
    private static final int TALL = 2600;
    private static final String LADDER_SCRIPT =
        "return [...document.querySelectorAll(arguments[0] + ' .ladder-row')].map(r => " +
        "[r.dataset.price, r.dataset.size, r.classList.contains('own')]);";
    private static final String ROW_TEXT_SCRIPT =
        "const row = document.querySelector(arguments[0]); return row ? row.innerText : null;";

    /**
     * Installed before the page's scripts: wraps WebSocket so that the test can drop the book delta that brings a
     * given bid price, and records what the page sends after that.
     */
    private static final String WIRE_TAP = String.join("\n",
        "window.rollbookWireTap = { dropBidAt: null, dropped: null, sentAfterDrop: [] };",
        "const NativeWebSocket = window.WebSocket;",
        "window.WebSocket = class extends NativeWebSocket {",
        "  send(data) {",
        "    const tap = window.rollbookWireTap;",
        "    const message = JSON.parse(data);",
        "    if (tap.dropped !== null && message.op !== 'ping') { tap.sentAfterDrop.push(message); }",
        "    return super.send(data);",
        "  }",
        "  set onmessage(handler) {",
        "    super.onmessage = (event) => {",
        "      const tap = window.rollbookWireTap;",
        "      const message = JSON.parse(event.data);",
        "      if (tap.dropBidAt !== null && message.channel === 'book' && message.type === 'delta' &&",
        "          message.bids.some(level => Number(level[0]) === tap.dropBidAt)) {",
        "        tap.dropBidAt = null;",
        "        tap.dropped = message.seq;",
        "        return;",
        "      }",
        "      handler.call(this, event);",
        "    };",
        "  }",
        "};");

    /**
     * Installed before the page's scripts: keeps the page's WebSockets, so that the test can close one or send on it,
     * and what they received.
     */
    private static final String SOCKET_TAP = String.join("\n",
        "window.rollbookSockets = [];",
        "window.rollbookSubscribed = [];",
        "window.rollbookReceived = [];",
        "const NativeWebSocket = window.WebSocket;",
        "window.WebSocket = class extends NativeWebSocket {",
        "  constructor(...args) {",
        "    super(...args);",
        "    window.rollbookSockets.push(this);",
        "    this.addEventListener('message', (event) => {",
        "      const message = JSON.parse(event.data);",
        "      window.rollbookReceived.push(message);",
        "      if (message.op === 'subscribed') { window.rollbookSubscribed.push(message.channel); }",
        "    });",
        "  }",
        "};");
    private static final String TRADES_SCRIPT =
        "return [...document.querySelectorAll('#trades .trade-row')].map(r => " +
        "[r.children[0].textContent.replaceAll(',', ''), r.children[1].textContent]);";

    @TempDir
    Path temp;

    @Test
    void anOrderPlacedFromThePageRestsInTheBookAndShowsInTheAccount() throws Exception
    {
        final DemoKeys keys = DemoKeys.load(null);
        try (RunProcess service = RunProcess.start(temp.resolve("data"), "--demo");
            WebDriver browser = WebDriver.launch(temp.resolve("profile"), WIDTH, TALL))
        {
            final SignedRest rest = new SignedRest(baseUrl(service));
            quoteAroundOracle(service, rest, keys);
            assertEquals(new ObjectMapper().readTree(Files.readString(Path.of("..", "config", "demo-keys.json"))),
                new ObjectMapper().readTree(rest.get("/demo-keys.json").body()), "--demo serves config/demo-keys.json");

            openPage(browser, service);
            assertTrue(browser.script("return document.title;").asText().contains(MARKET),
                "the title names the market");
            browser.find("#market-select option[value='" + MARKET + "']").click();
            browser.find("#account-select option[value='" + PAGE_ACCOUNT + "']").click();
            awaitBothSides(browser, "the market's bids and asks in the ladder");

            browser.find("#faucet").click();
            browser.await("the deposit in the account view", WAIT,
                () -> browser.find("#acct-collateral").text().equals("10,000.00") ? true : null);

            placeFromPage(browser, "limit", "40000.05", "0.25");
            final String refusal = awaitResult(browser, "rejected", "the refusal of a price off the tick");
            assertTrue(refusal.startsWith("Rejected · Invalid field"), refusal);
            assertEquals("INVALID_FIELD", resultCode(browser, "order-result"), "the code, kept in the title");
            assertTrue(refusal.contains("40000.05") && refusal.contains("0.1"),
                "the server's message names the price and the tick size: " + refusal);

            placeFromPage(browser, "limit", "40000", "0.25");
            final String accepted = awaitResult(browser, "ok", "the page's order to be accepted");
            assertTrue(accepted.startsWith("Open"), accepted);
            assertEquals("open", resultCode(browser, "order-result"), "the status, kept in the title");
            final String clientId = accepted.substring(accepted.lastIndexOf('(') + 1, accepted.lastIndexOf(')'));
            browser.await("the page's bid in the ladder, marked as the account's own", WAIT,
                () -> hasLevel(browser, "#book-bids", "40000", "0.25", true) ? true : null);
            final String orderRow = browser.await("the order in the open orders table", WAIT, () -> browser.script(
                ROW_TEXT_SCRIPT, "#orders tr[data-client-id='" + clientId + "']").textValue());
            assertTrue(orderRow.contains(MARKET) && orderRow.contains("Buy") && orderRow.contains("40,000.0") &&
                orderRow.contains("0.2500"), orderRow);
            // With no position yet, the resting bid's worst case is the account's whole initial requirement.
            browser.await("the resting bid's worst case in the margin summary", WAIT,
                () -> new BigDecimal(browser.find("#acct-oim").text().replace(",", "")).signum() > 0 ? true : null);

            placeFromPage(browser, "market", null, "0.01");
            final String filled = awaitResult(browser, "ok", "the page's market order to fill");
            assertTrue(filled.startsWith("Filled"), filled);
            final String positionRow = browser.await("the position in the account view", WAIT, () -> browser.script(
                ROW_TEXT_SCRIPT, "#positions tr[data-market='" + MARKET + "']").textValue());
            assertTrue(positionRow.contains("0.0100"), positionRow);
            browser.await("initial margin for the position", WAIT,
                () -> new BigDecimal(browser.find("#acct-im").text().replace(",", "")).signum() > 0 ? true : null);
            browser.await("the fill in the fills table", WAIT,
                () -> "1".equals(browser.find("#count-fills").text()) ? true : null);

            browser.windowSize(WIDTH, 1000);
            browser.screenshot(Path.of("target", "web-page.png"));
            browser.windowSize(WIDTH, TALL);

            browser.find(".tab[data-tab='orders']").click();
            // The account view rebuilds the open orders on every refresh.
            browser.click("#orders button[data-client-id='" + clientId + "']", WAIT);
            browser.await("the canceled order to leave the book and the open orders", WAIT,
                () -> !hasLevel(browser, "#book-bids", "40000", null, false) &&
                    browser.script(ROW_TEXT_SCRIPT, "#orders tr[data-client-id='" + clientId + "']").isNull() ?
                    true : null);
            assertEquals("0", browser.find("#count-orders").text());
        }
    }

    @Test
    void aLostBookDeltaIsNoticedAndTheLadderResynchronisedFromAFreshSnapshot() throws Exception
    {
        final DemoKeys keys = DemoKeys.load(null);
        try (RunProcess service = RunProcess.start(temp.resolve("data"), "--demo");
            WebDriver browser = WebDriver.launch(temp.resolve("profile"), WIDTH, TALL))
        {
            final SignedRest rest = new SignedRest(baseUrl(service));
            quoteAroundOracle(service, rest, keys);
            browser.beforeEveryPage(WIRE_TAP);
            openPage(browser, service);
            awaitBothSides(browser, "the market's book");

            browser.script("window.rollbookWireTap.dropBidAt = 41000;");
            makerOrder(rest, keys, "buy", "41000", "0.3", "gap-1");
            final long dropped = browser.await("the wire tap to drop the delta of the bid at 41,000", WAIT, () ->
            {
                final JsonNode seq = browser.script("return window.rollbookWireTap.dropped;");
                return seq.isNull() ? null : seq.asLong();
            });
            makerOrder(rest, keys, "buy", "40990", "0.2", "gap-2");

            browser.await("both new bids, the one of the lost delta too, after the resynchronisation", WAIT,
                () -> hasLevel(browser, "#book-bids", "41000", "0.3", false) &&
                    hasLevel(browser, "#book-bids", "40990", "0.2", false) ? true : null);
            assertEquals(new ObjectMapper().readTree("[" +
                "{\"op\":\"unsubscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}," +
                "{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}]"),
                browser.script("return window.rollbookWireTap.sentAfterDrop;"),
                "after the delta with seq " + dropped + " was lost the page asked for a new snapshot, once");
            assertEquals("false", property(browser, "book", "classList.contains('stale')"),
                "the ladder is current again");
        }
    }

    @Test
    void withoutDemoThePageIsReadOnlyAndNoKeyIsServed() throws Exception
    {
        try (RunProcess service = RunProcess.start(temp.resolve("data"));
            WebDriver browser = WebDriver.launch(temp.resolve("profile"), WIDTH, 1000))
        {
            assertEquals(404, new SignedRest(baseUrl(service)).get("/demo-keys.json").statusCode(),
                "demo keys are served only with --demo");
            openPage(browser, service);
            final String banner = browser.find("#banner").text();
            assertTrue(banner.contains("--demo"), banner);
            assertEquals("true", property(browser, "order-submit", "disabled"), "no order entry");
            assertEquals("true", property(browser, "account-select", "disabled"), "no account to pick");
        }
    }

    @Test
    void theOrderFormSendsWhatTheTraderTypedAndShowsTheServersReasonForIt() throws Exception
    {
        try (RunProcess service = RunProcess.start(temp.resolve("data"), "--demo");
            WebDriver browser = WebDriver.launch(temp.resolve("profile"), WIDTH, 1000))
        {
            openPage(browser, service);
            // A comma is neither a decimal point nor something to leave out: 1,5 is not an order for 15.
            placeFromPage(browser, "limit", "40000", "1,5");
            assertRefused(browser, "INVALID_FIELD", "size is not a plain decimal number: \"1,5\"");
            placeFromPage(browser, "limit", "40000", "-0.5");
            assertRefused(browser, "INVALID_FIELD", "size must be greater than zero, got -0.5");
            placeFromPage(browser, "limit", "4e4", "0.5");
            assertRefused(browser, "INVALID_FIELD", "price is not a plain decimal number: \"4e4\"");
            placeFromPage(browser, "limit", "40000", "");
            assertRefused(browser, "INVALID_INPUT", "Size: enter a number");
        }
    }

    @Test
    void anOrderPlacedElsewhereWithANumericClientIdIsAmendedAndCanceledFromThePage() throws Exception
    {
        final DemoKeys keys = DemoKeys.load(null);
        try (RunProcess service = RunProcess.start(temp.resolve("data"), "--demo");
            WebDriver browser = WebDriver.launch(temp.resolve("profile"), WIDTH, TALL))
        {
            final SignedRest rest = new SignedRest(baseUrl(service));
            service.awaitLine("demo:");
            deposit(rest, keys, PAGE_ACCOUNT);
            final JsonNode placed = order(rest, keys, PAGE_ACCOUNT, "buy", "30000", "0.01", 77);
            assertEquals("open", placed.path("status").asText(), placed.toString());

            openPage(browser, service);
            browser.find(".tab[data-tab='orders']").click();
            assertEquals("false", browser.await("the order with clientId 77 in the open orders", WAIT,
                () -> browser.script("const b = document.querySelector(\"#orders tr[data-client-id='77'] " +
                    "button[data-action='amend']\"); return b ? String(b.disabled) : null;").textValue()),
                "an amend offered for a numeric clientId too: it goes by order id");
            browser.click("#orders tr[data-client-id='77'] button[data-action='amend']", WAIT);
            amendFromPage(browser, "30100", null);
            awaitOutcome(browser, "amend-result", "ok", "the amend of the order with clientId 77 to be accepted");
            final JsonNode amended = openOrders(rest, keys, PAGE_ACCOUNT).get(0);
            assertEquals("30100", amended.path("price").asText(), amended.toString());
            assertEquals(placed.path("orderId").asLong(), amended.path("orderId").asLong(), amended.toString());
            browser.click("#orders button[data-client-id='77']", WAIT);
            browser.await("the order with clientId 77 to be canceled", WAIT, () ->
                browser.script(ROW_TEXT_SCRIPT, "#orders tr[data-client-id='77']").isNull() &&
                    openOrders(rest, keys, PAGE_ACCOUNT).isEmpty() ? true : null);
        }
    }

    @Test
    void anOrderIsAmendedFromThePageAndItsStatusIsShownInWords() throws Exception
    {
        final DemoKeys keys = DemoKeys.load(null);
        try (RunProcess service = RunProcess.start(temp.resolve("data"));
            WebDriver browser = WebDriver.launch(temp.resolve("profile"), WIDTH, TALL))
        {
            final SignedRest rest = new SignedRest(baseUrl(service));
            oracle(rest, keys, "50000");
            deposit(rest, keys, PAGE_ACCOUNT);
            deposit(rest, keys, TAKER_ACCOUNT);
            openTradingPageWithoutBots(browser, service);

            placeFromPage(browser, "limit", "40000", "0.25");
            final String accepted = awaitResult(browser, "ok", "the page's order to be accepted");
            final String clientId = accepted.substring(accepted.lastIndexOf('(') + 1, accepted.lastIndexOf(')'));
            final String row = "#orders tr[data-client-id='" + clientId + "']";
            browser.find(".tab[data-tab='orders']").click();
            awaitStatus(browser, row, "Open", "open");

            browser.click(row + " button[data-action='amend']", WAIT);
            assertEquals("false", property(browser, "amend-form", "hidden"), "the amend form opens");
            browser.find("#amend-submit").click();
            assertRefused(browser, "amend-result", "INVALID_INPUT", "Enter a new price, a new total size, or both.");

            amendFromPage(browser, "40000.05", null);
            assertRefused(browser, "amend-result", "INVALID_FIELD", "40000.05");
            assertEquals("40000", openOrder(rest, keys, clientId).path("price").asText(), "a refused amend changes nothing");

            amendFromPage(browser, "40100", "0.3");
            final String amended = awaitOutcome(browser, "amend-result", "ok", "the amend to be accepted");
            assertTrue(amended.startsWith("Amended"), amended);
            assertEquals("amended", resultCode(browser, "amend-result"));
            browser.await("the amended price and size in the open orders", WAIT, () ->
            {
                final String text = browser.script(ROW_TEXT_SCRIPT, row).textValue();
                return text != null && text.contains("40,100.0") && text.contains("0.3000") ? text : null;
            });
            final JsonNode afterAmend = openOrder(rest, keys, clientId);
            assertEquals("40100", afterAmend.path("price").asText(), afterAmend.toString());
            assertEquals("0.3", afterAmend.path("size").asText(), afterAmend.toString());
            assertEquals(1, openOrders(rest, keys, PAGE_ACCOUNT).size(), "the same order, amended in place");

            order(rest, keys, TAKER_ACCOUNT, "sell", "40100", "0.1", "t-1");
            awaitStatus(browser, row, "Partially filled", "partiallyFilled");

            // A new total size alone: the price stays, and what was filled counts against the size.
            amendFromPage(browser, null, "0.2");
            awaitOutcome(browser, "amend-result", "ok", "the amend of the size alone to be accepted");
            browser.await("the new size and remaining size in the open orders", WAIT, () ->
            {
                final String text = browser.script(ROW_TEXT_SCRIPT, row).textValue();
                return text != null && text.contains("0.2000") && text.contains("0.1000") ? text : null;
            });
            final JsonNode afterSize = openOrder(rest, keys, clientId);
            assertEquals("40100", afterSize.path("price").asText(), afterSize.toString());
            assertEquals("0.2", afterSize.path("size").asText(), afterSize.toString());
            assertEquals("0.1", afterSize.path("remaining").asText(), afterSize.toString());
            browser.windowSize(WIDTH, 1000);
            browser.screenshot(Path.of("target", "web-page-amend.png"));
        }
    }

    @Test
    void theSelfTradePreventionAndWorstPriceChosenInThePageReachTheServer() throws Exception
    {
        final DemoKeys keys = DemoKeys.load(null);
        try (RunProcess service = RunProcess.start(temp.resolve("data"));
            WebDriver browser = WebDriver.launch(temp.resolve("profile"), WIDTH, TALL))
        {
            final SignedRest rest = new SignedRest(baseUrl(service));
            oracle(rest, keys, "50000");
            deposit(rest, keys, PAGE_ACCOUNT);
            deposit(rest, keys, MAKER_ACCOUNT);
            order(rest, keys, PAGE_ACCOUNT, "buy", "40000", "0.01", "own-bid");
            openTradingPageWithoutBots(browser, service);

            // The account's default (expire taker): the page's sell stops at the account's own bid, which stays.
            placeFromPage(browser, "sell", "limit", "40000", "0.01");
            final String expiredTaker = awaitResult(browser, "ok", "the sell, expired by self-trade prevention");
            assertTrue(expiredTaker.startsWith("Canceled") &&
                expiredTaker.contains("self-trade prevention: Expire taker"), expiredTaker);
            assertEquals("[\"own-bid\"]", clientIds(openOrders(rest, keys, PAGE_ACCOUNT)));

            // Expire maker: the account's own bid is canceled and the sell rests in its place.
            browser.find("#order-stp option[value='expireMaker']").click();
            placeFromPage(browser, "sell", "limit", "40000", "0.01");
            final String expiredMaker = awaitResult(browser, "ok", "the sell that expired the account's own bid");
            assertTrue(expiredMaker.startsWith("Open") &&
                expiredMaker.contains("self-trade prevention: Expire maker"), expiredMaker);
            final String sell = expiredMaker.substring(expiredMaker.lastIndexOf('(') + 1,
                expiredMaker.lastIndexOf(')'));
            assertEquals("[\"" + sell + "\"]", clientIds(openOrders(rest, keys, PAGE_ACCOUNT)),
                "the own bid canceled, the sell resting");

            // A market buy's own worst price below the best ask: nothing trades; without one, the band lets it fill.
            rest.send("Rollbook-Account", Integer.toString(PAGE_ACCOUNT), keys.accountKey(indexOf(keys, PAGE_ACCOUNT)),
                "DELETE", "/v1/orders", null);
            browser.find("#order-stp option[value='accountDefault']").click();
            order(rest, keys, MAKER_ACCOUNT, "sell", "50000", "0.01", "ask-1");
            placeFromPage(browser, "buy", "market", "49000", "0.01");
            final String protectedBuy = awaitResult(browser, "ok", "the market buy stopped by its worst price");
            assertTrue(protectedBuy.startsWith("Canceled") && protectedBuy.contains("worst 49000"), protectedBuy);
            assertEquals("[\"ask-1\"]", clientIds(openOrders(rest, keys, MAKER_ACCOUNT)), "the ask untouched");
            browser.find("#order-worst-price").clear();
            placeFromPage(browser, "buy", "market", null, "0.01");
            final String filled = awaitResult(browser, "ok", "the market buy without a worst price to fill");
            assertTrue(filled.startsWith("Filled"), filled);
        }
    }

    @Test
    void theAccountPanelShowsTheAccountsSettingsAndFollowsTheOperatorsChangesLive() throws Exception
    {
        final DemoKeys keys = DemoKeys.load(null);
        try (RunProcess service = RunProcess.start(temp.resolve("data"));
            WebDriver browser = WebDriver.launch(temp.resolve("profile"), WIDTH, 1000))
        {
            final SignedRest rest = new SignedRest(baseUrl(service));
            openTradingPageWithoutBots(browser, service);
            awaitSettings(browser, "the defaults until an operator sets them", "0", "Expire taker", "expireTaker");
            awaitFeeRates(browser, "tier 0's rates (the default configuration's)", "maker 0.02% · taker 0.05%");

            // Another account's change is not this one's.
            accountSettings(rest, keys, Map.of("account", MAKER_ACCOUNT, "feeTier", 1, "stp", "expireMaker"));
            browser.script("window.rollbookSamePage = true;");
            accountSettings(rest, keys, Map.of("account", PAGE_ACCOUNT, "feeTier", 1, "stp", "expireBoth"));
            awaitSettings(browser, "the new fee tier and self-trade prevention", "1", "Expire both", "expireBoth");
            awaitFeeRates(browser, "tier 1's rates", "maker -0.01% (rebate) · taker 0.04%");

            // The operator changes the rates of the account's tier: the page shows them as they are released.
            rest.send("Rollbook-Operator", keys.operatorName(), keys.operatorKey(), "POST", "/v1/operator/fee-tiers",
                Map.of("tier", 1, "makerFee", "-0.0002", "takerFee", "0.0003"));
            awaitFeeRates(browser, "tier 1's new rates", "maker -0.02% (rebate) · taker 0.03%");

            // Only the self-trade prevention: the fee tier stays.
            accountSettings(rest, keys, Map.of("account", PAGE_ACCOUNT, "stp", "expireMaker"));
            awaitSettings(browser, "the new self-trade prevention, the fee tier kept", "1", "Expire maker",
                "expireMaker");
            assertTrue(browser.script("return window.rollbookSamePage === true;").asBoolean(),
                "the page followed the changes without a reload");
            final JsonNode settings = rest.send("Rollbook-Account", Integer.toString(PAGE_ACCOUNT),
                keys.accountKey(indexOf(keys, PAGE_ACCOUNT)), "GET", "/v1/account", null).path("settings");
            assertEquals(1, settings.path("feeTier").asInt(), "REST agrees: " + settings);
            assertEquals("expireMaker", settings.path("stp").asText(), "REST agrees: " + settings);
        }
    }

    @Test
    void afterTheFeedReconnectsTheRecentTradesHoldEveryTradeOnceAndTheLadderIsCurrent() throws Exception
    {
        final DemoKeys keys = DemoKeys.load(null);
        try (RunProcess service = RunProcess.start(temp.resolve("data"));
            WebDriver browser = WebDriver.launch(temp.resolve("profile"), WIDTH, TALL))
        {
            final SignedRest rest = new SignedRest(baseUrl(service));
            oracle(rest, keys, "50000");
            deposit(rest, keys, MAKER_ACCOUNT);
            deposit(rest, keys, TAKER_ACCOUNT);
            browser.beforeEveryPage(SOCKET_TAP);
            openPage(browser, service);
            browser.find("#market-select option[value='" + MARKET + "']").click();

            order(rest, keys, MAKER_ACCOUNT, "sell", "50000", "0.1", "a-1");
            order(rest, keys, TAKER_ACCOUNT, "buy", "50000", "0.1", "b-1");
            awaitTrades(browser, "the first trade, from the feed", "[[\"50000.0\",\"0.1000\"]]");

            browser.script("window.rollbookSockets[window.rollbookSockets.length - 1].close();");
            order(rest, keys, MAKER_ACCOUNT, "buy", "49000", "0.3", "bid-1");
            browser.await("the page's new connection and its trades subscription", WAIT,
                () -> browser.script("return window.rollbookSubscribed.filter(c => c === 'trades').length;")
                    .asInt() == 2 && "live".equals(browser.find("#conn-text").text()) ? true : null);
            browser.await("the bid placed while the feed was down, in the ladder", WAIT,
                () -> hasLevel(browser, "#book-bids", "49000", "0.3", false) ? true : null);

            // Two trades of one command: their messages, the first two of the new subscription, arrive together.
            order(rest, keys, MAKER_ACCOUNT, "sell", "50001", "0.1", "a-2");
            order(rest, keys, MAKER_ACCOUNT, "sell", "50002", "0.2", "a-3");
            order(rest, keys, TAKER_ACCOUNT, "buy", "50002", "0.3", "b-2");
            final String expected =
                "[[\"50002.0\",\"0.2000\"],[\"50001.0\",\"0.1000\"],[\"50000.0\",\"0.1000\"]]";
            awaitTrades(browser, "every trade once, the first after the reconnect too", expected);
            final JsonNode restTrades = new ObjectMapper().readTree(rest.get("/v1/markets/" + MARKET + "/trades").body())
                .path("trades");
            assertEquals(3, restTrades.size(), restTrades.toString());
            assertEquals("50001", restTrades.get(1).path("price").asText(), "REST agrees: " + restTrades);
        }
    }

    @Test
    void whenTheServiceStopsTheLadderIsGreyedRatherThanShownAsCurrent() throws Exception
    {
        final DemoKeys keys = DemoKeys.load(null);
        try (RunProcess service = RunProcess.start(temp.resolve("data"));
            WebDriver browser = WebDriver.launch(temp.resolve("profile"), WIDTH, TALL))
        {
            final SignedRest rest = new SignedRest(baseUrl(service));
            oracle(rest, keys, "50000");
            deposit(rest, keys, MAKER_ACCOUNT);
            order(rest, keys, MAKER_ACCOUNT, "buy", "49000", "0.3", "bid-1");
            openPage(browser, service);
            browser.find("#market-select option[value='" + MARKET + "']").click();
            browser.await("the bid in a current ladder", WAIT, () -> hasLevel(browser, "#book-bids", "49000", "0.3",
                false) && "false".equals(property(browser, "book", "classList.contains('stale')")) ? true : null);

            service.close();
            browser.await("the page to find the book unreadable over REST too", WAIT,
                () -> browser.find("#toasts").text().contains("Order book") ? true : null);
            // Whatever draws the ladder again (here the window's resize) must keep it greyed.
            browser.script("document.querySelector('#book-bids .ladder-row').dataset.before = 'resize';");
            browser.windowSize(WIDTH, TALL - 200);
            browser.await("the ladder drawn again after the resize", WAIT, () -> browser.script(
                "return document.querySelector('#book-bids .ladder-row[data-before]') === null;").asBoolean() ?
                true : null);
            assertEquals("true", property(browser, "book", "classList.contains('stale')"),
                "levels neither the feed nor REST vouches for are greyed");
            assertTrue(hasLevel(browser, "#book-bids", "49000", "0.3", false), "and still shown");
        }
    }

    @Test
    void aKeyTheServiceRefusesIsNamedWhereItStaysAndTheFeedAsksNoPrivateChannelWithIt() throws Exception
    {
        final Path config = temp.resolve("rollbook.json");
        final ObjectNode configuration;
        try (InputStream in = WebPageSystemTest.class.getResourceAsStream("/rollbook-default.json"))
        {
            configuration = (ObjectNode)new ObjectMapper().readTree(in);
        }
        // The service holds account 102's public key for 101: the page's demo key for 101 signs in vain.
        final ArrayNode accounts = (ArrayNode)configuration.path("keys").path("accounts");
        ((ObjectNode)accounts.get(0)).put("publicKey", accounts.get(1).path("publicKey").asText());
        assertEquals(PAGE_ACCOUNT, accounts.get(0).path("account").asInt());
        Files.writeString(config, configuration.toString());
        try (RunProcess service = RunProcess.start(temp.resolve("data"), "--demo", "--config", config.toString());
            WebDriver browser = WebDriver.launch(temp.resolve("profile"), WIDTH, 1000))
        {
            browser.beforeEveryPage(SOCKET_TAP);
            openPage(browser, service);
            browser.find("#account-select option[value='" + PAGE_ACCOUNT + "']").click();
            final String banner = browser.await("the refusal of the key in the banner", WAIT, () ->
            {
                final String text = browser.find("#banner").text();
                return text.contains("BAD_SIGNATURE") ? text : null;
            });
            assertTrue(banner.startsWith("Account " + PAGE_ACCOUNT + ": the service does not accept this page's key"),
                banner);
            assertEquals(banner, browser.find("#positions-empty").text(), "the account view says why it is empty");

            browser.await("the feed's refusal of the page's auth", WAIT, () -> browser.script(
                "return window.rollbookReceived.some(m => m.type === 'error' && m.code === 'BAD_SIGNATURE');")
                .asBoolean() ? true : null);
            // Answers come in order: once the pong of a later ping is in, every answer to what the page sent is.
            browser.script("window.rollbookSockets[window.rollbookSockets.length - 1].send('{\"op\":\"ping\"}');");
            browser.await("the pong", WAIT, () -> browser.script(
                "return window.rollbookReceived.some(m => m.op === 'pong');").asBoolean() ? true : null);
            assertEquals("[]", browser.script("return window.rollbookReceived.filter(m => m.type === 'error' && " +
                "m.code !== 'BAD_SIGNATURE').map(m => m.code);").toString(), "no private channel asked for in vain");
        }
    }

    private static String baseUrl(final RunProcess service) throws InterruptedException
    {
        return "http://127.0.0.1:" + service.port("http:");
    }

    private static void openPage(final WebDriver browser, final RunProcess service) throws InterruptedException
    {
        browser.open(baseUrl(service) + "/");
        browser.await("the page to load its markets and keys", WAIT,
            () -> "true".equals(browser.script("return document.body.dataset.ready || null;").asText()) ? true : null);
    }

    private static void placeFromPage(final WebDriver browser, final String type, final String price, final String size)
    {
        placeFromPage(browser, "buy", type, price, size);
    }

    /** Fills the order form and submits it; price: a limit order's price, a market order's worst price, or null. */
    private static void placeFromPage(final WebDriver browser, final String side, final String type,
        final String price, final String size)
    {
        browser.find("#side-" + side + " + label").click();
        browser.find("#type-" + type + " + label").click();
        if (price != null)
        {
            final WebDriver.Element priceInput = browser.find(type.equals("limit") ? "#order-price" :
                "#order-worst-price");
            priceInput.clear();
            priceInput.type(price);
        }
        final WebDriver.Element sizeInput = browser.find("#order-size");
        sizeInput.clear();
        sizeInput.type(size);
        browser.script("document.getElementById('order-result').hidden = true;");
        browser.find("#order-submit").click();
    }

    /**
     * Opens the page on a service without the demo (no bots: a quiet book the test alone trades on), with the demo
     * keys the page would get from {@code --demo} given to it in the browser, and picks the market and the page's
     * account.
     */
    private static void openTradingPageWithoutBots(final WebDriver browser, final RunProcess service)
        throws IOException, InterruptedException
    {
        final String demoKeys = Files.readString(Path.of("..", "config", "demo-keys.json"));
        browser.beforeEveryPage(String.join("\n",
            "(() => {",
            "  const keys = " + demoKeys + ";",
            "  const nativeFetch = window.fetch;",
            "  window.fetch = (input, init) => String(input) === '/demo-keys.json' ?",
            "    Promise.resolve(new Response(JSON.stringify(keys),",
            "      { status: 200, headers: { 'Content-Type': 'application/json' } })) :",
            "    nativeFetch.call(window, input, init);",
            "})();"));
        openPage(browser, service);
        browser.find("#market-select option[value='" + MARKET + "']").click();
        browser.find("#account-select option[value='" + PAGE_ACCOUNT + "']").click();
        browser.await("the page's account to be ready to trade", WAIT,
            () -> browser.find("#account-id").text().equals("#" + PAGE_ACCOUNT) &&
                "false".equals(property(browser, "order-submit", "disabled")) ? true : null);
    }

    /** Types a new price and/or size (null: left empty) into the amend form and submits it. */
    private static void amendFromPage(final WebDriver browser, final String price, final String size)
    {
        for (final String[] field : new String[][] {{"#amend-price", price}, {"#amend-size", size}})
        {
            final WebDriver.Element input = browser.find(field[0]);
            input.clear();
            if (field[1] != null)
            {
                input.type(field[1]);
            }
        }
        browser.script("document.getElementById('amend-result').hidden = true;");
        browser.find("#amend-submit").click();
    }

    /** Waits until the open order's status shows as that label, with the status code in its title. */
    private static void awaitStatus(final WebDriver browser, final String row, final String label,
        final String code) throws InterruptedException
    {
        final JsonNode want = new ObjectMapper().createArrayNode().add(label).add(code);
        browser.await("the order's status shown as \"" + label + "\" (" + code + ")", WAIT, () -> want.equals(
            browser.script("const cell = document.querySelector(arguments[0] + ' td[data-code]');" +
                "return cell ? [cell.innerText, cell.title] : null;", row)) ? true : null);
    }

    /** The account's open order with that clientId, from REST. */
    private static JsonNode openOrder(final SignedRest rest, final DemoKeys keys, final String clientId)
    {
        for (final JsonNode order : openOrders(rest, keys, PAGE_ACCOUNT))
        {
            if (clientId.equals(order.path("clientId").asText()))
            {
                return order;
            }
        }
        throw new AssertionError("no open order " + clientId + " of account " + PAGE_ACCOUNT);
    }

    /** The clientIds of orders, as a JSON array. */
    private static String clientIds(final JsonNode orders)
    {
        final ArrayNode ids = new ObjectMapper().createArrayNode();
        for (final JsonNode order : orders)
        {
            ids.add(order.path("clientId"));
        }
        return ids.toString();
    }

    /** The order result's text once it shows an outcome of that kind ("ok" or "rejected"). */
    private static String awaitResult(final WebDriver browser, final String kind, final String what)
        throws InterruptedException
    {
        return awaitOutcome(browser, "order-result", kind, what);
    }

    /** A result box's text (order entry's or amend's) once it shows an outcome of that kind ("ok" or "rejected"). */
    private static String awaitOutcome(final WebDriver browser, final String resultId, final String kind,
        final String what) throws InterruptedException
    {
        return browser.await(what, WAIT, () ->
        {
            final JsonNode result = browser.script("const r = document.getElementById(arguments[0]);" +
                "return r.hidden ? null : [r.dataset.kind, r.innerText];", resultId);
            return result.isNull() || !kind.equals(result.get(0).asText()) ? null : result.get(1).asText();
        });
    }

    /** The code a result box shows in words: the title of its label. */
    private static String resultCode(final WebDriver browser, final String resultId)
    {
        return browser.script("return document.querySelector('#' + arguments[0] + ' .code').title;", resultId)
            .asText();
    }

    private static void awaitBothSides(final WebDriver browser, final String what) throws InterruptedException
    {
        browser.await(what, WAIT,
            () -> levels(browser, "#book-bids").size() > 0 && levels(browser, "#book-asks").size() > 0 ? true : null);
    }

    /** An element's property (or expression on it), as text. */
    private static String property(final WebDriver browser, final String id, final String expression)
    {
        return browser.script("return String(document.getElementById(arguments[0])." + expression + ");", id).asText();
    }

    private static JsonNode levels(final WebDriver browser, final String side)
    {
        return browser.script(LADDER_SCRIPT, side);
    }

    /** Whether a ladder side has a level at price (compared as numbers) with that size (null: any) and own mark. */
    private static boolean hasLevel(final WebDriver browser, final String side, final String price, final String size,
        final boolean own)
    {
        for (final JsonNode row : levels(browser, side))
        {
            if (new BigDecimal(row.get(0).asText()).compareTo(new BigDecimal(price)) == 0 &&
                (size == null || new BigDecimal(row.get(1).asText()).compareTo(new BigDecimal(size)) == 0) &&
                (!own || row.get(2).asBoolean()))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Once the demo has set its first oracle prices: funds the maker (account 102) and has it quote 0.5 either side
     * of the oracle price, 2% away (beyond where the bots quote or cross), so that the book has both sides and a
     * market order finds liquidity whatever the bots have resting at that moment.
     */
    private static void quoteAroundOracle(final RunProcess service, final SignedRest rest, final DemoKeys keys)
        throws Exception
    {
        service.awaitLine("demo:");
        deposit(rest, keys, MAKER_ACCOUNT);
        BigDecimal oracle = null;
        for (final JsonNode market : new ObjectMapper().readTree(rest.get("/v1/markets").body()).path("markets"))
        {
            if (MARKET.equals(market.path("market").asText()))
            {
                oracle = new BigDecimal(market.path("oraclePrice").asText());
            }
        }
        assertTrue(oracle != null && oracle.signum() > 0, "the demo set the oracle price of " + MARKET);
        makerOrder(rest, keys, "buy", oracle.multiply(new BigDecimal("0.98")).setScale(1, RoundingMode.DOWN)
            .toPlainString(), "0.5", "quote-b");
        makerOrder(rest, keys, "sell", oracle.multiply(new BigDecimal("1.02")).setScale(1, RoundingMode.UP)
            .toPlainString(), "0.5", "quote-a");
    }

    private static void makerOrder(final SignedRest rest, final DemoKeys keys, final String side, final String price,
        final String size, final String clientId) throws Exception
    {
        final JsonNode answer = order(rest, keys, MAKER_ACCOUNT, side, price, size, clientId);
        assertEquals("open", answer.path("status").asText(), answer.toString());
    }

    /** A GTC limit order of the account, signed with its demo key; clientId a string or a number. */
    private static JsonNode order(final SignedRest rest, final DemoKeys keys, final int account, final String side,
        final String price, final String size, final Object clientId) throws Exception
    {
        return rest.send("Rollbook-Account", Integer.toString(account), keys.accountKey(indexOf(keys, account)), "POST",
            "/v1/orders", Map.of("market", MARKET, "side", side, "type", "limit", "price", price, "size", size,
                "tif", "gtc", "clientId", clientId));
    }

    /**
     * Waits until the account panel shows that fee tier and self-trade prevention (its label, the code in the title),
     * and the order form's "Account default" names the same mode.
     */
    private static void awaitSettings(final WebDriver browser, final String what, final String feeTier,
        final String stpLabel, final String stpCode) throws InterruptedException
    {
        final JsonNode want = new ObjectMapper().createArrayNode().add(feeTier).add(stpLabel).add(stpCode)
            .add("Account default (" + stpLabel + ")");
        final String script = "const stp = document.getElementById('acct-stp');" +
            "return [document.getElementById('acct-fee-tier').innerText, stp.innerText, stp.title," +
            "document.querySelector(\"#order-stp option[value='accountDefault']\").textContent];";
        try
        {
            browser.await(what, WAIT, () -> want.equals(browser.script(script)) ? true : null);
        }
        catch (final AssertionError ex)
        {
            throw new AssertionError(ex.getMessage() + "\nthe page shows " + browser.script(script), ex);
        }
    }

    /** Waits until the account panel shows those rates of the account's fee tier. */
    private static void awaitFeeRates(final WebDriver browser, final String what, final String rates)
        throws InterruptedException
    {
        final String script = "return document.getElementById('acct-fee-rates').innerText;";
        try
        {
            browser.await(what, WAIT, () -> rates.equals(browser.script(script).asText()) ? true : null);
        }
        catch (final AssertionError ex)
        {
            throw new AssertionError(ex.getMessage() + "\nthe page shows " + browser.script(script), ex);
        }
    }

    /** POST /v1/operator/account-settings, signed by the demo operator. */
    private static void accountSettings(final SignedRest rest, final DemoKeys keys, final Map<String, Object> body)
        throws Exception
    {
        rest.send("Rollbook-Operator", keys.operatorName(), keys.operatorKey(), "POST",
            "/v1/operator/account-settings", body);
    }

    /** The account's open orders from REST; unchecked, for a condition the browser polls. */
    private static JsonNode openOrders(final SignedRest rest, final DemoKeys keys, final int account)
    {
        try
        {
            return rest.send("Rollbook-Account", Integer.toString(account), keys.accountKey(indexOf(keys, account)),
                "GET", "/v1/orders", null).path("orders");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        catch (final IOException | GeneralSecurityException ex)
        {
            throw new IllegalStateException("GET /v1/orders: " + ex.getMessage(), ex);
        }
    }

    private static void oracle(final SignedRest rest, final DemoKeys keys, final String price) throws Exception
    {
        rest.send("Rollbook-Operator", keys.operatorName(), keys.operatorKey(), "POST", "/v1/operator/oracle",
            Map.of("market", MARKET, "price", price));
    }

    private static void deposit(final SignedRest rest, final DemoKeys keys, final int account) throws Exception
    {
        rest.send("Rollbook-Operator", keys.operatorName(), keys.operatorKey(), "POST", "/v1/operator/deposits",
            Map.of("account", account, "amount", "1000000"));
    }

    /** The order result, once it shows a refusal, carries that code and text from the message. */
    private static void assertRefused(final WebDriver browser, final String code, final String message)
        throws InterruptedException
    {
        assertRefused(browser, "order-result", code, message);
    }

    /**
     * The result box (order entry's or amend's), once it shows a refusal, names the code in words, keeps the code in
     * the title, and carries that text from the message.
     */
    private static void assertRefused(final WebDriver browser, final String resultId, final String code,
        final String message) throws InterruptedException
    {
        final String refusal = awaitOutcome(browser, resultId, "rejected", "the refusal with " + code);
        final String label = code.charAt(0) + code.substring(1).toLowerCase(Locale.ROOT).replace('_', ' ');
        assertTrue(refusal.startsWith("Rejected · " + label) && refusal.contains(message), refusal);
        assertEquals(code, resultCode(browser, resultId), "the code, kept in the title of " + refusal);
    }

    /** Waits until the recent trades list is exactly expected (JSON: [price, size] rows, newest first, as shown). */
    private static void awaitTrades(final WebDriver browser, final String what, final String expected)
        throws Exception
    {
        final JsonNode want = new ObjectMapper().readTree(expected);
        try
        {
            browser.await(what, WAIT, () -> want.equals(browser.script(TRADES_SCRIPT)) ? true : null);
        }
        catch (final AssertionError ex)
        {
            throw new AssertionError(ex.getMessage() + "\nthe page shows " + browser.script(TRADES_SCRIPT), ex);
        }
    }

    private static int indexOf(final DemoKeys keys, final int account)
    {
        for (int i = 0; i < keys.accountCount(); i++)
        {
            if (keys.account(i) == account)
            {
                return i;
            }
        }
        throw new AssertionError("no demo key for account " + account);
    }
}
