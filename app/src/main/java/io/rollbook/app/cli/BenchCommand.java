package io.rollbook.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code rollbook bench}: the benchmarks, one subcommand each. Every one prints
 * {@code RESULT <name> ops_per_s=... p50_ns=... p99_ns=... p999_ns=...} as its last line.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Runs a benchmark; the last line is RESULT <name> ops_per_s=... p50_ns=... p99_ns=... p999_ns=...",
    subcommands = {
        MatcherBenchCommand.class,
        WorstBenchCommand.class,
        PipelineBenchCommand.class,
        AuditBenchCommand.class,
        GatewayBenchCommand.class,
        LoopbackBenchCommand.class,
        HiccupBenchCommand.class,
        PagesBenchCommand.class,
        ClientBookBenchCommand.class,
        SnapshotBenchCommand.class,
        ViewsBenchCommand.class
    })
public final class BenchCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
