package io.earshot.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code earshot} command. */
@Command(name = "earshot", mixinStandardHelpOptions = true, version = "earshot 0.1.0",
        description = "Self-hosted listening analytics for contact-center calls.",
        subcommands = {DemoCommand.class, AnalyzeCommand.class, EvaluateCommand.class, SegmentsCommand.class,
            ServeCommand.class, JobCommand.class, SimulateCommand.class, BenchCommand.class, TokenCommand.class,
            StoreCommand.class, TopicsCommand.class})
public final class EarshotCli {

    /** Exit code for input the command cannot use (bad file, wrong format), and for a simulation with failed calls. */
    public static final int EXIT_BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new EarshotCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IOException || e instanceof IllegalArgumentException) {
                // bad input: one line for the person who gave it, no stack trace
                commandLine.getErr().println("earshot: " + e.getMessage());
                commandLine.getErr().flush();
                return EXIT_BAD_INPUT;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
