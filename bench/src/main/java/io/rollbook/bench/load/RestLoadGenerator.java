package io.rollbook.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLContext;

import io.rollbook.bench.BenchmarkReport;
import io.rollbook.client.ConnectFailures;
import io.rollbook.gateway.http.RequestSigning;
import org.HdrHistogram.Histogram;

/**
 * Signed order placements over the trader API's REST side against a running service: each connection is one
 * account (the demo keys) that sends {@code POST /v1/orders/batch} with {@code batch} limit orders (one order per
 * request with {@code --batch 1} goes to {@code POST /v1/orders}), one request at a time on its keep-alive
 * connection, and cancels them all ({@code DELETE /v1/orders}) once about 500 are open, so the book and the
 * account's open orders (at most 1,000 in the default configuration) stay bounded. Quotes rest away from the mid
 * and never cross, so no order is refused for margin.
 *
 * <p>Counts orders the service accepted (answered 200) per second of the measured period; latency is each order
 * request's round trip, signing excluded, measured from the moment it is sent (a closed loop: a slow answer delays
 * the next request rather than being counted against it). Prints progress to the log and returns the RESULT line.
 */
public final class RestLoadGenerator
{
    /** How many orders a connection leaves open before it cancels them all. */
    private static final int OPEN_ORDERS = 500;

    private final Options options;
    private final PrintStream log;

    /**
     * What to run.
     */
    public static final class Options
    {
        public String host = "127.0.0.1";
        public int port = 8080;
        public int connections = 4;
        public int batch = 100;
        public int durationSeconds = 10;
        public int warmupSeconds = 2;
        public String market = "BTC-USD";
        public String mid = "50000";
        public String tick = "0.1";
        public java.nio.file.Path keys;
        /** Speak HTTPS (the service's {@code http.tls}). */
        public boolean tls;
        /** PEM certificates to trust over HTTPS (a self-signed one); null: the JVM's trusted authorities. */
        public java.nio.file.Path tlsTrust;
    }

    public RestLoadGenerator(final Options options, final PrintStream log)
    {
        this.options = options;
        this.log = log;
    }

    /**
     * @return the RESULT line
     */
    public String run() throws InterruptedException
    {
        final DemoKeys keys = DemoKeys.load(options.keys);
        if (options.connections < 1 || options.connections > keys.accountCount())
        {
            throw new IllegalArgumentException("--connections must be from 1 to " + keys.accountCount() +
                " (one demo account each)");
        }
        if (options.batch < 1)
        {
            throw new IllegalArgumentException("--batch must be positive");
        }
        final String base = (options.tls ? "https://" : "http://") + options.host + ":" + options.port;
        final SSLContext tls = options.tls ? TrustedCertificates.context(options.tlsTrust) : null;
        final String keySource = DemoKeys.source(options.keys);
        final Signer operator = new Signer(tls, base, RequestSigning.OPERATOR_HEADER, keys.operatorName(),
            keys.operatorKey(), keySource);
        operator.expectOk("POST", "/v1/operator/oracle",
            "{\"market\":\"" + options.market + "\",\"price\":\"" + options.mid + "\"}");
        final List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < options.connections; i++)
        {
            operator.expectOk("POST", "/v1/operator/deposits",
                "{\"account\":" + keys.account(i) + ",\"amount\":\"100000000\"}");
            workers.add(new Worker(i, new Signer(tls, base, RequestSigning.ACCOUNT_HEADER,
                Integer.toString(keys.account(i)), keys.accountKey(i), keySource)));
        }
        final List<Thread> threads = new ArrayList<>();
        for (final Worker worker : workers)
        {
            final Thread thread = new Thread(worker, "rest-load-" + worker.index);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        log.printf("rest load: %d connection(s), %d order(s) per request, warm-up %d s%n", options.connections,
            options.batch, options.warmupSeconds);
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.warmupSeconds));
        for (final Worker worker : workers)
        {
            worker.measuring = true;
        }
        final long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.durationSeconds));
        for (final Worker worker : workers)
        {
            worker.measuring = false;
        }
        final long elapsedNs = System.nanoTime() - start;
        stop.set(true);
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        }
        final Histogram latency = BenchmarkReport.newLatencyHistogram();
        long orders = 0;
        long refused = 0;
        long requests = 0;
        for (final Worker worker : workers)
        {
            if (worker.failure != null)
            {
                // A refusal's own message says it all; anything else is named with its kind.
                throw new IllegalStateException("connection " + worker.index + " failed: " +
                    (worker.failure instanceof IllegalStateException ? worker.failure.getMessage() : worker.failure),
                    worker.failure);
            }
            latency.add(worker.latency);
            orders += worker.orders;
            refused += worker.refused;
            requests += worker.requests;
        }
        final double seconds = elapsedNs / 1e9;
        log.printf("rest load: %d orders accepted, %d refused, in %d requests over %.1f s; request latency p50 %.2f ms " +
            "p99 %.2f ms%n", orders, refused, requests, seconds, latency.getValueAtPercentile(50) / 1e6,
            latency.getValueAtPercentile(99) / 1e6);
        return BenchmarkReport.resultLine("rest", orders / seconds, latency);
    }

    private final AtomicBoolean stop = new AtomicBoolean();

    /**
     * Sends signed requests for one account over its own client (one keep-alive connection at a time).
     */
    private static final class Signer
    {
        private final HttpClient client;
        private final String base;
        private final String header;
        private final String id;
        private final PrivateKey key;
        private final String keySource;

        /**
         * @param tls       the TLS context for HTTPS, or null for plain HTTP
         * @param keySource where the key comes from, named when the service refuses it
         */
        Signer(final SSLContext tls, final String base, final String header, final String id, final PrivateKey key,
            final String keySource)
        {
            final HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
            if (tls != null)
            {
                builder.sslContext(tls);
            }
            this.client = builder.build();
            this.base = base;
            this.header = header;
            this.id = id;
            this.key = key;
            this.keySource = keySource;
        }

        HttpRequest request(final String method, final String path, final String body)
        {
            final long now = System.currentTimeMillis();
            return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header(header, id)
                .header(RequestSigning.TIMESTAMP_HEADER, Long.toString(now))
                .header(RequestSigning.SIGNATURE_HEADER, RequestSigning.sign(key, now, method, path, body))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() :
                    HttpRequest.BodyPublishers.ofString(body))
                .build();
        }

        HttpResponse<String> send(final HttpRequest request) throws IOException, InterruptedException
        {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }

        void expectOk(final String method, final String path, final String body) throws InterruptedException
        {
            try
            {
                expectOk(method, path, send(request(method, path, body)));
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot reach the trader API at " + base + ": " +
                    ConnectFailures.reason(ex), ex);
            }
        }

        /**
         * A refused key is the key file's: a 401 names where the key came from as well as the account.
         */
        void expectOk(final String method, final String path, final HttpResponse<String> response)
        {
            if (response.statusCode() != 200)
            {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " +
                    response.body() + (response.statusCode() == 401 ? " (" + header + " " + id +
                    ", with the key from " + keySource + ")" : ""));
            }
        }
    }

    private final class Worker implements Runnable
    {
        final int index;
        final Signer signer;
        final Histogram latency = BenchmarkReport.newLatencyHistogram();
        volatile boolean measuring;
        long orders;
        long refused;
        long requests;
        Exception failure;
        private long clientIds;
        /**
         * Two characters that differ between runs a second or more apart, in front of every clientId, so that a
         * second run against the same service does not reuse the ids of the first one's (remembered) orders.
         */
        private final String runTag = Long.toString(36 * 36 + System.currentTimeMillis() / 1000 % (36 * 36), 36)
            .substring(1);

        Worker(final int index, final Signer signer)
        {
            this.index = index;
            this.signer = signer;
        }

        @Override
        public void run()
        {
            try
            {
                final BigDecimal mid = new BigDecimal(options.mid);
                final BigDecimal tick = new BigDecimal(options.tick);
                final int cancelEvery = Math.max(1, OPEN_ORDERS / options.batch);
                long sent = 0;
                // An earlier run against the same service may have left orders open: start from none.
                cancelAll();
                while (!stop.get())
                {
                    final StringBuilder body = new StringBuilder(options.batch * 120);
                    body.append(options.batch > 1 ? "[" : "");
                    for (int i = 0; i < options.batch; i++)
                    {
                        final boolean buy = (i & 1) == 0;
                        final BigDecimal price = mid.add(tick.multiply(BigDecimal.valueOf(
                            (buy ? -1 : 1) * (100 + (i >> 1)))));
                        body.append(i == 0 ? "" : ",").append("{\"market\":\"").append(options.market)
                            .append("\",\"side\":\"").append(buy ? "buy" : "sell").append("\",\"price\":\"")
                            .append(price.toPlainString()).append("\",\"size\":\"0.001\",\"clientId\":\"")
                            .append(runTag).append(Long.toString(clientIds++ & 0xFFF_FFFFL, 36)).append("\"}");
                    }
                    body.append(options.batch > 1 ? "]" : "");
                    final HttpRequest request = signer.request("POST", options.batch > 1 ? "/v1/orders/batch" :
                        "/v1/orders", body.toString());
                    final boolean counting = measuring;
                    final long sentNs = System.nanoTime();
                    final HttpResponse<String> response = signer.send(request);
                    final long tookNs = System.nanoTime() - sentNs;
                    final int accepted = count(response.body(), options.batch > 1 ? "\"httpStatus\":200" : "\"seq\":");
                    signer.expectOk("POST", request.uri().getPath(), response);
                    if (counting && measuring)
                    {
                        latency.recordValue(Math.min(tookNs, latency.getHighestTrackableValue()));
                        orders += accepted;
                        refused += options.batch - accepted;
                        requests++;
                    }
                    if (++sent % cancelEvery != 0)
                    {
                        continue;
                    }
                    cancelAll();
                }
            }
            catch (final Exception ex)
            {
                if (!stop.get())
                {
                    failure = ex;
                }
            }
        }

        private void cancelAll() throws IOException, InterruptedException
        {
            final String path = "/v1/orders?market=" + options.market;
            signer.expectOk("DELETE", path, signer.send(signer.request("DELETE", path, "")));
        }
    }

    private static int count(final String text, final String needle)
    {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length()))
        {
            count++;
        }
        return needle.equals("\"seq\":") ? Math.min(count, 1) : count;
    }
}
