package io.rollbook.app;

import io.rollbook.app.cli.AuditCommand;
import io.rollbook.app.cli.BenchCommand;
import io.rollbook.app.cli.JournalCommand;
import io.rollbook.app.cli.LoadCommand;
import io.rollbook.app.cli.LoadRestCommand;
import io.rollbook.app.cli.ProofCommand;
import io.rollbook.app.cli.RunCommand;
import io.rollbook.app.cli.SimulateCommand;
import io.rollbook.app.cli.VerifyProofCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rollbook} command line.
 */
@Command(
    name = "rollbook",
    mixinStandardHelpOptions = true,
    version = "rollbook 0.1.0",
    description = "Off-chain order-book matching sequencer for perpetual futures.",
    subcommands = {
        RunCommand.class,
        SimulateCommand.class,
        JournalCommand.class,
        AuditCommand.class,
        ProofCommand.class,
        VerifyProofCommand.class,
        BenchCommand.class,
        LoadCommand.class,
        LoadRestCommand.class,
        CommandLine.HelpCommand.class
    })
public final class RollbookMain implements Runnable
{
    static
    {
        // Before any Chronicle class loads: no analytics calls home, no banner.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
    }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /**
     * @return the command line, with error handling that prints a message, not a stack trace, for bad input
     */
    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new RollbookMain());
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + FileErrors.describe(ex));
            return 2;
        });
        return commandLine;
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
