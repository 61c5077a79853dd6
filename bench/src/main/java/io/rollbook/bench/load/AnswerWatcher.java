package io.rollbook.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import io.rollbook.client.RollbookClient;

/**
 * Wakes a driver parked until its next send as soon as an answer arrives on one of its connections, so that the
 * answer is timed when it comes and not when the driver next wakes to send. Without it, at low rates an answer
 * waits up to a whole send interval to be read, and that wait counts in its latency (a millisecond at 1,000/s).
 *
 * <p>A thread of its own blocks in a selector over the connections. When one becomes readable it unparks the
 * driver, then waits for the driver to finish a pass over its connections (which reads what came) before it
 * selects again: the selector reports a connection as long as it has unread bytes, so it must not select while the
 * driver has yet to read them. That is two wakes per answer more, which only low rates can afford; the driver
 * starts a watcher only then.
 */
final class AnswerWatcher implements AutoCloseable
{
    private final Selector selector;
    private final Thread driver;
    private final Thread thread;
    private volatile boolean running = true;
    /** Passes the driver has finished; written by the driver only. */
    private volatile long passes;
    /** The watcher waits for the driver's next pass. */
    private volatile boolean waitingForPass;

    /**
     * @param clients the driver's connections
     * @param driver  the thread to wake
     */
    AnswerWatcher(final List<RollbookClient> clients, final Thread driver)
    {
        try
        {
            selector = Selector.open();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        for (final RollbookClient client : clients)
        {
            client.registerReadiness(selector);
        }
        this.driver = driver;
        this.thread = new Thread(this::watch, driver.getName() + "-answers");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The driver: it has finished a pass over its connections.
     */
    void passed()
    {
        passes++;
        if (waitingForPass)
        {
            LockSupport.unpark(thread);
        }
    }

    private void watch()
    {
        try
        {
            while (running)
            {
                selector.select();
                selector.selectedKeys().clear();
                final long seen = passes;
                waitingForPass = true;
                LockSupport.unpark(driver);
                while (running && passes == seen)
                {
                    LockSupport.park(this);
                }
                waitingForPass = false;
            }
        }
        catch (final IOException ex)
        {
            // The selector failed: the driver still wakes for its sends, and reads answers then.
            running = false;
        }
    }

    @Override
    public void close()
    {
        running = false;
        selector.wakeup();
        LockSupport.unpark(thread);
        try
        {
            thread.join(5_000);
            selector.close();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
