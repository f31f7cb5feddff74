package io.earshot.analysis.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.analysis.listening.ListeningConfig;
import io.earshot.analysis.listening.PhraseBook;
import io.earshot.analysis.listening.ScoreConfig;
import io.earshot.analysis.listening.ToneConfig;
import io.earshot.analysis.metrics.MetricsConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The metric job's rules from a settings tree, as {@code analyze --config}, {@code job --config}
 * and {@code serve}'s YAML give them (docs/configuration.md):
 *
 * <pre>
 * metrics:            # thresholds of docs/metrics.md, by the names results echo them under
 *   pauseRespectMinGapMs: 300
 * listening:
 *   language: en      # built-in phrase lists
 *   phrases: FILE     # or a phrase file of your own
 *   coachingNotes: 4
 *   tone: { raisedVoiceDb: 6, ... }
 *   score: { weights: { interruptions: 20, ... }, interruptionsZeroPer10Min: 3, ... }
 * </pre>
 *
 * Every key is optional and falls back to its default; a key that is not a setting is an error
 * naming it and the known ones, so a misspelt threshold is caught instead of silently ignored.
 * Named score weights replace the default of that component only (0 leaves it out).
 */
public final class JobSettings {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private JobSettings() {
    }

    /** {@code base} with the {@code metrics} and {@code listening} settings of {@code tree} applied. */
    public static JobConfig apply(JobConfig base, JsonNode tree) {
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            return base;
        }
        requireObject(tree, "settings");
        known(tree, "", List.of("metrics", "listening"));
        MetricsConfig metrics = overlay(base.metrics(), tree.get("metrics"), "metrics", MetricsConfig.class);
        ListeningConfig listening = listening(base.listening(), tree.get("listening"));
        return base.with(metrics, listening);
    }

    /** Parses a settings document given as JSON text (the form the job jar takes on its command line). */
    public static JobConfig apply(JobConfig base, String json) {
        try {
            return apply(base, JSON.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("settings are not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static ListeningConfig listening(ListeningConfig base, JsonNode node) {
        if (node == null || node.isNull()) {
            return base;
        }
        requireObject(node, "listening");
        known(node, "listening.", List.of("language", "phrases", "coachingNotes", "tone", "score"));
        PhraseBook phrases = base.phrases();
        if (node.has("phrases")) {
            String file = text(node, "phrases", "listening.");
            try {
                phrases = PhraseBook.read(java.nio.file.Path.of(file));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IllegalArgumentException("listening.phrases: no such file " + file, e);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("listening.phrases: cannot read " + file + ": " + e.getMessage(), e);
            }
        } else if (node.has("language")) {
            phrases = PhraseBook.builtIn(text(node, "language", "listening."));
        }
        int notes = base.coachingNotes();
        if (node.has("coachingNotes")) {
            JsonNode n = node.get("coachingNotes");
            if (!n.canConvertToInt()) {
                throw new IllegalArgumentException("listening.coachingNotes must be a whole number, not " + n);
            }
            notes = n.asInt();
        }
        ToneConfig tone = overlay(base.tone(), node.get("tone"), "listening.tone", ToneConfig.class);
        ScoreConfig score = overlay(base.score(), node.get("score"), "listening.score", ScoreConfig.class);
        return new ListeningConfig(phrases, tone, score, notes);
    }

    /** The record {@code base} with the keys of {@code node} replaced; nested objects merge key by key. */
    static <T> T overlay(T base, JsonNode node, String path, Class<T> type) {
        if (node == null || node.isNull()) {
            return base;
        }
        requireObject(node, path);
        ObjectNode merged = JSON.valueToTree(base);
        merge(merged, node, path);
        try {
            return JSON.treeToValue(merged, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(path + ": " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            Throwable cause = e.getCause() != null ? rootCause(e) : e;
            throw new IllegalArgumentException(path + ": " + cause.getMessage(), e);
        }
    }

    private static void merge(ObjectNode target, JsonNode source, String path) {
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode current = target.get(f.getKey());
            if (current == null) {
                throw new IllegalArgumentException("unknown setting " + path + "." + f.getKey() + "; the settings of "
                        + path + " are " + names);
            }
            if (current.isObject() && f.getValue().isObject() && !f.getKey().equals("weights")) {
                merge((ObjectNode) current, f.getValue(), path + "." + f.getKey());
            } else if (current.isObject() && f.getValue().isObject()) {
                ((ObjectNode) current).setAll((ObjectNode) f.getValue());
            } else {
                target.set(f.getKey(), f.getValue());
            }
        }
    }

    private static void known(JsonNode node, String prefix, List<String> names) {
        node.fieldNames().forEachRemaining(name -> {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("unknown setting " + prefix + name + "; known here: " + names);
            }
        });
    }

    private static void requireObject(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(path + " must be a map of settings, not " + node.getNodeType());
        }
    }

    private static String text(JsonNode node, String key, String prefix) {
        JsonNode v = node.get(key);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(prefix + key + " must be a non-empty text");
        }
        return v.asText();
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
