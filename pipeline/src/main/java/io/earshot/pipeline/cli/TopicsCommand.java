package io.earshot.pipeline.cli;

import io.earshot.contracts.Topics;
import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.kafka.TopicCreator;
import io.earshot.pipeline.kafka.TopicPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code earshot topics create}: Earshot's topics on an external Kafka cluster, with the
 * retention and compaction {@link TopicPlan} gives each (docs/kafka.md). Idempotent: topics
 * that exist are reported and left alone.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create Earshot's Kafka topics on a cluster.",
        subcommands = {TopicsCommand.Create.class})
final class TopicsCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create every Earshot topic that does not exist yet, with per-topic retention and",
                "compaction (docs/kafka.md); existing topics are reported and left as they are."})
    static final class Create implements Callable<Integer> {

        @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
                description = "Kafka bootstrap servers (default: kafka.bootstrap of --config).")
        String bootstrap;

        @Option(names = "--config", paramLabel = "FILE",
                description = "A serve configuration (or a file with only its kafka: section) whose kafka: bootstrap"
                        + " and client properties to use.")
        Path config;

        @Option(names = "--kafka-properties", paramLabel = "FILE",
                description = "Kafka client properties (Java properties: security), over those of --config.")
        Path kafkaProperties;

        @Option(names = "--partitions", defaultValue = "" + TopicPlan.DEFAULT_PARTITIONS,
                description = "Partitions of every topic (default: ${DEFAULT-VALUE}); at least the job's parallelism.")
        int partitions;

        @Option(names = "--replication-factor", defaultValue = "" + TopicPlan.DEFAULT_REPLICATION_FACTOR,
                description = "Replicas of every topic (default: ${DEFAULT-VALUE}; 1 for a single broker).")
        short replicationFactor;

        @Option(names = "--retention", paramLabel = "TOPIC=PERIOD",
                description = "Retention of one topic instead of its default, in days (30d), hours (12h) or"
                        + " minutes (30m); may be repeated.")
        Map<String, String> retention = new LinkedHashMap<>();

        @Option(names = "--dry-run", description = "Print the plan without connecting to Kafka.")
        boolean dryRun;

        @Option(names = "--timeout-seconds", defaultValue = "30",
                description = "How long to wait for the cluster's answers (default: ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Spec
        CommandSpec spec;

        /** The plan the options ask for. */
        List<TopicPlan> plan() {
            Map<String, Duration> keep = new LinkedHashMap<>();
            retention.forEach((topic, period) ->
                    keep.put(topic, EarshotConfig.Retention.period("--retention " + topic, period)));
            return TopicPlan.of(Topics.ALL, partitions, replicationFactor, keep);
        }

        /** Where the cluster is and how to connect to it, from the options. */
        EarshotConfig.Kafka kafka() throws java.io.IOException {
            EarshotConfig.Kafka fromFile = config == null ? null : EarshotConfig.Kafka.load(config, System.getenv());
            if (config != null && fromFile == null) {
                throw new IllegalArgumentException(config + ": has no kafka: section");
            }
            return EarshotConfig.Kafka.fromOptions(bootstrap, fromFile, kafkaProperties, System.getenv());
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<TopicPlan> plans = plan();
            if (dryRun) {
                plans.forEach(p -> out.println("would create " + p.describe()));
                out.flush();
                return 0;
            }
            EarshotConfig.Kafka kafka = kafka();
            try (Admin admin = Admin.create(kafka.clientProperties(Map.of(
                    "request.timeout.ms", String.valueOf(Math.min(Integer.MAX_VALUE, timeoutSeconds * 1000)),
                    "default.api.timeout.ms", String.valueOf(Math.min(Integer.MAX_VALUE, timeoutSeconds * 1000)))))) {
                List<TopicCreator.Outcome> outcomes = new TopicCreator(admin, timeoutSeconds).create(plans);
                outcomes.forEach(o -> out.println(o.describe()));
                out.flush();
                return 0;
            } catch (KafkaException e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("earshot: " + e.getMessage());
                err.flush();
                return 1;
            }
        }
    }
}
