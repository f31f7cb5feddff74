package io.earshot.pipeline.live;

import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.ConsumerLoop;
import io.earshot.contracts.RunningValues;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.supervise.Supervisor;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.EventRejected;
import io.earshot.schemas.Role;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the metric job's output topics and reports each call's values as they change: the
 * running values of {@code earshot.call-live}, the finals of {@code earshot.call-summaries},
 * rejected events of {@code earshot.dead-letters}, and how calls ended ({@code earshot.calls}).
 * Running values are made whole ({@link RunningValues}) before they are kept or shown.
 * {@code ./earshot demo} prints its lines; tests and the load benchmark read the latest values
 * and their arrival times.
 *
 * <p>It is a {@link ConsumerLoop} run under a {@link Supervisor} (component {@value #COMPONENT}):
 * a record that does not decode or cannot be shown is reported as a line and skipped; a loop
 * that fails otherwise starts again with a new consumer of the same group after a pause.
 */
public final class LiveMetricsWatcher implements AutoCloseable {

    /** One received call summary and the wall-clock time it was read, in epoch ms. */
    public record Received(CallSummaryComputed summary, long receivedAtMs) {
    }

    /** The component's name in the log. */
    public static final String COMPONENT = "live-metrics-watcher";

    private final ConsumerLoop<String, byte[]> loop;
    private final AvroSerde<SpecificRecord> serde = AvroSerde.ofAny(CallSummaryComputed.class,
            AgentMetricsComputed.class, EventRejected.class, CallStarted.class, CallEnded.class);
    private final Consumer<String> lines;
    /** The calls' running values made whole (each carries only the evidence that changed); consumer thread only. */
    private final RunningValues running = new RunningValues();
    private final Map<String, Received> latest = new ConcurrentHashMap<>();
    private final Map<String, Received> finals = new ConcurrentHashMap<>();
    private final Map<String, String> lastLine = new ConcurrentHashMap<>();
    private final Map<String, CallEnded> ended = new ConcurrentHashMap<>();
    private final List<EventRejected> rejected = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The most summaries {@link #history()} keeps: a looping demo must not grow without end. */
    static final int MAX_HISTORY = 100_000;

    // guarded by itself; appended on the consumer thread, copied by readers
    private final java.util.ArrayDeque<Received> history = new java.util.ArrayDeque<>();
    private final Supervisor supervisor;

    /** @param lines receives one human-readable line per change; may be a no-op */
    public LiveMetricsWatcher(String bootstrap, Consumer<String> lines) {
        this(new io.earshot.pipeline.config.EarshotConfig.Kafka(bootstrap, Map.of()), lines);
    }

    /** Following {@code kafka} with its client properties (security, tuning). */
    public LiveMetricsWatcher(io.earshot.pipeline.config.EarshotConfig.Kafka kafka, Consumer<String> lines) {
        this.lines = lines;
        Properties c = kafka.clientProperties(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "earshot-watch-" + java.util.UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                // the job's summaries and dead letters are transactional: never show what a failed attempt wrote
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        loop = new ConsumerLoop<>(COMPONENT,
                () -> new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer()),
                ConsumerLoop.subscribe(List.of(Topics.CALLS, Topics.CALL_LIVE, Topics.CALL_SUMMARIES, Topics.DEAD_LETTERS)),
                Duration.ofMillis(50), ConsumerLoop.values(serde, this::accept,
                        (r, e) -> lines.accept("unreadable record on " + r.topic() + ": " + e.getMessage()),
                        (r, value, e) -> lines.accept("unusable record on " + r.topic() + ": " + e)),
                ConsumerLoop.Commit.NONE);
        supervisor = new Supervisor(COMPONENT, Supervisor.Backoff.DEFAULT, java.time.Clock.systemUTC(),
                h -> loop.run(h::recordHandled), loop::stop);
    }

    public LiveMetricsWatcher start() {
        supervisor.start();
        return this;
    }

    /** The latest values of each call seen so far, running or final, by call id. */
    public Map<String, Received> latest() {
        return Map.copyOf(latest);
    }

    /** The final summaries seen so far, by call id. */
    public Map<String, Received> finals() {
        return Map.copyOf(finals);
    }

    /** The summaries read, in arrival order (the last {@value #MAX_HISTORY}). */
    public List<Received> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** The {@code CallEnded} of each call that ended (its reason says how), by call id. */
    public Map<String, CallEnded> ended() {
        return Map.copyOf(ended);
    }

    public List<EventRejected> rejected() {
        return List.copyOf(rejected);
    }

    /** Waits until the finals of {@code n} calls have arrived; false on timeout. */
    public boolean awaitFinals(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (finals.size() < n) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private void accept(ConsumerRecord<String, byte[]> r, SpecificRecord value) {
        long now = System.currentTimeMillis();
        if (value instanceof CallEnded end) {
            ended.put(end.getCallId().toString(), end);
        } else if (value instanceof EventRejected dead) {
            rejected.add(dead);
            lines.accept("rejected  " + (dead.getCallId() == null ? "-" : dead.getCallId()) + ": " + dead.getReason());
        } else if (value instanceof CallSummaryComputed received) {
            CallSummaryComputed s = running.accept(received);
            if (s == null) {
                return; // continues a running value not read here: whole again with the call's next whole one
            }
            Received got = new Received(s, now);
            String id = s.getCallId().toString();
            synchronized (history) {
                if (history.size() == MAX_HISTORY) {
                    history.removeFirst();
                }
                history.addLast(got);
            }
            if (s.getIsFinal()) {
                finals.put(id, got);
                latest.put(id, got);
            } else if (!finals.containsKey(id)) {
                latest.put(id, got);
            }
            String line = describe(s);
            if (!line.equals(lastLine.put(id + s.getIsFinal(), line))) {
                lines.accept(line);
            }
        }
    }

    /** One line with the values an operator watches. */
    public static String describe(CallSummaryComputed s) {
        long customerInterruptions = s.getInterruptions().stream().filter(i -> i.getBy() == Role.CUSTOMER).count();
        long agentBackchannels = s.getBackchannels().stream().filter(b -> b.getBy() == Role.AGENT).count();
        return String.format(Locale.ROOT, "%-5s %-10s %-24s %5.1f s  talk share %s  interruptions %d by agent, %d by"
                        + " customer  pause respect %s  backchannels %d by agent  overlap %.1f s",
                s.getIsFinal() ? "FINAL" : "live", s.getAgentId(), s.getCallId(), s.getDurationMs() / 1000.0,
                percent(s.getAgentTalkShare()), s.getAgentInterruptions(), customerInterruptions,
                percent(s.getPauseRespectRate()), agentBackchannels, s.getOverlapMs() / 1000.0);
    }

    private static String percent(Double share) {
        return share == null ? "  -" : String.format(Locale.ROOT, "%3.0f%%", share * 100);
    }

    @Override
    public void close() {
        supervisor.stop();
    }
}
