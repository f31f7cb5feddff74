package io.earshot.pipeline.cli;

import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.store.StoreRetention;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code earshot store purge}: applies retention periods to the store once, straight through
 * the database, printing what it deleted (or, with {@code --dry-run}, what it would delete).
 * The same rules as {@code store.retention} in {@code serve}'s configuration.
 */
@Command(name = "store", mixinStandardHelpOptions = true, description = "Maintain the analysts' store.",
        subcommands = {StoreCommand.Purge.class})
final class StoreCommand {

    @Command(name = "purge", mixinStandardHelpOptions = true,
            description = {"Delete calls, evidence and agent windows older than the given periods (e.g. 90d, 12h).",
                "A kind without a period is kept. Evidence without a period goes with its call. See docs/store.md."})
    static final class Purge implements Callable<Integer> {
        @Mixin
        TokenCommand.Db db;

        @Option(names = "--calls", paramLabel = "PERIOD", description = "Delete calls that started longer ago.")
        String calls;

        @Option(names = "--evidence", paramLabel = "PERIOD",
                description = "Delete the evidence (spurts, transcript, interruptions, behaviours...) of calls that"
                        + " started longer ago; at most --calls.")
        String evidence;

        @Option(names = "--windows", paramLabel = "PERIOD", description = "Delete agent windows that ended longer ago.")
        String windows;

        @Option(names = "--batch-size", paramLabel = "ROWS", defaultValue = "" + StoreRetention.DEFAULT_BATCH_SIZE,
                description = "Rows per delete, each in its own transaction (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--dry-run", description = "Count what would be deleted; delete nothing.")
        boolean dryRun;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            StoreRetention.Policy policy;
            try {
                policy = new StoreRetention.Policy(period("--calls", calls), period("--evidence", evidence),
                        period("--windows", windows));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (!policy.deletesAnything()) {
                throw new ParameterException(spec.commandLine(), "give at least one of --calls, --evidence, --windows");
            }
            if (batchSize < 1 || batchSize > 100_000) {
                throw new ParameterException(spec.commandLine(), "--batch-size must be from 1 to 100000");
            }
            if (!db.url.startsWith("jdbc:postgresql:")) {
                throw new ParameterException(spec.commandLine(), "--db must be a jdbc:postgresql: URL");
            }
            // no migration: the store is at the schema serve migrated it to (version 4 or later)
            StoreRetention.Report report = new StoreRetention(db.dataSource(), batchSize, Clock.systemUTC())
                    .purge(policy, dryRun);
            PrintWriter out = spec.commandLine().getOut();
            for (Map.Entry<String, Long> e : report.deleted().entrySet()) {
                out.printf("%-15s %d row(s) %s%n", e.getKey(), e.getValue(), dryRun ? "would be deleted" : "deleted");
            }
            out.printf("%s %d row(s)%s%n", dryRun ? "would delete" : "deleted", report.total(),
                    dryRun ? " (dry run: nothing deleted)" : "");
            out.flush();
            return 0;
        }

        private static Duration period(String option, String value) {
            if (value == null) {
                return null;
            }
            Duration d = EarshotConfig.Retention.period(option, value);
            if (d.compareTo(Duration.ofHours(1)) < 0) {
                throw new IllegalArgumentException(option + " must be at least 1h, not " + value);
            }
            return d;
        }
    }
}
