package io.rollbook.matcher;

import io.rollbook.matcher.event.EventWriter;
import io.rollbook.protocol.Genesis;
import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.json.JsonCommands;
import io.rollbook.protocol.json.JsonEvents;
import org.agrona.ExpandableArrayBuffer;

/**
 * Runs commands in the JSON command format through a matcher, in process, and renders every event as a JSON
 * line: what {@code rollbook simulate} does, and what the golden tests compare. The genesis commands (fee tiers,
 * markets, account setups) are sequenced first, as the service does, so sequence numbers match a journal started
 * from the same configuration. No time is stamped: every command carries timestamp 0, which no event depends on.
 *
 * <p>A line that cannot become a command (broken JSON, a wrong key, a price off the tick) never reaches the
 * matcher and takes no sequence number: it yields an {@code error} line naming the input line and the problem.
 */
public final class JsonSimulation
{
    private final Matcher matcher;
    private final MarketDirectory markets;
    private final JsonCommands commands;
    private final JsonEvents events;
    private final ExpandableArrayBuffer commandBuffer = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer eventBuffer = new ExpandableArrayBuffer(64 * 1024);
    private final EventWriter eventWriter = new EventWriter();
    private long sequence;

    public JsonSimulation(final Matcher.Context context, final Genesis genesis, final StringBuilder out)
    {
        this.matcher = new Matcher(context);
        this.markets = new MarketDirectory(genesis.markets());
        this.commands = new JsonCommands(this.markets);
        this.events = new JsonEvents(this.markets);
        genesis.forEachCommand((buffer, offset, length) ->
        {
            commandBuffer.putBytes(0, buffer, offset, length);
            execute(length, out);
        });
    }

    /**
     * @return the matcher, for inspection on the calling thread
     */
    public Matcher matcher()
    {
        return matcher;
    }

    /**
     * Executes one line of input and appends the JSON lines of its events (or of the error) to {@code out}.
     *
     * @param line       the command as JSON
     * @param lineNumber where it stands in the input, for error lines
     * @return true if the line became a command, false if it was refused at the edge
     */
    public boolean execute(final String line, final int lineNumber, final StringBuilder out)
    {
        final int length;
        try
        {
            length = commands.encode(line, commandBuffer, 0);
        }
        catch (final IllegalArgumentException ex)
        {
            refuse(lineNumber, ex.getMessage(), out);
            return false;
        }
        execute(length, out);
        return true;
    }

    /**
     * Appends the {@code error} line of an input line that cannot even be read as a command (not UTF-8 text, say).
     */
    public static void refuse(final int lineNumber, final String problem, final StringBuilder out)
    {
        out.append("{\"line\":").append(lineNumber).append(",\"type\":\"error\",\"message\":\"");
        appendEscaped(out, problem);
        out.append("\"}\n");
    }

    private void execute(final int length, final StringBuilder out)
    {
        final long seq = ++sequence;
        eventWriter.wrap(eventBuffer, 0);
        matcher.execute(seq, 0, commandBuffer, 0, length, eventWriter);
        final int end = eventWriter.position();
        int offset = 0;
        while (offset < end)
        {
            offset += events.append(out, seq, eventBuffer, offset);
            out.append('\n');
        }
    }

    private static void appendEscaped(final StringBuilder out, final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                out.append(' ');
            }
            else
            {
                out.append(c);
            }
        }
    }
}
