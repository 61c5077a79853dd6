package io.rollbook.gateway.view;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A thread of its own that serves event loops' requests by reading the journal (the binary gateway's
 * retransmissions, the trader API's trade history): reading possibly much of the journal must never hold up an event
 * loop. Requests wait in a bounded queue, so that a burst of them is refused rather than grow the server's memory;
 * the thread owns its {@link IndexedJournalReader} and serves them one at a time.
 *
 * @param <J> a request
 */
public abstract class JournalRequestThread<J> implements AutoCloseable
{
    protected final IndexedJournalReader journal;
    private final ArrayBlockingQueue<J> requests;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param threadName the thread's name
     * @param capacity   the most requests that wait; one more is refused
     * @param journal    the reader's cursor and index, used only on the thread
     */
    protected JournalRequestThread(final String threadName, final int capacity, final IndexedJournalReader journal)
    {
        this.journal = journal;
        this.requests = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::serveUntilClosed, threadName);
        this.thread.setDaemon(true);
    }

    public final void start()
    {
        thread.start();
    }

    /**
     * Any thread: queues a request.
     *
     * @return false if too many requests are waiting, or the thread is closing
     */
    protected final boolean offer(final J request)
    {
        return running && requests.offer(request);
    }

    /**
     * @return false once {@link #close} began: a request being served should end soon
     */
    protected final boolean running()
    {
        return running;
    }

    /**
     * The thread: answers one request, whatever happens while reading it (the request's event loop waits for an
     * answer).
     */
    protected abstract void serve(J request);

    private void serveUntilClosed()
    {
        while (running)
        {
            try
            {
                final J request = requests.poll(100, TimeUnit.MILLISECONDS);
                if (request != null)
                {
                    serve(request);
                }
                else
                {
                    journal.catchUp();
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Stops the thread (waiting at most 10 s for the request it serves) and closes the journal cursor.
     */
    @Override
    public void close()
    {
        running = false;
        thread.interrupt();
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        journal.reset();
    }
}
