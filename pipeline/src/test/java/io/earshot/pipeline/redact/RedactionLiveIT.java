package io.earshot.pipeline.redact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.pipeline.api.ApiHandler;
import io.earshot.pipeline.api.ApiServer;
import io.earshot.pipeline.api.CallQueries;
import io.earshot.pipeline.api.Principal;
import io.earshot.pipeline.api.TokenStore;
import io.earshot.pipeline.corpus.CallMixer.MixedCall;
import io.earshot.pipeline.corpus.PhraseRenderer;
import io.earshot.pipeline.api.Authenticator;
import io.earshot.pipeline.dashboard.AlertRules;
import io.earshot.pipeline.dashboard.DashboardServer;
import io.earshot.pipeline.live.LogCapture;
import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.live.EmbeddedStack;
import io.earshot.pipeline.simulate.AudioHookClient;
import io.earshot.pipeline.simulate.CallMetadata;
import io.earshot.pipeline.simulate.FrameListener;
import io.earshot.pipeline.simulate.SimulatedCall.Recording;
import io.earshot.pipeline.simulate.SimulationReport;
import io.earshot.pipeline.simulate.Simulator;
import io.earshot.pipeline.store.StoreDatabase;
import io.earshot.pipeline.store.StoreWriter;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered call with a card number, a phone number and an e-mail address streamed live
 * over AudioHook through the whole stack (ingest with the recogniser, Kafka, the metric job,
 * the store writer, the query API), with redaction at its default: no Kafka topic, no store
 * table, no API answer or export, no dashboard answer, no log line and none of the running values
 * the stack prints (as {@code demo} does) holds them, in any form; the placeholders are where they were
 * said, and the call's summary, row and API answer record the rules applied.
 */
class RedactionLiveIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void shouldKeepCardPhoneAndEmailOutOfKafkaTheStoreAndTheApi() throws Exception {
        MixedCall call;
        try (PhraseRenderer phrases = PhraseRenderer.inBuildCache()) {
            call = RedactionRenderedIT.mix(phrases);
        }
        Recording recording = new Recording("pii", call.line().get(Role.AGENT), call.line().get(Role.CUSTOMER));
        Path model = Path.of(System.getProperty("earshot.model"));
        StringBuffer printed = new StringBuffer();
        try (LogCapture log = new LogCapture();
             EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.of(model)
                        .withTranscription(true, 1, Duration.ofSeconds(120))
                        // the test streams at twice real time on purpose
                        .withLimits(EarshotConfig.Limits.DEFAULTS.trustedReplay()),
                     line -> printed.append(line).append('\n'));
             StoreDatabase store = StoreDatabase.embedded(data.resolve("store"));
             StoreWriter writer = StoreWriter.start(stack.kafka().bootstrapServers(), store.dataSource());
             ApiServer api = new ApiServer("127.0.0.1", 0, new ApiHandler(new CallQueries(store.dataSource()),
                     new TokenStore(store.dataSource()))).start();
             DashboardServer dashboard = DashboardServer.start(stack.kafka().bootstrapServers(),
                     Authenticator.openDemo(), DashboardServer.Options.defaults().withHost("127.0.0.1").withPort(0),
                     AlertRules.Hook.NONE, List.of())) {
            String analyst = new TokenStore(store.dataSource()).create(Principal.Role.ANALYST, Set.of()).token();
            AudioHookClient client = new AudioHookClient(AudioHookClient.Config.of(
                    stack.ingest().ingest().audioHookUri(), EmbeddedStack.API_KEY, stack.clientSecret(), 2),
                    HttpClient.newHttpClient(), Clock.systemUTC());
            SimulationReport report = new Simulator(client, FrameListener.NONE).run(List.of(recording), 1,
                    new CallMetadata("agent-pii", "floor", "support"), Duration.ZERO);
            assertThat(report.allClean()).isTrue();
            assertThat(stack.watcher().awaitFinals(1, Duration.ofSeconds(120))).isTrue();
            String callId = stack.watcher().finals().keySet().iterator().next();
            CallSummaryComputed summary = stack.watcher().finals().get(callId).summary();
            assertThat(summary.getRedaction()).isEqualTo("card,phone,email,id,digits>=8,trailing>=4");

            // the API, once the store writer has the call
            JsonNode row = awaitCall(api.uri(), analyst);
            assertThat(row.get("redaction").asText()).isEqualTo("card,phone,email,id,digits>=8,trailing>=4");
            String timeline = get(api.uri(), "/api/calls/" + callId, analyst);
            String list = get(api.uri(), "/api/calls", analyst) + get(api.uri(), "/api/calls?format=csv", analyst);
            assertThat(timeline).contains("[card]", "[phone]", "[email]");

            // the floor dashboard: its snapshot and the call's view with the transcript
            String floor = get(dashboard.uri(), "/api/floor/snapshot", null)
                    + get(dashboard.uri(), "/api/floor/calls/" + callId, null);
            assertThat(floor).contains("[card]", "[phone]", "[email]");

            String kafka = everyTopic(stack.kafka().bootstrapServers());
            assertThat(kafka).contains("[card]", "[phone]", "[email]");
            String tables = everyTable(store);
            assertThat(log.text()).as("the log was captured").contains("call " + "\"" + callId + "\" ended");
            assertThat(printed.toString()).as("the running values were printed").contains(callId);
            assertThat(tables).contains("[card]", "[phone]", "[email]");
            for (String secret : RedactionRenderedIT.secrets()) {
                assertThat(kafka).as("Kafka holds %s", secret).doesNotContain(secret);
                assertThat(tables).as("the store holds %s", secret).doesNotContain(secret);
                assertThat(timeline + list).as("the API answers %s", secret).doesNotContain(secret);
                assertThat(floor).as("the dashboard shows %s", secret).doesNotContain(secret);
                assertThat(log.text()).as("the log holds %s", secret).doesNotContain(secret);
                assertThat(printed.toString()).as("the printed running values hold %s", secret).doesNotContain(secret);
            }
        }
    }

    /** Every record of every topic, keys and values, as text (Avro writes strings as UTF-8). */
    private static String everyTopic(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        StringBuilder all = new StringBuilder();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.listTopics(Duration.ofSeconds(30)).forEach((topic, infos) ->
                    infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition()))));
            assertThat(partitions.stream().map(TopicPartition::topic))
                    .contains("earshot.calls", "earshot.utterances", "earshot.call-summaries");
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    all.append(r.topic()).append(' ');
                    if (r.key() != null) {
                        all.append(new String(r.key(), StandardCharsets.UTF_8)).append(' ');
                    }
                    if (r.value() != null) {
                        all.append(new String(r.value(), StandardCharsets.UTF_8));
                    }
                    all.append('\n');
                }
            }
            // every record up to the end offsets taken at the start was read; the job is still
            // running (its live windows go out every 10 s), so a poll may also return later ones
            assertThat(partitions).allSatisfy(tp -> assertThat(consumer.position(tp))
                    .as("%s", tp).isGreaterThanOrEqualTo(end.get(tp)));
        }
        return all.toString();
    }

    /** Every row of every table of the store, as text. */
    private static String everyTable(StoreDatabase store) throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT table_schema || '.' || table_name FROM information_schema.tables"
                    + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).anyMatch(t -> t.endsWith(".utterances"));
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT t::text FROM " + table + " t")) {
                    while (rs.next()) {
                        all.append(table).append(' ').append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return all.toString();
    }

    private static String get(URI base, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    /** The store writer commits in its own time: wait until the call is there. */
    private static JsonNode awaitCall(URI base, String token) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode calls = JSON.readTree(get(base, "/api/calls", token)).get("calls");
            if (calls.size() >= 1 || System.nanoTime() > deadline) {
                assertThat(calls).hasSize(1);
                return calls.get(0);
            }
            Thread.sleep(200);
        }
    }
}
