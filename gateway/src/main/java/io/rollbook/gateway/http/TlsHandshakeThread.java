package io.rollbook.gateway.http;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The one thread on which the TLS engine does the work of handshakes (the key exchange and the certificate
 * signature), handed over by each connection's {@link io.netty.handler.ssl.SslHandler}. That work takes several
 * milliseconds of CPU a handshake on a small machine: on the event loops, which the binary sessions of market makers
 * share, every client that connects would hold up their orders that long. On a thread of its own, the loops keep
 * serving while it works, and however many clients connect at once, handshakes take at most this one thread.
 *
 * <p>Thread-safe. {@link #close()} once the port is closed; a handshake handed over after that fails its connection.
 */
final class TlsHandshakeThread implements Executor, AutoCloseable
{
    private final ExecutorService thread =
        Executors.newSingleThreadExecutor(new DefaultThreadFactory("rollbook-tls-handshakes", true));
    private final AtomicLong tasks = new AtomicLong();

    @Override
    public void execute(final Runnable task)
    {
        thread.execute(() ->
        {
            tasks.incrementAndGet();
            task.run();
        });
    }

    /**
     * @return pieces of handshake work run so far; any thread
     */
    long tasksRun()
    {
        return tasks.get();
    }

    @Override
    public void close()
    {
        thread.shutdown();
    }
}
