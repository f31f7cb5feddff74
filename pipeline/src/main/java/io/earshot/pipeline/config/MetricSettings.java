package io.earshot.pipeline.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.config.JobSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The metric and listening settings of {@code analyze --config FILE} and {@code job --config
 * FILE}: a YAML file with {@code metrics:} and {@code listening:} sections, or a whole
 * {@code serve} configuration (recognised by its {@code kafka:} section), whose two sections
 * are then used, so one file can configure every process.
 */
public final class MetricSettings {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private MetricSettings() {
    }

    /** The settings tree of the file, as JSON; errors name the file and the setting. */
    public static JsonNode read(Path file) throws IOException {
        Loaded loaded = load(file);
        String text = loaded.text();
        JsonNode tree = loaded.tree();
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return YAML.createObjectNode();
        }
        if (!tree.isObject()) {
            throw new IllegalArgumentException(file + ": expected a YAML mapping at the top");
        }
        if (tree.has("kafka")) {
            EarshotConfig serve = EarshotConfig.parse(file.toString(), text, System.getenv());
            com.fasterxml.jackson.databind.node.ObjectNode settings = YAML.createObjectNode();
            if (serve.metrics() != null) {
                settings.set("metrics", serve.metrics());
            }
            if (serve.listening() != null) {
                settings.set("listening", serve.listening());
            }
            return settings;
        }
        if (tree.has("redaction")) {
            // read by redaction(file); the metric job does not take it
            tree = ((com.fasterxml.jackson.databind.node.ObjectNode) tree.deepCopy()).without("redaction");
        }
        try {
            JobSettings.apply(JobConfig.DEFAULTS, tree);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        return tree;
    }

    /**
     * The transcript redaction a {@code --config FILE} asks for: the {@code redaction:} section
     * of a serve configuration or of a settings file; everything on when the file has none.
     * Errors name the file and the key.
     */
    public static io.earshot.ingest.redact.RedactionConfig redaction(Path file) throws IOException {
        Loaded loaded = load(file);
        String text = loaded.text();
        JsonNode tree = loaded.tree();
        if (tree == null || !tree.isObject() || !tree.has("redaction")) {
            return EarshotConfig.Redaction.defaults().toConfig();
        }
        if (tree.has("kafka")) {
            return EarshotConfig.parse(file.toString(), text, System.getenv()).redaction().toConfig();
        }
        try {
            return STRICT.treeToValue(tree.get("redaction"), EarshotConfig.Redaction.class).toConfig();
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            String what = e.getCause() instanceof IllegalArgumentException iae ? iae.getMessage()
                    : "redaction: " + e.getOriginalMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException(file + ": " + what, e);
        }
    }

    /** A configuration file's text and its YAML tree (null for an empty file). */
    private record Loaded(String text, JsonNode tree) {
    }

    /** Reads and parses the file; errors name it. */
    private static Loaded load(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such configuration file");
        }
        try {
            return new Loaded(text, YAML.readTree(text));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** {@code base} with the file's settings applied. */
    public static JobConfig apply(JobConfig base, Path file) throws IOException {
        return JobSettings.apply(base, read(file));
    }
}
