package io.rollbook.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollbook.bench.load.DemoKeys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web trading page in a real headless Chromium against {@code rollbook run --demo}: the page loads, its ladder
 * shows the market a maker seeded over REST, and an order placed from the page (signed in the browser) rests in the
 * book and shows in the account view; a refused order shows the server's reason; a cancel from the page takes it
 * out again.
 */
@Tag("system")
class WebPageSystemTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String MARKET = "BTC-USD";
    private static final int PAGE_ACCOUNT = 101;
    private static final int MAKER_ACCOUNT = 102;
    private static final String LADDER_SCRIPT =
        "return [...document.querySelectorAll(arguments[0] + ' .ladder-row')].map(r => " +
        "[r.dataset.price, r.dataset.size, r.classList.contains('own')]);";

    /**
     * Installed before the page's scripts: wraps WebSocket so that the test can drop the next book delta the page
     * would receive, and records what the page sends after that.
     */
    private static final String WIRE_TAP = String.join("\n",
        "window.rollbookWireTap = { dropNextBookDelta: false, dropped: null, sentAfterDrop: [] };",
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
        "      if (tap.dropNextBookDelta && message.channel === 'book' && message.type === 'delta') {",
        "        tap.dropNextBookDelta = false;",
        "        tap.dropped = message.seq;",
        "        return;",
        "      }",
        "      handler.call(this, event);",
        "    };",
        "  }",
        "};");

    @TempDir
    Path temp;

    @Test
    void anOrderPlacedFromThePageRestsInTheBookAndShowsInTheAccount() throws Exception
    {
        final DemoKeys keys = DemoKeys.load(null);
        try (ServiceProcess service = ServiceProcess.start(temp.resolve("data"), "--demo");
            WebDriver browser = WebDriver.launch(temp.resolve("profile"), 1440, 1000))
        {
            final SignedRest rest = seedMarket(service, keys);
            final JsonNode keysServed = new ObjectMapper().readTree(rest.get("/demo-keys.json").body());
            assertEquals(new ObjectMapper().readTree(Files.readString(Path.of("..", "config", "demo-keys.json"))),
                keysServed, "--demo serves config/demo-keys.json");

            browser.open(service.baseUrl() + "/");
            browser.await("the page to load its markets and keys", WAIT,
                () -> "true".equals(browser.script("return document.body.dataset.ready || null;").asText()) ? true : null);
            assertTrue(browser.script("return document.title;").asText().contains(MARKET), "the title names the market");
            browser.find("#market-select option[value='" + MARKET + "']").click();
            browser.find("#account-select option[value='" + PAGE_ACCOUNT + "']").click();

            browser.await("the seeded bid and ask in the ladder", WAIT,
                () -> hasLevel(browser, "#book-bids", "49990", "0.5", false) &&
                    hasLevel(browser, "#book-asks", "50010", "0.5", false) ? true : null);

            browser.find("#faucet").click();
            browser.await("the deposit in the account view", WAIT,
                () -> browser.find("#acct-collateral").text().equals("10,000.00") ? true : null);

            placeFromPage(browser, "limit", "49995.55", "0.25");
            final String refusal = awaitResult(browser, "rejected", "the refusal of a price off the tick");
            assertTrue(refusal.contains("Rejected"), refusal);
            assertTrue(refusal.contains("0.1"), "the server's message names the tick size: " + refusal);

            placeFromPage(browser, "limit", "49995.5", "0.25");
            final String accepted = awaitResult(browser, "ok", "the page's order to be accepted");
            assertTrue(accepted.startsWith("OPEN"), accepted);
            final String clientId = accepted.substring(accepted.lastIndexOf('(') + 1, accepted.lastIndexOf(')'));

            browser.await("the page's order as the best bid, marked as the account's own", WAIT,
                () -> hasLevel(browser, "#book-bids", "49995.5", "0.25", true) ? true : null);
            assertEquals("49,995.5", browser.find("#book-bids .ladder-row:first-child .price").text(),
                "the page's bid is the best bid");
            final String orderRow = browser.await("the order in the open orders table", WAIT,
                () -> browser.script("const row = document.querySelector('#orders tr[data-client-id=\"' + arguments[0] + '\"]');" +
                    "return row ? row.innerText : null;", clientId).textValue());
            assertTrue(orderRow.contains(MARKET) && orderRow.contains("Buy") && orderRow.contains("49,995.5") &&
                orderRow.contains("0.2500"), orderRow);

            placeFromPage(browser, "market", null, "0.1");
            final String filled = awaitResult(browser, "ok", "the page's market order to fill");
            assertTrue(filled.startsWith("FILLED"), filled);
            final String positionRow = browser.await("the position in the account view", WAIT,
                () -> browser.script("const row = document.querySelector('#positions tr[data-market=\"' + arguments[0] + '\"]');" +
                    "return row ? row.innerText : null;", MARKET).textValue());
            assertTrue(positionRow.contains("0.1000") && positionRow.contains("50,010.0"), positionRow);
            browser.await("initial margin for the position", WAIT,
                () -> new BigDecimal(browser.find("#acct-im").text().replace(",", "")).signum() > 0 ? true : null);
            browser.await("the trade in recent trades", WAIT,
                () -> browser.find("#trades .trade-row .price").text().equals("50,010.0") ? true : null);
            browser.await("the maker's ask reduced by the fill", WAIT,
                () -> hasLevel(browser, "#book-asks", "50010", "0.4", false) ? true : null);

            browser.screenshot(Path.of("target", "web-page.png"));

            browser.find(".tab[data-tab='orders']").click();
            browser.find("#orders button[data-client-id='" + clientId + "']").click();
            browser.await("the canceled order to leave the book and the open orders", WAIT,
                () -> !hasLevel(browser, "#book-bids", "49995.5", null, false) &&
                    browser.script("return document.querySelector('#orders tr[data-client-id=\"' + arguments[0] + '\"]');",
                        clientId).isNull() ? true : null);
            assertTrue(hasLevel(browser, "#book-bids", "49990", "0.5", false), "the maker's bid stays");
        }
    }

    @Test
    void aLostBookDeltaIsNoticedAndTheLadderResynchronisedFromAFreshSnapshot() throws Exception
    {
        final DemoKeys keys = DemoKeys.load(null);
        try (ServiceProcess service = ServiceProcess.start(temp.resolve("data"), "--demo");
            WebDriver browser = WebDriver.launch(temp.resolve("profile"), 1280, 900))
        {
            final SignedRest rest = seedMarket(service, keys);
            browser.beforeEveryPage(WIRE_TAP);
            browser.open(service.baseUrl() + "/");
            browser.await("the seeded ladder", WAIT, () -> hasLevel(browser, "#book-bids", "49990", "0.5", false) &&
                hasLevel(browser, "#book-asks", "50010", "0.5", false) ? true : null);

            browser.script("window.rollbookWireTap.dropNextBookDelta = true;");
            makerOrder(rest, keys, "buy", "49980", "0.3", "gap-1");
            final long dropped = browser.await("the wire tap to drop the delta of the new bid", WAIT,
                () -> browser.script("return window.rollbookWireTap.dropped;").isNull() ? null :
                    browser.script("return window.rollbookWireTap.dropped;").asLong());
            assertTrue(browser.script(LADDER_SCRIPT, "#book-bids").toString().indexOf("49980") < 0,
                "the dropped delta's level is not shown");

            makerOrder(rest, keys, "buy", "49970", "0.2", "gap-2");
            browser.await("both new bids, the one of the lost delta too, after the resynchronisation", WAIT,
                () -> hasLevel(browser, "#book-bids", "49980", "0.3", false) &&
                    hasLevel(browser, "#book-bids", "49970", "0.2", false) ? true : null);
            final JsonNode sent = browser.script("return window.rollbookWireTap.sentAfterDrop;");
            assertEquals(new ObjectMapper().readTree("[{\"op\":\"unsubscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}," +
                "{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}]"), sent,
                "after the delta with seq " + dropped + " was lost the page asked for a new snapshot, once");
            assertTrue(hasLevel(browser, "#book-bids", "49990", "0.5", false) &&
                hasLevel(browser, "#book-asks", "50010", "0.5", false), "the other levels are intact");
        }
    }

    @Test
    void withoutDemoThePageIsReadOnlyAndNoKeyIsServed() throws Exception
    {
        try (ServiceProcess service = ServiceProcess.start(temp.resolve("data"));
            WebDriver browser = WebDriver.launch(temp.resolve("profile"), 1280, 800))
        {
            final SignedRest rest = new SignedRest(service.baseUrl());
            assertEquals(404, rest.get("/demo-keys.json").statusCode(), "demo keys are served only with --demo");

            browser.open(service.baseUrl() + "/");
            browser.await("the page to load", WAIT,
                () -> "true".equals(browser.script("return document.body.dataset.ready || null;").asText()) ? true : null);
            final String banner = browser.find("#banner").text();
            assertTrue(banner.contains("--demo"), banner);
            assertEquals("true", browser.script("return String(document.getElementById('order-submit').disabled);").asText());
        }
    }

    private static void placeFromPage(final WebDriver browser, final String type, final String price, final String size)
    {
        browser.find("#side-buy + label").click();
        browser.find("#type-" + type + " + label").click();
        if (price != null)
        {
            final WebDriver.Element priceInput = browser.find("#order-price");
            priceInput.clear();
            priceInput.type(price);
        }
        final WebDriver.Element sizeInput = browser.find("#order-size");
        sizeInput.clear();
        sizeInput.type(size);
        browser.script("document.getElementById('order-result').hidden = true;");
        browser.find("#order-submit").click();
    }

    /** The order result's text once it shows an outcome of that kind ("ok" or "rejected"). */
    private static String awaitResult(final WebDriver browser, final String kind, final String what)
        throws InterruptedException
    {
        return browser.await(what, WAIT, () ->
        {
            final JsonNode result = browser.script("const r = document.getElementById('order-result');" +
                "return r.hidden ? null : [r.dataset.kind, r.innerText];");
            return result.isNull() || !kind.equals(result.get(0).asText()) ? null : result.get(1).asText();
        });
    }

    /** Whether a ladder side has a level at price (compared as numbers) with that size (null: any) and own mark. */
    private static boolean hasLevel(final WebDriver browser, final String side, final String price, final String size,
        final boolean own)
    {
        for (final JsonNode row : browser.script(LADDER_SCRIPT, side))
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

    /** Oracle price 50000, a funded maker (account 102) with a bid at 49990 and an ask at 50010, both 0.5. */
    private static SignedRest seedMarket(final ServiceProcess service, final DemoKeys keys) throws Exception
    {
        final SignedRest rest = new SignedRest(service.baseUrl());
        final String operator = keys.operatorName();
        final PrivateKey operatorKey = keys.operatorKey();
        rest.send("Rollbook-Operator", operator, operatorKey, "POST", "/v1/operator/oracle",
            Map.of("market", MARKET, "price", "50000"));
        rest.send("Rollbook-Operator", operator, operatorKey, "POST", "/v1/operator/deposits",
            Map.of("account", MAKER_ACCOUNT, "amount", "1000000"));
        makerOrder(rest, keys, "buy", "49990", "0.5", "seed-b");
        makerOrder(rest, keys, "sell", "50010", "0.5", "seed-a");
        return rest;
    }

    private static void makerOrder(final SignedRest rest, final DemoKeys keys, final String side, final String price,
        final String size, final String clientId) throws Exception
    {
        final JsonNode answer = rest.send("Rollbook-Account", Integer.toString(MAKER_ACCOUNT),
            keys.accountKey(indexOf(keys, MAKER_ACCOUNT)), "POST", "/v1/orders", Map.of("market", MARKET, "side", side,
                "type", "limit", "price", price, "size", size, "tif", "gtc", "clientId", clientId));
        assertEquals("open", answer.path("status").asText(), answer.toString());
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
