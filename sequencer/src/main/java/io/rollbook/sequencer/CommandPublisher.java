package io.rollbook.sequencer;

import org.agrona.DirectBuffer;

/**
 * Where the gateways put commands into the total order. This is the whole of what a gateway sees of the
 * sequencer on the way in.
 *
 * <p>Thread-safe: any number of producer threads (gateway event loops, the operator API) may publish at once.
 * Publishing never blocks: when the ring is full the caller is told so at once and answers its client "busy".
 * Once the sequencer has stopped (shut down, or failed) every publish is refused for good and
 * {@link #isAccepting()} says so: the gateway then answers "unavailable" rather than "busy". While the journal's
 * disk is low new orders and amendments are refused too (every command when it is nearly full), and
 * {@link #isLowOnDisk()} says so.
 */
public interface CommandPublisher
{
    /**
     * Copies one encoded engine command (an SBE message of the engine schema, header first) into the ring and
     * publishes it for sequencing.
     *
     * @param source  an opaque routing tag chosen by the publisher (which gateway, session and request this came
     *                from); it is journaled with the command and handed back with the command's events on release
     * @param command holds the encoded command
     * @param offset  where its message header starts
     * @param length  its length in bytes, header included; at most {@link #maxCommandLength()}
     * @return true if published; false if the command was not taken: the ring is full (back pressure, "busy"),
     *         the journal's disk is low ({@link #isLowOnDisk()}), or the sequencer has stopped ({@link #isAccepting()}
     *         is then false)
     * @throws IllegalArgumentException if the length is out of range
     */
    boolean tryPublish(long source, DirectBuffer command, int offset, int length);

    /**
     * Publishes like {@link #tryPublish} but leaves the matcher thread asleep if it is: the caller promises a
     * {@link #wakeConsumer()} once it has published what it has at hand. An event loop that decodes many commands
     * from one socket read wakes the matcher thread once for all of them, rather than at the first, which would
     * sequence that one alone in a batch of its own while the rest are still being decoded. A missed wake costs
     * latency (the matcher thread sleeps out its idle strategy's park), never a command.
     *
     * <p>This default publishes and wakes at once.
     */
    default boolean tryPublishDeferringWake(
        final long source, final DirectBuffer command, final int offset, final int length)
    {
        return tryPublish(source, command, offset, length);
    }

    /**
     * Wakes the matcher thread if it is idle, for commands published with {@link #tryPublishDeferringWake}. Costs a
     * locked instruction, and a system call only if the matcher thread is parked.
     */
    default void wakeConsumer()
    {
    }

    /**
     * Publishes commands {@code from .. from + count - 1} of a run, in that order and with nothing of another
     * producer between them when the ring takes them all at once. For a producer with many commands at hand, the
     * ring's claim and the wake of the matcher thread (a locked instruction, which waits for the copies before it)
     * are paid once per run instead of once per command.
     *
     * <p>This default publishes them one at a time and stops at the first the ring refuses.
     *
     * @return how many of them were published, from the first: all, none, or (this default only) a prefix
     * @throws IllegalArgumentException if a command's length is out of range; nothing of the run is published
     *                                  after it
     */
    default int tryPublishRun(final CommandRun run, final int from, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (!tryPublish(run.source(from + i), run.buffer(), run.offset(from + i), run.length(from + i)))
            {
                return i;
            }
        }

        return count;
    }

    /**
     * @return true while commands are accepted; false once the sequencer has stopped, after which
     *         {@link #tryPublish} always returns false
     */
    default boolean isAccepting()
    {
        return true;
    }

    /**
     * @return true while the journal's file system has less usable space than its configured minimum
     *         ({@code journal.minFreeBytes}): new orders and amendments are then refused (below a quarter of it,
     *         every command) until space is freed, and the gateway answers that the disk is low rather than "busy"
     */
    default boolean isLowOnDisk()
    {
        return false;
    }

    /**
     * @return the longest command, in bytes, that {@link #tryPublish} accepts
     */
    int maxCommandLength();
}
