package io.rollbook.app;

import java.io.PrintWriter;
import java.nio.file.Path;

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
        // An empty path would be the working directory (--data "") or a read of it (--config ""): never what was meant.
        commandLine.registerConverter(Path.class, text ->
        {
            if (text.isBlank())
            {
                throw new CommandLine.TypeConversionException("an empty path names no file or directory");
            }
            return Path.of(text);
        });
        commandLine.setParameterExceptionHandler(RollbookMain::badArguments);
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + FileErrors.describe(ex));
            return 2;
        });
        return commandLine;
    }

    /**
     * What is wrong with the arguments, every unknown one named (picocli reports a missing required option first and
     * would leave a misspelt one unsaid), then the command's synopsis and where its help is: the whole help after the
     * error would push the error off the screen.
     */
    private static int badArguments(final CommandLine.ParameterException ex, final String[] args)
    {
        final CommandLine command = ex.getCommandLine();
        final PrintWriter err = command.getErr();
        final String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": " + ex.getMessage());
        if (!(ex instanceof CommandLine.UnmatchedArgumentException) && !command.getUnmatchedArguments().isEmpty())
        {
            err.println(name + ": unknown argument(s): " + String.join(" ", command.getUnmatchedArguments()));
        }
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.print("Usage: " + command.getHelp().synopsis(0));
        err.println("Run '" + name + " --help' for every option.");
        err.flush();
        return 2;
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
