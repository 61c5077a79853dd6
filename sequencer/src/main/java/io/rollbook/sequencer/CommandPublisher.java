package io.rollbook.sequencer;

import org.agrona.DirectBuffer;

/**
 * Where the gateways put commands into the total order. This is the whole of what a gateway sees of the
 * sequencer on the way in.
 *
 * <p>Thread-safe: any number of producer threads (gateway event loops, the operator API) may publish at once.
 * Publishing never blocks: when the ring is full the caller is told so at once and answers its client "busy".
 * Once the sequencer has stopped (shut down, or failed) every publish is refused for good and
 * {@link #isAccepting()} says so: the gateway then answers "unavailable" rather than "busy".
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
     *         or the sequencer has stopped ({@link #isAccepting()} is then false)
     * @throws IllegalArgumentException if the length is out of range
     */
    boolean tryPublish(long source, DirectBuffer command, int offset, int length);

    /**
     * @return true while commands are accepted; false once the sequencer has stopped, after which
     *         {@link #tryPublish} always returns false
     */
    default boolean isAccepting()
    {
        return true;
    }

    /**
     * @return the longest command, in bytes, that {@link #tryPublish} accepts
     */
    int maxCommandLength();
}
