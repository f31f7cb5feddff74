package io.earshot.contracts;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Kafka client properties an operator gives Earshot (security, tuning: {@code kafka.properties}
 * of serve's YAML, {@code --kafka-properties FILE} of the metric job), and how every Earshot
 * Kafka client applies them: its own defaults first, then these on top, then
 * {@code bootstrap.servers}. One set reaches every client (ingest's producer, the raw-audio
 * consumer, the store writer, the floor feed, the watcher, the job's source and sinks), so a
 * cluster that needs SASL or TLS needs it said once.
 *
 * <p>Settings Earshot's clients depend on for their correctness (their group, offset handling,
 * serializers, transactions, {@code bootstrap.servers}) are refused here with a message naming
 * the key, rather than silently overridden or silently breaking a client.
 *
 * <p>Secrets: a whole value {@code ${NAME}} is taken from the environment variable NAME where
 * the properties are read (as serve's YAML does). A value that names a Kafka config provider,
 * {@code ${env:NAME}} or {@code ${file:/path:key}} (with {@code config.providers} set), is left
 * as it is: each Kafka client resolves it when it is created, in its own process, so for the
 * metric job on a Flink cluster the secret is read on the JobManager and TaskManagers and
 * never travels in the job's arguments or graph.
 */
public final class KafkaClientProperties {

    /** Keys a properties source may not set: Earshot's clients set them for their own correctness. */
    public static final Set<String> RESERVED = Set.of("bootstrap.servers", "group.id", "group.instance.id",
            "client.id", "enable.auto.commit", "auto.offset.reset", "isolation.level", "transactional.id",
            "key.serializer", "value.serializer", "key.deserializer", "value.deserializer");

    private KafkaClientProperties() {
    }

    /**
     * The properties of one client: {@code defaults} (the client's own settings), then
     * {@code properties}, then {@code bootstrap.servers}.
     */
    public static Properties of(String bootstrapServers, Map<String, String> properties, Map<String, ?> defaults) {
        Properties p = new Properties();
        defaults.forEach(p::put);
        p.putAll(properties);
        p.put("bootstrap.servers", bootstrapServers);
        return p;
    }

    /**
     * Checks {@code properties} from {@code source} (named in the message) and returns an
     * immutable copy.
     *
     * @throws IllegalArgumentException naming the source and key of a reserved or empty property
     */
    public static Map<String, String> validate(String source, Map<String, String> properties) {
        Map<String, String> out = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException(source + ": a property has no name");
            }
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException(source + ": " + key + " may not be set here: Earshot sets it"
                        + " for each client" + (key.equals("bootstrap.servers") ? " from the bootstrap setting" : ""));
            }
            if (value == null) {
                throw new IllegalArgumentException(source + ": " + key + " has no value");
            }
            out.put(key, value);
        });
        return Map.copyOf(out);
    }

    /**
     * Reads a Java properties file (ISO-8859-1 escapes, {@code key=value} lines), resolves
     * whole-value {@code ${NAME}} from {@code env} and validates the result.
     *
     * @throws IllegalArgumentException naming the file and the key for every problem
     */
    public static Map<String, String> load(Path file, Map<String, String> env) {
        Properties read = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            read.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such Kafka properties file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
        Map<String, String> raw = new LinkedHashMap<>();
        for (String key : read.stringPropertyNames()) {
            raw.put(key, read.getProperty(key));
        }
        return validate(file.toString(), resolve(file.toString(), raw, env));
    }

    /**
     * Replaces each whole value {@code ${NAME}} by the environment variable NAME; values naming
     * a Kafka config provider ({@code ${provider:...}}) stay for the client to resolve.
     *
     * @throws IllegalArgumentException naming the source and key when the variable is unset or empty
     */
    public static Map<String, String> resolve(String source, Map<String, String> properties, Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        properties.forEach((key, value) -> out.put(key, resolveValue(source, key, value, env)));
        return out;
    }

    private static String resolveValue(String source, String key, String value, Map<String, String> env) {
        if (value == null || !value.startsWith("${") || !value.endsWith("}")) {
            return value;
        }
        String name = value.substring(2, value.length() - 1);
        if (name.contains(":")) {
            return value; // a Kafka config provider reference, resolved by the client itself
        }
        String resolved = env.get(name);
        if (resolved == null) {
            throw new IllegalArgumentException(source + ": " + key + ": environment variable " + name + " is not set");
        }
        if (resolved.isEmpty()) {
            throw new IllegalArgumentException(source + ": " + key + ": environment variable " + name + " is empty");
        }
        return resolved;
    }
}
