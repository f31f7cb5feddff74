package io.earshot.pipeline.kafka;

import io.earshot.contracts.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code earshot topics create} makes one of Earshot's topics: its partitions, replication
 * and the topic configs that follow from what the topic holds (docs/kafka.md, "Creating the
 * topics").
 *
 * <p>Retention by topic: raw audio is large and read once, as it arrives ({@link #DEFAULT_RETENTION}
 * one day); the input events are what the metric job replays after an outage or to recompute,
 * so they stay a week; the outputs are what the store writer and integrators read, a month;
 * dead letters are what an operator investigates, a month too. {@code call-summaries} is also
 * compacted: a summary repeated after a restart supersedes the earlier one, and compaction
 * keeps the newest per key, the call id. {@code call-live} is not: a running value carries
 * only the evidence that changed since the call's previous one, so a reader needs the call's
 * records in turn, not the newest alone (it is kept a day). Nor is {@code agent-metrics}: its
 * key is the agent, team or queue, and every window of an agent is a record of its own.
 *
 * <p>Kafka deletes whole segments, a segment once its newest record is past retention, so each
 * topic's {@code segment.ms} is a quarter of its retention (between 10 minutes and a day): a
 * record outlives its retention by at most that. {@code min.insync.replicas} is 2 with three or
 * more replicas (with {@code acks=all}, which every Earshot producer uses, a write survives the
 * loss of a broker), one less than the replicas below that.
 *
 * @param name              the topic
 * @param partitions        its partitions
 * @param replicationFactor its replicas
 * @param configs           its topic configs ({@code cleanup.policy}, {@code retention.ms}, ...)
 */
public record TopicPlan(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    /** How long each topic keeps its records unless told otherwise; a topic not named here keeps {@link #FALLBACK_RETENTION}. */
    public static final Map<String, Duration> DEFAULT_RETENTION = Map.of(
            Topics.AUDIO_RAW, Duration.ofDays(1),
            Topics.CALLS, Duration.ofDays(7),
            Topics.SPEECH, Duration.ofDays(7),
            Topics.UTTERANCES, Duration.ofDays(7),
            Topics.CALL_LIVE, Duration.ofDays(1),
            Topics.CALL_SUMMARIES, Duration.ofDays(30),
            Topics.AGENT_METRICS, Duration.ofDays(30),
            Topics.DEAD_LETTERS, Duration.ofDays(30));

    /** Retention of a topic {@link #DEFAULT_RETENTION} does not name. */
    public static final Duration FALLBACK_RETENTION = Duration.ofDays(7);

    /** Topics where a later record of a key supersedes the earlier ones: compacted as well as deleted by age. */
    public static final List<String> COMPACTED = List.of(Topics.CALL_SUMMARIES);

    public static final int DEFAULT_PARTITIONS = 6;
    public static final short DEFAULT_REPLICATION_FACTOR = 3;

    public TopicPlan {
        configs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(configs)); // in the order given, for describe()
    }

    /**
     * The plan of every topic of {@code topics}.
     *
     * @param retention a retention per topic over {@link #DEFAULT_RETENTION}; a topic not in
     *                  {@code topics} is an error
     * @throws IllegalArgumentException for a count below 1 or a retention of an unknown topic
     */
    public static List<TopicPlan> of(List<String> topics, int partitions, short replicationFactor,
            Map<String, Duration> retention) {
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("--replication-factor must be at least 1, was " + replicationFactor);
        }
        for (var e : retention.entrySet()) {
            if (!topics.contains(e.getKey())) {
                throw new IllegalArgumentException("--retention: " + e.getKey() + " is not an Earshot topic (one of "
                        + String.join(", ", topics) + ")");
            }
            if (e.getValue().isNegative() || e.getValue().isZero()) {
                throw new IllegalArgumentException("--retention: " + e.getKey() + " must keep its records a while");
            }
        }
        List<TopicPlan> plans = new ArrayList<>();
        for (String topic : topics) {
            Duration keep = retention.getOrDefault(topic, DEFAULT_RETENTION.getOrDefault(topic, FALLBACK_RETENTION));
            Map<String, String> configs = new LinkedHashMap<>();
            configs.put("cleanup.policy", COMPACTED.contains(topic) ? "compact,delete" : "delete");
            configs.put("retention.ms", String.valueOf(keep.toMillis()));
            long segment = Math.max(Duration.ofMinutes(10).toMillis(),
                    Math.min(Duration.ofDays(1).toMillis(), keep.toMillis() / 4));
            configs.put("segment.ms", String.valueOf(segment));
            configs.put("min.insync.replicas", String.valueOf(Math.max(1, Math.min(2, replicationFactor - 1))));
            plans.add(new TopicPlan(topic, partitions, replicationFactor, configs));
        }
        return plans;
    }

    /** One line: name, partitions, replicas and configs, the durations also in words. */
    public String describe() {
        StringBuilder b = new StringBuilder(name).append(" partitions=").append(partitions)
                .append(" replication-factor=").append(replicationFactor);
        configs.forEach((k, v) -> {
            b.append(' ').append(k).append('=').append(v);
            if (k.endsWith(".ms")) {
                b.append(" (").append(words(Duration.ofMillis(Long.parseLong(v)))).append(')');
            }
        });
        return b.toString();
    }

    /** A duration as days, hours or minutes, the largest unit it is a whole number of (else seconds). */
    static String words(Duration d) {
        if (d.toMillis() % Duration.ofDays(1).toMillis() == 0) {
            return d.toDays() + "d";
        }
        if (d.toMillis() % Duration.ofHours(1).toMillis() == 0) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % Duration.ofMinutes(1).toMillis() == 0) {
            return d.toMinutes() + "m";
        }
        return d.toSeconds() + "s";
    }
}
