package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.contracts.Topics;
import io.earshot.pipeline.api.Authenticator;
import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.dashboard.AlertRules;
import io.earshot.pipeline.dashboard.DashboardServer;
import io.earshot.pipeline.dashboard.FloorState;
import io.earshot.pipeline.kafka.EmbeddedKafka;
import io.earshot.pipeline.simulate.AudioHookClient;
import io.earshot.pipeline.simulate.CallMetadata;
import io.earshot.pipeline.simulate.FrameListener;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.pipeline.simulate.SimulatedCall.Recording;
import io.earshot.pipeline.simulate.SimulationReport;
import io.earshot.pipeline.simulate.Simulator;
import io.earshot.pipeline.store.StoreDatabase;
import io.earshot.pipeline.store.StoreWriter;
import io.earshot.schemas.CallSummaryComputed;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline against a Kafka cluster that authenticates its clients with SASL/PLAIN:
 * ingest (the serve runtime with {@code kafka.properties}), the metric job on a local Flink
 * cluster, the store writer and the floor feed all connect with one set of client properties,
 * whose password is not in them but in a file each Kafka client reads itself through Kafka's
 * {@code FileConfigProvider} (as a Flink TaskManager would). One call streamed over AudioHook
 * reaches the store and the floor; a client without the password is refused.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SaslPipelineIT {

    private static final EmbeddedKafka.SaslPlain USER = new EmbeddedKafka.SaslPlain("earshot", "pl41n-s3cret");

    @TempDir
    Path data;

    @Test
    void shouldRunACallThroughEveryClientOnAnAuthenticatingClusterAndRefuseAClientWithoutCredentials()
            throws Exception {
        Path secrets = data.resolve("kafka-secrets.properties");
        Files.writeString(secrets, "jaas=" + USER.clientJaasConfig().replace("\\", "\\\\") + "\n");
        Map<String, String> clientProperties = Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "config.providers", "file",
                "config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider",
                "sasl.jaas.config", "${file:" + secrets + ":jaas}");
        Recording recording = SampleCalls.load(SampleCalls.defaultDirectory()).get(0);
        EmbeddedKafka kafka = EmbeddedKafka.start(Topics.ALL, EmbeddedKafka.DEFAULT_PARTITIONS, USER);
        EarshotConfig.Kafka clients = new EarshotConfig.Kafka(kafka.bootstrapServers(), clientProperties);
        try (EmbeddedStack stack = EmbeddedStack.start(
                EmbeddedStack.Options.of(null).withLimits(EarshotConfig.Limits.DEFAULTS.trustedReplay()),
                line -> { }, kafka, clientProperties);
             StoreDatabase store = StoreDatabase.embedded(data.resolve("store"));
             StoreWriter writer = StoreWriter.start(clients, store.dataSource());
             DashboardServer dashboard = DashboardServer.start(clients, Authenticator.openDemo(),
                     DashboardServer.Options.defaults().withHost("127.0.0.1").withPort(0), AlertRules.Hook.NONE,
                     List.of())) {
            AudioHookClient client = new AudioHookClient(AudioHookClient.Config.of(
                    stack.ingest().ingest().audioHookUri(), EmbeddedStack.API_KEY, stack.clientSecret(), 4),
                    HttpClient.newHttpClient(), Clock.systemUTC());
            SimulationReport report = new Simulator(client, FrameListener.NONE).run(List.of(recording), 1,
                    new CallMetadata("agent-{i}", "floor", "support"), Duration.ZERO);

            assertThat(report.allClean()).isTrue();
            assertThat(stack.watcher().awaitFinals(1, Duration.ofSeconds(90))).isTrue();
            CallSummaryComputed summary = stack.watcher().finals().values().iterator().next().summary();
            String callId = summary.getCallId().toString();
            Long storedDuration = await(() -> storedDuration(store, callId), Duration.ofSeconds(60));
            assertThat(storedDuration).isEqualTo(summary.getDurationMs());
            FloorState.CallInfo onFloor = await(() -> dashboard.floor().calls().stream()
                    .filter(c -> c.callId().equals(callId) && c.metrics() != null && c.metrics().isFinal())
                    .findFirst(), Duration.ofSeconds(60));
            assertThat(onFloor.metrics().durationMs()).isEqualTo(summary.getDurationMs());
            assertThat(onFloor.metrics().agentInterruptions()).isEqualTo(summary.getAgentInterruptions());

            assertThat(topicsSeenWith(kafka, Map.of())).isEmpty();
            assertThatThrownBy(() -> topicsSeenWith(kafka, new EmbeddedKafka.SaslPlain(USER.username(), "wrong")
                    .clientProperties()))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
            assertThat(topicsSeenWith(kafka, kafka.clientProperties()).orElseThrow()).containsAll(Topics.ALL);
        }
    }

    /**
     * The topics an admin client with {@code properties} lists; empty when it gets no answer
     * within 10 s (a client that does not speak SASL to a SASL listener is cut off and retries).
     */
    private static Optional<java.util.Set<String>> topicsSeenWith(EmbeddedKafka kafka, Map<String, String> properties)
            throws Exception {
        Properties p = new Properties();
        p.putAll(properties);
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("default.api.timeout.ms", "10000");
        p.put("request.timeout.ms", "10000");
        try (Admin admin = Admin.create(p)) {
            return Optional.of(admin.listTopics().names().get(30, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Optional<Long> storedDuration(StoreDatabase store, String callId) throws Exception {
        try (Connection c = store.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT duration_ms FROM calls WHERE call_id = ?")) {
            s.setString(1, callId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
            }
        }
    }

    private interface Probe<T> {
        Optional<T> get() throws Exception;
    }

    /** Polls {@code probe} until it has a value; fails after {@code timeout}. */
    private static <T> T await(Probe<T> probe, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            assertThat(System.nanoTime()).as("waited %s", timeout).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
