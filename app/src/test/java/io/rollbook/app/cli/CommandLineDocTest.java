package io.rollbook.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.rollbook.app.RollbookMain;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line as the documents show it: the README lists every command, every option a document shows on a
 * {@code ./rollbook} line exists on that command, and {@code --help} explains every option it lists.
 */
class CommandLineDocTest
{
    private static final Path README = Path.of("..", "README.md");
    private static final Path DOCS = Path.of("..", "docs");
    /** The measurement log keeps the command lines of its time; every other page describes the current ones. */
    private static final String MEASUREMENT_LOG = "BENCHMARKS.md";
    private static final Pattern COMMAND_LINE = Pattern.compile("\\./rollbook((?: [a-z][a-z-]*)+)([^`#]*)");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z-]*");

    @Test
    void theReadmeShowsEveryCommand() throws IOException
    {
        final String readme = Files.readString(README);
        final TreeSet<String> missing = new TreeSet<>();
        for (final CommandSpec command : leafCommands(RollbookMain.commandLine().getCommandSpec()))
        {
            final String shown = "./" + command.qualifiedName();
            if (!readme.contains(shown + " ") && !readme.contains(shown + "\n"))
            {
                missing.add(shown);
            }
        }
        assertEquals(new TreeSet<String>(), missing, "commands " + README + " does not show");
    }

    @Test
    void everyOptionADocumentShowsExists() throws IOException
    {
        final CommandSpec root = RollbookMain.commandLine().getCommandSpec();
        final List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (final Path document : documents())
        {
            for (final String line : Files.readAllLines(document))
            {
                final Matcher shown = COMMAND_LINE.matcher(line);
                while (shown.find())
                {
                    final String[] words = shown.group(1).trim().split(" ");
                    CommandSpec command = root;
                    int used = 0;
                    while (used < words.length && command.subcommands().containsKey(words[used]))
                    {
                        command = command.subcommands().get(words[used]).getCommandSpec();
                        used++;
                    }
                    if (used == 0)
                    {
                        unknown.add(document.getFileName() + ": no command " + words[0] + " in: " + line.trim());
                        continue;
                    }
                    final Matcher option = OPTION.matcher(shown.group(2));
                    while (option.find())
                    {
                        checked++;
                        if (command.findOption(option.group()) == null)
                        {
                            unknown.add(document.getFileName() + ": " + command.qualifiedName() + " has no " +
                                option.group() + " (" + line.trim() + ")");
                        }
                    }
                }
            }
        }
        assertTrue(checked > 40, "read the documents' command lines: " + checked + " options");
        assertEquals(List.of(), unknown);
    }

    @Test
    void helpExplainsEveryOption()
    {
        final TreeSet<String> unexplained = new TreeSet<>();
        for (final CommandSpec command : leafCommands(RollbookMain.commandLine().getCommandSpec()))
        {
            for (final OptionSpec option : command.options())
            {
                if (String.join("", option.description()).isBlank())
                {
                    unexplained.add(command.qualifiedName() + " " + option.longestName());
                }
            }
        }
        assertEquals(new TreeSet<String>(), unexplained, "options --help lists without a word of what they do");
    }

    private static List<Path> documents() throws IOException
    {
        final List<Path> documents = new ArrayList<>();
        documents.add(README);
        try (Stream<Path> pages = Files.list(DOCS))
        {
            pages.filter(page -> page.toString().endsWith(".md"))
                .filter(page -> !page.getFileName().toString().equals(MEASUREMENT_LOG))
                .sorted()
                .forEach(documents::add);
        }
        return documents;
    }

    private static List<CommandSpec> leafCommands(final CommandSpec command)
    {
        final List<CommandSpec> leaves = new ArrayList<>();
        for (final CommandLine sub : command.subcommands().values())
        {
            final CommandSpec spec = sub.getCommandSpec();
            if (spec.userObject() instanceof CommandLine.HelpCommand)
            {
                continue;
            }
            if (spec.subcommands().isEmpty())
            {
                leaves.add(spec);
            }
            else
            {
                leaves.addAll(leafCommands(spec));
            }
        }
        return leaves;
    }
}
