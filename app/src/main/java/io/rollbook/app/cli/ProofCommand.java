package io.rollbook.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.rollbook.app.FileErrors;
import io.rollbook.app.journal.JournalDump;
import io.rollbook.journal.JournalIntegrity;
import io.rollbook.journal.commitment.CommittedState;
import io.rollbook.journal.commitment.InclusionProof;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rollbook proof}: an account's inclusion proof against the last committed root.
 */
@Command(
    name = "proof",
    mixinStandardHelpOptions = true,
    description = {
        "Writes a JSON inclusion proof of an account's leaf (its collateral and positions) against the last " +
            "recorded state root: the leaves are rebuilt from the journal's events and must hash to that root. " +
            "The layout is in docs/COMMITMENTS.md; ./rollbook verify-proof checks it.",
        "A journal damaged from outside the service (a cycle file cut short, emptied or deleted, its metadata " +
            "garbled), which the service refuses to start on, gives no proof: the damage is named on standard " +
            "error as 'journal dump' names it, and the exit code is 1.",
        "Reads the data directory only; the service may be running."})
public final class ProofCommand implements Callable<Integer>
{
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "The data directory")
    private Path data;

    @Option(names = "--account", required = true, paramLabel = "ID", description = "The account id")
    private int account;

    @Option(names = "--out", paramLabel = "FILE",
        description = "Write the proof here and a summary to stdout (default: the proof to stdout)")
    private Path out;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        // A proof from what is left of a damaged journal would prove a state the service never committed to.
        final List<JournalIntegrity.Problem> damage = JournalIntegrity.inspect(data);
        if (!damage.isEmpty())
        {
            for (final String line : JournalDump.damage(damage))
            {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": " + line);
            }
            return 1;
        }
        final CommittedState state = CommittedState.load(data);
        final InclusionProof proof = state.proof(account);
        final String json = proof.toJson();
        if (out == null)
        {
            System.out.print(json);
        }
        else
        {
            try
            {
                Files.writeString(out, json, StandardCharsets.UTF_8);
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException("cannot write the proof to " + out + ": " +
                    FileErrors.reason(ex), ex);
            }
            System.out.println("proof of account " + account + " written to " + out);
            for (final String line : VerifyProofCommand.describe(proof))
            {
                System.out.println(line);
            }
        }
        System.out.flush();
        return 0;
    }
}
