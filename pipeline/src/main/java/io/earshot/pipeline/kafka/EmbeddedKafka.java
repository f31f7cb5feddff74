package io.earshot.pipeline.kafka;

import io.earshot.contracts.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process, single-node Kafka broker (KRaft, one combined broker and controller) with
 * Earshot's topics, for the embedded default ({@code ./earshot demo}) and for tests.
 *
 * <p>Built on Kafka's own {@link KafkaClusterTestKit} rather than on {@code KafkaRaftServer}
 * directly: the test kit formats the metadata log, binds free ports before the broker starts
 * (so two instances never race for a port) and shuts the broker and controller down in the
 * right order. Its data lives in a temporary directory that {@link #close()} deletes: the
 * embedded broker is a conduit between ingest and the jobs, not a store; what must outlive a
 * run goes to the Earshot store. Starting takes a few seconds (about 3.5 to 9 s here).
 *
 * <p>Replication factor 1 everywhere, since there is one broker. Topics get
 * {@link #DEFAULT_PARTITIONS} partitions unless told otherwise: enough for a Flink source of
 * parallelism 2 to read in parallel, while per-key order holds because every producer keys
 * by call id (or agent id) and Kafka's default partitioner maps a key to one partition.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Partitions per topic by default: the parallelism of the embedded Flink jobs. */
    public static final int DEFAULT_PARTITIONS = 2;

    private static final long ADMIN_TIMEOUT_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    /** Two brokers starting at once must not restore each other's swapped stdout. */
    private static final Object STDOUT_SWAP = new Object();

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private final Map<String, String> clientProperties;

    private EmbeddedKafka(KafkaClusterTestKit cluster, Map<String, String> clientProperties) {
        this.cluster = cluster;
        this.bootstrapServers = cluster.bootstrapServers();
        this.clientProperties = clientProperties;
    }

    /**
     * A user of a broker that authenticates its clients with SASL/PLAIN over plaintext: the
     * one user the broker knows, and its password. There is no authorizer: an authenticated
     * client may do everything; a client without these credentials cannot connect at all.
     */
    public record SaslPlain(String username, String password) {
        public SaslPlain {
            if (username == null || username.isBlank() || password == null || password.isBlank()) {
                throw new IllegalArgumentException("SASL/PLAIN needs a user name and a password");
            }
            if ((username + password).contains("\"") || (username + password).contains(";")) {
                throw new IllegalArgumentException("SASL/PLAIN user name and password may not hold \" or ;");
            }
        }

        /** The JAAS configuration of a client logging in as this user. */
        public String clientJaasConfig() {
            return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + username
                    + "\" password=\"" + password + "\";";
        }

        /** The client properties (security.protocol, sasl.mechanism, sasl.jaas.config) of this user. */
        public Map<String, String> clientProperties() {
            return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                    "sasl.jaas.config", clientJaasConfig());
        }
    }

    /** Starts a broker with every topic of {@link Topics#ALL}, {@link #DEFAULT_PARTITIONS} partitions each. */
    public static EmbeddedKafka start() {
        return start(Topics.ALL, DEFAULT_PARTITIONS);
    }

    /**
     * Starts a broker and creates the given topics with the given number of partitions each.
     *
     * @throws KafkaException when the broker does not start or the topics cannot be created;
     *         whatever had started is shut down again first
     */
    public static EmbeddedKafka start(List<String> topics, int partitions) {
        return start(topics, partitions, null);
    }

    /**
     * As {@link #start(List, int)}, with the broker's client listener authenticating
     * SASL/PLAIN (over plaintext) when {@code sasl} is given: only that user may connect. The
     * controller's own listener stays plaintext (only the broker talks to it). For tests of
     * Earshot's clients against an authenticating cluster: the credentials travel in clear text.
     *
     * <p>Kafka's test kit also writes a JAAS file of its own users for a SASL broker and points
     * the JVM's {@code java.security.auth.login.config} at it; the listener's own JAAS
     * configuration set here takes precedence on the broker, and Earshot's clients always
     * carry {@code sasl.jaas.config}, so neither uses that file.
     */
    public static EmbeddedKafka start(List<String> topics, int partitions, SaslPlain sasl) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive, was " + partitions);
        }
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1);
            if (sasl != null) {
                nodes.setBrokerSecurityProtocol(org.apache.kafka.common.security.auth.SecurityProtocol.SASL_PLAINTEXT);
            }
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes.build());
            if (sasl != null) {
                // the broker's listener is EXTERNAL and knows this one user. No authorizer (the test kit
                // would add one): authentication is what is being tested, and the plaintext controller
                // listener's anonymous principal must still register the node.
                builder.setConfigProp("listener.name.external.plain.sasl.jaas.config",
                                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                                        + sasl.username() + "\" password=\"" + sasl.password() + "\" user_"
                                        + sasl.username() + "=\"" + sasl.password() + "\";")
                        .setConfigProp("authorizer.class.name", "");
            }
            cluster = builder
                    // A lone broker: internal topics cannot have more replicas than that.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    // Nobody else joins an embedded consumer group: do not wait 3 s for them.
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setDeleteOnClose(true)
                    .build();
            formatWithoutStdout(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
            EmbeddedKafka kafka = new EmbeddedKafka(cluster, sasl == null ? Map.of() : sasl.clientProperties());
            kafka.createTopics(topics, partitions);
            return kafka;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietlyAfterFailure(cluster, e);
            throw new KafkaException("interrupted while starting the embedded Kafka broker", e);
        } catch (Exception e) {
            // The test kit declares plain Exception on build() and format().
            closeQuietlyAfterFailure(cluster, e);
            throw e instanceof KafkaException ke ? ke
                    : new KafkaException("the embedded Kafka broker did not start: " + e.getMessage(), e);
        }
    }

    /** The {@code host:port} list for {@code bootstrap.servers} of producers, consumers and admin clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * What a client needs besides {@link #bootstrapServers()} to connect: nothing for a
     * plaintext broker, the SASL settings of its user for one started with {@link SaslPlain}.
     */
    public Map<String, String> clientProperties() {
        return clientProperties;
    }

    /** The names of the topics on the broker (Kafka's internal topics excluded). */
    public Set<String> topicNames() {
        try (Admin admin = newAdmin()) {
            return admin.listTopics().names().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while listing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("cannot list the embedded broker's topics: " + e.getMessage(), e);
        }
    }

    /**
     * Stops the broker while its controller keeps running: clients lose it until
     * {@link #startBroker()}. Its data (topics, committed offsets, the transaction log) stays.
     * For fault tests and drills.
     */
    public void stopBroker() {
        kafka.server.BrokerServer broker = broker();
        broker.shutdown();
        broker.awaitShutdown();
    }

    /**
     * Starts the broker {@link #stopBroker()} stopped, on the same port with the same data, and
     * waits until it serves again.
     *
     * @throws KafkaException when it does not come back
     */
    public void startBroker() {
        try {
            broker().startup();
            cluster.waitForReadyBrokers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while restarting the embedded Kafka broker", e);
        } catch (Exception e) {
            throw new KafkaException("the embedded Kafka broker did not restart: " + e.getMessage(), e);
        }
    }

    private kafka.server.BrokerServer broker() {
        return cluster.brokers().values().iterator().next();
    }

    /** Stops the broker and controller, releases their ports and deletes their data. */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while stopping the embedded Kafka broker", e);
        } catch (Exception e) {
            throw new KafkaException("the embedded Kafka broker did not stop cleanly: " + e.getMessage(), e);
        }
    }

    /**
     * Kafka's storage formatter, which the test kit runs without giving it a stream, prints a
     * line to {@code System.out}; but stdout is the command's output (JSON an integrator may
     * pipe on). So stdout is swapped for the log during {@code format()}, which takes well
     * under a second. Anything another thread prints to stdout meanwhile goes to the log too:
     * start the broker before the command writes output.
     */
    private static void formatWithoutStdout(KafkaClusterTestKit cluster) throws Exception {
        synchronized (STDOUT_SWAP) {
            PrintStream stdout = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                cluster.format();
            } finally {
                System.setOut(stdout);
                String text = captured.toString(StandardCharsets.UTF_8).strip();
                if (!text.isEmpty()) {
                    LOG.info("Kafka storage formatter: {}", text);
                }
            }
        }
    }

    private void createTopics(List<String> topics, int partitions)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = newAdmin()) {
            admin.createTopics(topics.stream()
                            .map(name -> new NewTopic(name, partitions, (short) 1))
                            .toList())
                    .all()
                    .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private Admin newAdmin() {
        java.util.Properties p = new java.util.Properties();
        p.putAll(clientProperties);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(p);
    }

    private static void closeQuietlyAfterFailure(KafkaClusterTestKit cluster, Exception cause) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception closeFailure) {
            // The start failure is what the caller needs; the failed shutdown goes along with it.
            cause.addSuppressed(closeFailure);
        }
    }
}
