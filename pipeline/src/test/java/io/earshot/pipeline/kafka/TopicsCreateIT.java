package io.earshot.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.contracts.Topics;
import io.earshot.pipeline.cli.EarshotCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code earshot topics create} against a broker that authenticates its clients (SASL/PLAIN):
 * the topics come out with the planned partitions and configs, the credentials come from a
 * properties file, and a second run reports instead of failing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicsCreateIT {

    @TempDir
    Path dir;

    @Test
    void shouldCreateEveryTopicWithItsRetentionAndReportThemOnASecondRun() throws Exception {
        EmbeddedKafka.SaslPlain user = new EmbeddedKafka.SaslPlain("earshot-admin", "s3cret-admin");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(List.of(), 1, user);
             Admin admin = admin(kafka)) {
            // one topic is there already, with other partitions than planned
            admin.createTopics(List.of(new NewTopic(Topics.DEAD_LETTERS, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Path properties = dir.resolve("kafka.properties");
            Files.writeString(properties, kafka.clientProperties().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\")).collect(Collectors.joining("\n")));
            String[] args = {"topics", "create", "--bootstrap", kafka.bootstrapServers(), "--kafka-properties",
                    properties.toString(), "--partitions", "3", "--replication-factor", "1",
                    "--retention", Topics.AUDIO_RAW + "=2h"};

            Run first = run(args);
            Run second = run(args);

            assertThat(first.exit()).isZero();
            assertThat(first.out()).contains("created " + Topics.CALLS + " partitions=3 replication-factor=1")
                    .contains("WARNING " + Topics.DEAD_LETTERS + " exists with 1 partitions, not 3");
            assertThat(second.exit()).isZero();
            assertThat(second.out()).contains("exists  " + Topics.CALLS + " partitions=3 (left as it is)")
                    .doesNotContain("created");
            Map<String, Config> configs = admin.describeConfigs(Topics.ALL.stream()
                            .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList())
                    .all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
            assertThat(value(configs, Topics.AUDIO_RAW, "retention.ms")).isEqualTo("7200000");
            assertThat(value(configs, Topics.CALLS, "retention.ms")).isEqualTo("604800000");
            assertThat(value(configs, Topics.CALL_SUMMARIES, "cleanup.policy")).isEqualTo("compact,delete");
            assertThat(value(configs, Topics.CALL_LIVE, "cleanup.policy")).isEqualTo("delete");
            assertThat(value(configs, Topics.AGENT_METRICS, "cleanup.policy")).isEqualTo("delete");
            assertThat(value(configs, Topics.AGENT_METRICS, "retention.ms")).isEqualTo("2592000000");
            // the existing topic was left as it was
            assertThat(value(configs, Topics.DEAD_LETTERS, "retention.ms")).isEqualTo("604800000");
            assertThat(admin.describeTopics(List.of(Topics.SPEECH)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.SPEECH).partitions()).hasSize(3);
        }
    }

    @Test
    void shouldBeRefusedWithoutCredentials() throws Exception {
        EmbeddedKafka.SaslPlain user = new EmbeddedKafka.SaslPlain("earshot-admin", "s3cret-admin");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(List.of(), 1, user)) {
            Run run = run(new String[] {"topics", "create", "--bootstrap", kafka.bootstrapServers(),
                    "--replication-factor", "1", "--timeout-seconds", "10"});

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).startsWith("earshot: ");
        }
    }

    private static String value(Map<String, Config> configs, String topic, String key) {
        return configs.get(topic).get(key).value();
    }

    private static Admin admin(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.putAll(kafka.clientProperties());
        p.put("bootstrap.servers", kafka.bootstrapServers());
        return Admin.create(p);
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = EarshotCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }
}
