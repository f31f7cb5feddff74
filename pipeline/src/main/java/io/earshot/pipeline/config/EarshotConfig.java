package io.earshot.pipeline.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.ingest.redact.RedactionConfig;
import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.config.JobSettings;
import io.earshot.ingest.protocol.IngestLimits;
import io.earshot.pipeline.dashboard.AlertRules;
import io.earshot.pipeline.live.CallRegistry;
import io.earshot.pipeline.dashboard.NudgeRules;
import io.earshot.pipeline.store.StoreRetention;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration of a production ingest process ({@code ./earshot serve --config FILE}),
 * read once from YAML; docs/configuration.md describes every key. Unknown keys are errors, so
 * a misspelt key is caught at start and not silently ignored. Values of the form
 * {@code ${NAME}} are taken from the environment variable NAME, so secrets need not be in
 * the file.
 */
public record EarshotConfig(Kafka kafka, Ingest ingest, AudioHook audiohook, Twilio twilio,
                            Transcription transcription, List<Agent> agents, String defaultAgentId, Store store,
                            Web web, JsonNode metrics, JsonNode listening, Alerts alerts, Nudges nudges,
                            Redaction redaction) {

    /**
     * What ingest redacts from transcripts before publishing them ({@code redaction:}); every
     * key absent takes its default from {@link RedactionConfig#DEFAULTS} (everything on), and
     * {@code enabled: false} is the one switch that publishes the words as heard.
     */
    public record Redaction(Boolean enabled, Boolean cards, Boolean phones, Boolean emails, Boolean nationalIds,
                            Integer digitRunMin, Integer trailingDigitsMin, Long joinGapMs) {
        public Redaction {
            RedactionConfig d = RedactionConfig.DEFAULTS;
            enabled = enabled == null ? d.enabled() : enabled;
            cards = cards == null ? d.cards() : cards;
            phones = phones == null ? d.phones() : phones;
            emails = emails == null ? d.emails() : emails;
            nationalIds = nationalIds == null ? d.nationalIds() : nationalIds;
            digitRunMin = digitRunMin == null ? d.digitRunMin() : digitRunMin;
            trailingDigitsMin = trailingDigitsMin == null ? d.trailingDigitsMin() : trailingDigitsMin;
            joinGapMs = joinGapMs == null ? d.joinGapMs() : joinGapMs;
            config(enabled, cards, phones, emails, nationalIds, digitRunMin, trailingDigitsMin, joinGapMs);
        }

        /** Every rule on. */
        public static Redaction defaults() {
            return new Redaction(null, null, null, null, null, null, null, null);
        }

        /** The rules ingest runs with. */
        public RedactionConfig toConfig() {
            return config(enabled, cards, phones, emails, nationalIds, digitRunMin, trailingDigitsMin, joinGapMs);
        }

        private static RedactionConfig config(boolean enabled, boolean cards, boolean phones, boolean emails,
                boolean nationalIds, int digitRunMin, int trailingDigitsMin, long joinGapMs) {
            return new RedactionConfig(enabled, cards, phones, emails, nationalIds, digitRunMin, trailingDigitsMin,
                    joinGapMs);
        }
    }

    /**
     * The floor dashboard's alert thresholds ({@code alerts:}); each key absent takes its default
     * from {@link AlertRules.Thresholds#DEFAULTS}.
     */
    public record Alerts(Integer agentInterruptions, Double talkShareLow, Double talkShareHigh,
                         Integer talkShareMinCallSeconds, Integer deadAirSeconds, Boolean customerRaisedVoice,
                         Double listeningScoreLow, Integer listeningScoreMinCallSeconds) {
        public Alerts {
            AlertRules.Thresholds d = AlertRules.Thresholds.DEFAULTS;
            agentInterruptions = agentInterruptions == null ? d.agentInterruptions() : agentInterruptions;
            talkShareLow = talkShareLow == null ? d.talkShareLow() : talkShareLow;
            talkShareHigh = talkShareHigh == null ? d.talkShareHigh() : talkShareHigh;
            talkShareMinCallSeconds = talkShareMinCallSeconds == null ? (int) (d.talkShareMinCallMs() / 1000)
                    : talkShareMinCallSeconds;
            deadAirSeconds = deadAirSeconds == null ? (int) (d.deadAirMs() / 1000) : deadAirSeconds;
            customerRaisedVoice = customerRaisedVoice == null ? d.customerRaisedVoice() : customerRaisedVoice;
            // 0 switches the score alert off (YAML has no way to say "null" that reads as intended)
            listeningScoreLow = listeningScoreLow == null ? d.listeningScoreLow() : listeningScoreLow;
            listeningScoreMinCallSeconds = listeningScoreMinCallSeconds == null
                    ? (int) (d.listeningScoreMinCallMs() / 1000) : listeningScoreMinCallSeconds;
            thresholds(agentInterruptions, talkShareLow, talkShareHigh, talkShareMinCallSeconds, deadAirSeconds,
                    customerRaisedVoice, listeningScoreLow, listeningScoreMinCallSeconds);
        }

        /** The thresholds the dashboard alerts with. */
        public AlertRules.Thresholds thresholds() {
            return thresholds(agentInterruptions, talkShareLow, talkShareHigh, talkShareMinCallSeconds, deadAirSeconds,
                    customerRaisedVoice, listeningScoreLow, listeningScoreMinCallSeconds);
        }

        private static AlertRules.Thresholds thresholds(int interruptions, double low, double high, int minCallS,
                int deadAirS, boolean raisedVoice, double scoreLow, int scoreMinCallS) {
            if (scoreLow < 0 || scoreLow > 100) {
                throw new IllegalArgumentException("alerts.listeningScoreLow must be from 0 (off) to 100, not " + scoreLow);
            }
            try {
                return new AlertRules.Thresholds(interruptions, low, high, minCallS * 1000L, deadAirS * 1000L,
                        raisedVoice, scoreLow == 0 ? null : scoreLow, scoreMinCallS * 1000L);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("alerts: at least one interruption, a talk-share band within 0..1"
                        + " with low <= high, dead air of at least 1 s and call times of at least 0 s are required");
            }
        }
    }

    /** The agents' nudges ({@code nudges:}); each key absent takes its default from {@link NudgeRules.Settings#DEFAULTS}. */
    public record Nudges(Boolean monologue, Integer monologueSeconds, Boolean interruption, Boolean customerVoice,
                         Boolean confirmation, Integer maxAgeSeconds) {
        public Nudges {
            NudgeRules.Settings d = NudgeRules.Settings.DEFAULTS;
            monologue = monologue == null ? d.monologue() : monologue;
            monologueSeconds = monologueSeconds == null ? (int) (d.monologueMs() / 1000) : monologueSeconds;
            interruption = interruption == null ? d.interruption() : interruption;
            customerVoice = customerVoice == null ? d.customerVoice() : customerVoice;
            confirmation = confirmation == null ? d.confirmation() : confirmation;
            maxAgeSeconds = maxAgeSeconds == null ? (int) (d.maxAgeMs() / 1000) : maxAgeSeconds;
            if (monologueSeconds < 1) {
                throw new IllegalArgumentException("nudges.monologueSeconds must be at least 1");
            }
            if (maxAgeSeconds < 1) {
                throw new IllegalArgumentException("nudges.maxAgeSeconds must be at least 1");
            }
        }

        /** The settings the dashboard nudges with. */
        public NudgeRules.Settings settings() {
            return new NudgeRules.Settings(monologue, monologueSeconds * 1000L, interruption, customerVoice,
                    confirmation, maxAgeSeconds * 1000L);
        }
    }

    /** The analysts' PostgreSQL; absent: this process does not write the store. */
    public record Store(String jdbcUrl, String user, String password, Retention retention) {
        public Store {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("store.jdbcUrl must be a jdbc:postgresql: URL");
            }
            retention = retention == null ? new Retention(null, null, null, null, null) : retention;
        }

        /** A store that keeps everything for ever. */
        public Store(String jdbcUrl, String user, String password) {
            this(jdbcUrl, user, password, null);
        }
    }

    /**
     * How long the store keeps calls, their evidence and agent windows ({@code store.retention},
     * see {@link StoreRetention}): periods such as {@code 90d} or {@code 12h}; a period absent
     * keeps that kind for ever, so an upgrade never deletes anything nobody asked to delete.
     */
    public record Retention(String calls, String evidence, String windows, String purgeEvery, Integer batchSize) {
        /** How often the serving process purges unless configured otherwise. */
        public static final Duration DEFAULT_PURGE_EVERY = Duration.ofHours(1);

        public Retention {
            purgeEvery = purgeEvery == null ? "1h" : purgeEvery;
            batchSize = batchSize == null ? StoreRetention.DEFAULT_BATCH_SIZE : batchSize;
            if (batchSize < 1 || batchSize > 100_000) {
                throw new IllegalArgumentException("store.retention.batchSize must be from 1 to 100000, not " + batchSize);
            }
            if (period("store.retention.purgeEvery", purgeEvery).compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("store.retention.purgeEvery must be at least 1m");
            }
            try {
                new StoreRetention.Policy(keep("calls", calls), keep("evidence", evidence), keep("windows", windows));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith("store.") ? e.getMessage()
                        : "store.retention: " + e.getMessage());
            }
        }

        /** What the store keeps. */
        public StoreRetention.Policy policy() {
            return new StoreRetention.Policy(keep("calls", calls), keep("evidence", evidence), keep("windows", windows));
        }

        /** How often the serving process purges. */
        public Duration purgeInterval() {
            return period("store.retention.purgeEvery", purgeEvery);
        }

        private static Duration keep(String key, String value) {
            if (value == null) {
                return null;
            }
            Duration d = period("store.retention." + key, value);
            if (d.compareTo(Duration.ofHours(1)) < 0) {
                throw new IllegalArgumentException("store.retention." + key + " must be at least 1h, not " + value);
            }
            return d;
        }

        /**
         * A period: a whole number of days ({@code 90d}), hours ({@code 12h}) or minutes ({@code 30m}).
         *
         * @throws IllegalArgumentException naming {@code key} when it is not one
         */
        public static Duration period(String key, String value) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,6})([dhm])").matcher(value.trim());
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw new IllegalArgumentException(key + ": '" + value + "' is not a period: a positive whole number"
                        + " of days (90d), hours (12h) or minutes (30m)");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofMinutes(n);
            };
        }
    }

    /**
     * The query API and the floor dashboard; absent: this process serves neither. Each limit
     * absent takes the default docs/configuration.md gives.
     */
    public record Web(String bind, Integer port, Integer poolSize, Integer tokenCacheSeconds,
                      Integer tokenFailureCacheSeconds, Integer authFailuresPerMinute, Integer streamRevalidateSeconds,
                      Integer maxStreams, Integer maxStreamsPerToken, Integer streamQueueEvents) {
        public Web {
            bind = bind == null ? "0.0.0.0" : bind;
            port = port == null ? 8081 : port;
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("web.port out of range: " + port);
            }
            poolSize = atLeast("web.poolSize", poolSize, 8, 1);
            tokenCacheSeconds = atLeast("web.tokenCacheSeconds", tokenCacheSeconds, 10, 0);
            tokenFailureCacheSeconds = atLeast("web.tokenFailureCacheSeconds", tokenFailureCacheSeconds, 300, 0);
            authFailuresPerMinute = atLeast("web.authFailuresPerMinute", authFailuresPerMinute, 20, 1);
            streamRevalidateSeconds = atLeast("web.streamRevalidateSeconds", streamRevalidateSeconds, 30, 1);
            maxStreams = atLeast("web.maxStreams", maxStreams, 200, 1);
            maxStreamsPerToken = atLeast("web.maxStreamsPerToken", maxStreamsPerToken, 8, 1);
            streamQueueEvents = atLeast("web.streamQueueEvents", streamQueueEvents, 32, 1);
            if (tokenCacheSeconds >= streamRevalidateSeconds) {
                throw new IllegalArgumentException("web.tokenCacheSeconds (" + tokenCacheSeconds
                        + ") must be below web.streamRevalidateSeconds (" + streamRevalidateSeconds
                        + "): a revoked token's stream ends within streamRevalidateSeconds");
            }
        }

        public Web(String bind, Integer port) {
            this(bind, port, null, null, null, null, null, null, null, null);
        }

        private static int atLeast(String key, Integer value, int fallback, int min) {
            int v = value == null ? fallback : value;
            if (v < min) {
                throw new IllegalArgumentException(key + " must be at least " + min + ", was " + v);
            }
            return v;
        }

        /** The token lookup's memory and its limit on failures per client address. */
        public io.earshot.pipeline.api.CachingAuthenticator.Settings authentication() {
            return new io.earshot.pipeline.api.CachingAuthenticator.Settings(
                    java.time.Duration.ofSeconds(tokenCacheSeconds), java.time.Duration.ofSeconds(tokenFailureCacheSeconds),
                    authFailuresPerMinute, java.time.Duration.ofMinutes(1), 10_000);
        }

        /**
         * The bounds on event streams. A stream's token is checked every {@code streamRevalidateSeconds
         * - tokenCacheSeconds}, so that with the token lookup's memory a revoked token's stream ends
         * within {@code streamRevalidateSeconds}.
         */
        public io.earshot.pipeline.dashboard.DashboardHandler.StreamLimits streams() {
            return new io.earshot.pipeline.dashboard.DashboardHandler.StreamLimits(maxStreams, maxStreamsPerToken,
                    streamQueueEvents, java.time.Duration.ofSeconds(streamRevalidateSeconds - tokenCacheSeconds));
        }
    }

    /**
     * The Kafka cluster, and the client properties (security, tuning) every Kafka client of
     * the process adds to its own settings: ingest's producer, the raw-audio consumer, the
     * store writer, the floor feed (see {@link io.earshot.contracts.KafkaClientProperties}).
     */
    public record Kafka(String bootstrap, Map<String, String> properties) {
        public Kafka {
            properties = io.earshot.contracts.KafkaClientProperties.validate("kafka.properties",
                    properties == null ? Map.of() : properties);
        }

        /** A client's properties: its own {@code defaults}, then {@link #properties()}, then the bootstrap servers. */
        public java.util.Properties clientProperties(Map<String, ?> defaults) {
            return io.earshot.contracts.KafkaClientProperties.of(bootstrap, properties, defaults);
        }

        /**
         * The cluster a command connects to, from its options: {@code --bootstrap} over the
         * {@code kafka:} section of a configuration file ({@code fromFile}, may be null), whose
         * client properties {@code --kafka-properties} ({@code propertiesFile}, may be null)
         * extends and overrides.
         *
         * @throws IllegalArgumentException when neither names the bootstrap servers
         */
        public static Kafka fromOptions(String bootstrap, Kafka fromFile, Path propertiesFile,
                Map<String, String> env) {
            Map<String, String> merged = new java.util.TreeMap<>();
            String servers = bootstrap;
            if (fromFile != null) {
                merged.putAll(fromFile.properties());
                servers = servers != null ? servers : fromFile.bootstrap();
            }
            if (propertiesFile != null) {
                merged.putAll(io.earshot.contracts.KafkaClientProperties.load(propertiesFile, env));
            }
            if (servers == null) {
                throw new IllegalArgumentException("--bootstrap is required (or a --config file with a kafka: section)");
            }
            return new Kafka(servers, merged);
        }

        /**
         * The {@code kafka:} section of a YAML file: a serve configuration or a file with only
         * that section; {@code ${NAME}} values from {@code env}. Errors name the file and key.
         *
         * @return null when the file has no {@code kafka:} section
         */
        public static Kafka load(Path file, Map<String, String> env) throws IOException {
            String text;
            try {
                text = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException(file + ": no such configuration file");
            }
            ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            Object tree;
            try {
                tree = mapper.readValue(text, Object.class);
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": not valid YAML: "
                        + e.getMessage().lines().findFirst().orElse(""), e);
            }
            if (!(tree instanceof Map<?, ?> top) || !top.containsKey("kafka")) {
                return null;
            }
            if (!(top.get("kafka") instanceof Map<?, ?> section)) {
                throw new IllegalArgumentException(file + ": kafka: expected a mapping");
            }
            try {
                Kafka kafka = mapper.convertValue(resolve(section, env, ".kafka"), Kafka.class);
                if (kafka.bootstrap() == null || kafka.bootstrap().isBlank()) {
                    throw new IllegalArgumentException("kafka.bootstrap is required");
                }
                return kafka;
            } catch (IllegalArgumentException e) {
                if (e.getCause() instanceof JsonMappingException m) {
                    throw new IllegalArgumentException(file + ": kafka." + describe(m), e);
                }
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The WebSocket server for the telephony platforms, and the bounds on what one caller may use.
     *
     * @param drainSeconds on SIGTERM, how long live calls may go on before the process exits
     * @param metricsToken when set, {@code GET /metrics} (ingest and web port) needs
     *                     {@code Authorization: Bearer} this token; null leaves it open
     * @param enabled      {@code false} runs no ingest at all (no WebSocket server, no raw-audio
     *                     consumer): a process that only writes the store and serves the API and
     *                     dashboard, beside ingest processes of its own
     */
    public record Ingest(String bind, Integer port, Limits limits, Integer drainSeconds, String metricsToken,
            Boolean enabled) {
        /** 30 s: most orchestrators wait that long after SIGTERM before they kill. */
        public static final int DEFAULT_DRAIN_SECONDS = 30;

        public Ingest {
            bind = bind == null ? "0.0.0.0" : bind;
            port = port == null ? 8080 : port;
            limits = limits == null ? Limits.DEFAULTS : limits;
            drainSeconds = drainSeconds == null ? DEFAULT_DRAIN_SECONDS : drainSeconds;
            if (drainSeconds < 1 || drainSeconds > 3600) {
                throw new IllegalArgumentException("ingest.drainSeconds must be between 1 and 3600, not " + drainSeconds);
            }
            if (metricsToken != null && metricsToken.length() < 16) {
                throw new IllegalArgumentException("ingest.metricsToken must be at least 16 characters (omit the key to"
                        + " leave /metrics open)");
            }
            enabled = enabled == null || enabled;
        }

        /** With the default limits. */
        public Ingest(String bind, Integer port) {
            this(bind, port, null);
        }

        /** Ingest on, with these limits, the default drain period and an open {@code /metrics}. */
        public Ingest(String bind, Integer port, Limits limits) {
            this(bind, port, limits, null, null, null);
        }

        /** Ingest on. */
        public Ingest(String bind, Integer port, Limits limits, Integer drainSeconds, String metricsToken) {
            this(bind, port, limits, drainSeconds, metricsToken, null);
        }
    }

    /**
     * The bounds on live calls ({@code ingest.limits:}); each key absent takes its default. Calls
     * are counted over every protocol; the per-key count is per AudioHook API key and per Twilio
     * account. docs/configuration.md and docs/security.md describe what a caller sees at each.
     */
    public record Limits(Integer maxConcurrentCalls, Integer maxCallsPerKey, Integer maxCallSeconds,
                         Integer maxGapSeconds, Boolean realTimeMedia, Integer mediaAheadGraceSeconds,
                         Integer maxMediaAheadSeconds, Integer maxMessagesPerSecond, Integer messageBurst,
                         Integer rememberedEndedCalls) {

        /** The largest {@code maxGapSeconds} accepted: an hour. */
        public static final int MAX_GAP_SECONDS = 3600;

        /** Every key at its default. */
        public static final Limits DEFAULTS = new Limits(null, null, null, null, null, null, null, null, null, null);

        public Limits {
            IngestLimits d = IngestLimits.defaults();
            maxConcurrentCalls = maxConcurrentCalls == null ? CallRegistry.Limits.DEFAULT_MAX_CALLS : maxConcurrentCalls;
            maxCallsPerKey = maxCallsPerKey == null ? CallRegistry.Limits.DEFAULT_MAX_CALLS_PER_KEY : maxCallsPerKey;
            maxCallSeconds = maxCallSeconds == null ? (int) d.maxCallDuration().toSeconds() : maxCallSeconds;
            maxGapSeconds = maxGapSeconds == null ? (int) d.maxGap().toSeconds() : maxGapSeconds;
            realTimeMedia = realTimeMedia == null ? d.realTimeMedia() : realTimeMedia;
            mediaAheadGraceSeconds = mediaAheadGraceSeconds == null ? (int) d.mediaAheadGrace().toSeconds()
                    : mediaAheadGraceSeconds;
            maxMediaAheadSeconds = maxMediaAheadSeconds == null ? (int) d.maxMediaAhead().toSeconds()
                    : maxMediaAheadSeconds;
            maxMessagesPerSecond = maxMessagesPerSecond == null ? d.maxMessagesPerSecond() : maxMessagesPerSecond;
            messageBurst = messageBurst == null ? d.messageBurst() : messageBurst;
            rememberedEndedCalls = rememberedEndedCalls == null ? CallRegistry.Limits.DEFAULT_REMEMBERED_ENDED_CALLS
                    : rememberedEndedCalls;
            atLeast("maxConcurrentCalls", maxConcurrentCalls, 1);
            atLeast("maxCallsPerKey", maxCallsPerKey, 1);
            if (maxCallsPerKey > maxConcurrentCalls) {
                throw new IllegalArgumentException("ingest.limits.maxCallsPerKey (" + maxCallsPerKey
                        + ") must not exceed ingest.limits.maxConcurrentCalls (" + maxConcurrentCalls + ")");
            }
            atLeast("maxCallSeconds", maxCallSeconds, 1);
            atLeast("maxGapSeconds", maxGapSeconds, 1);
            if (maxGapSeconds > MAX_GAP_SECONDS) {
                // a gap is buffered as one block on the raw-audio path
                throw new IllegalArgumentException("ingest.limits.maxGapSeconds must be at most " + MAX_GAP_SECONDS
                        + ", not " + maxGapSeconds);
            }
            atLeast("mediaAheadGraceSeconds", mediaAheadGraceSeconds, 0);
            atLeast("maxMediaAheadSeconds", maxMediaAheadSeconds, 1);
            atLeast("maxMessagesPerSecond", maxMessagesPerSecond, 1);
            atLeast("messageBurst", messageBurst, 1);
            atLeast("rememberedEndedCalls", rememberedEndedCalls, 0);
        }

        /** These limits, for the simple cases that give the first nine keys. */
        public Limits(Integer maxConcurrentCalls, Integer maxCallsPerKey, Integer maxCallSeconds, Integer maxGapSeconds,
                Boolean realTimeMedia, Integer mediaAheadGraceSeconds, Integer maxMediaAheadSeconds,
                Integer maxMessagesPerSecond, Integer messageBurst) {
            this(maxConcurrentCalls, maxCallsPerKey, maxCallSeconds, maxGapSeconds, realTimeMedia,
                    mediaAheadGraceSeconds, maxMediaAheadSeconds, maxMessagesPerSecond, messageBurst, null);
        }

        /** The bounds every protocol session and connection enforces. */
        public IngestLimits ingestLimits() {
            return new IngestLimits(java.time.Duration.ofSeconds(maxCallSeconds),
                    java.time.Duration.ofSeconds(maxGapSeconds), realTimeMedia,
                    java.time.Duration.ofSeconds(mediaAheadGraceSeconds), java.time.Duration.ofSeconds(maxMediaAheadSeconds),
                    maxMessagesPerSecond, messageBurst);
        }

        /** The call counts the registry enforces. */
        public CallRegistry.Limits callLimits() {
            return new CallRegistry.Limits(maxConcurrentCalls, maxCallsPerKey, rememberedEndedCalls);
        }

        /**
         * These limits with the real-time check off and no practical message rate: for trusted
         * clients that replay recordings faster than real time on purpose (the embedded demo,
         * benchmarks, tests), never the serve default.
         */
        public Limits trustedReplay() {
            return new Limits(maxConcurrentCalls, maxCallsPerKey, maxCallSeconds, maxGapSeconds, false,
                    mediaAheadGraceSeconds, maxMediaAheadSeconds, IngestLimits.REPLAY_MESSAGES_PER_SECOND,
                    IngestLimits.REPLAY_MESSAGES_PER_SECOND, rememberedEndedCalls);
        }

        private static void atLeast(String key, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException("ingest.limits." + key + " must be at least " + min + ", not " + value);
            }
        }
    }

    /**
     * AudioHook: client secrets (base64, as Genesys shows them) by API key, the signature's time
     * window, and how many signed upgrades a second the replay cache is sized for.
     */
    public record AudioHook(Boolean enabled, Map<String, String> apiKeys, Integer maxClockSkewSeconds,
                            Integer maxSignatureAgeSeconds, Integer maxUpgradesPerSecond) {
        /** Signed upgrades a second the replay cache holds nonces for by default. */
        public static final int DEFAULT_MAX_UPGRADES_PER_SECOND = 100;

        public AudioHook {
            enabled = enabled == null || enabled;
            apiKeys = apiKeys == null ? Map.of() : Map.copyOf(apiKeys);
            maxClockSkewSeconds = maxClockSkewSeconds == null ? 3 : maxClockSkewSeconds;
            maxSignatureAgeSeconds = maxSignatureAgeSeconds == null ? 10 : maxSignatureAgeSeconds;
            maxUpgradesPerSecond = maxUpgradesPerSecond == null ? DEFAULT_MAX_UPGRADES_PER_SECOND
                    : maxUpgradesPerSecond;
            if (maxClockSkewSeconds < 0 || maxSignatureAgeSeconds < 1) {
                throw new IllegalArgumentException("audiohook.maxClockSkewSeconds must be at least 0 and"
                        + " audiohook.maxSignatureAgeSeconds at least 1");
            }
            if (maxUpgradesPerSecond < 1 || maxUpgradesPerSecond > 10_000) {
                throw new IllegalArgumentException("audiohook.maxUpgradesPerSecond must be from 1 to 10000, not "
                        + maxUpgradesPerSecond);
            }
        }

        /** With the default upgrade rate. */
        public AudioHook(Boolean enabled, Map<String, String> apiKeys, Integer maxClockSkewSeconds,
                Integer maxSignatureAgeSeconds) {
            this(enabled, apiKeys, maxClockSkewSeconds, maxSignatureAgeSeconds, null);
        }

        /**
         * Nonces the replay cache holds: a nonce is remembered while a signature carrying it could
         * still be accepted (clock skew plus signature age), so the cache holds that window of
         * upgrades at {@code maxUpgradesPerSecond}; when it is full, upgrades get 503 until nonces
         * expire rather than forgetting one that could be replayed.
         */
        public int replayCacheSize() {
            return maxUpgradesPerSecond * (maxClockSkewSeconds + maxSignatureAgeSeconds);
        }
    }

    /**
     * Twilio Media Streams: how upgrades are authenticated and which track is the agent.
     * {@code auth} is {@code signature} (Twilio's {@code X-Twilio-Signature} with {@code authToken}
     * and/or the {@code accounts}' auth tokens, over {@code publicUrl}), {@code token} (the shared
     * {@code token} a proxy adds) or {@code none} (trusted network only, warned at every start).
     * Without {@code auth}, it is {@code token} when a token is given and {@code signature} otherwise.
     */
    public record Twilio(Boolean enabled, String token, String agentTrack, String auth, String authToken,
                         Map<String, String> accounts, String publicUrl) {
        public Twilio {
            enabled = enabled == null || enabled;
            agentTrack = agentTrack == null ? "outbound" : agentTrack;
            accounts = accounts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(accounts));
            auth = auth != null ? auth : token != null ? "token" : "signature";
        }

        /** Shared-token authentication (or none when {@code token} is null: signature, which then needs a token). */
        public Twilio(Boolean enabled, String token, String agentTrack) {
            this(enabled, token, agentTrack, null, null, null, null);
        }

        /** The auth tokens to check signatures with, by account SID ({@code ""} for {@code authToken}). */
        public Map<String, String> authTokensByAccount() {
            Map<String, String> byAccount = new LinkedHashMap<>(accounts);
            if (authToken != null) {
                byAccount.put("", authToken);
            }
            return byAccount;
        }
    }

    /**
     * Speech recognition: model folder, recognisers, the lag beyond which regions are skipped,
     * the recogniser's speed profile ({@code accurate} or {@code fast}) and the audio a
     * recogniser decodes before it is replaced by a fresh one (which bounds its memory; by
     * default the profile's own, {@link io.earshot.ingest.asr.AsrProfile#recycleAfterSeconds()}).
     */
    public record Transcription(Boolean enabled, String model, Integer workers, Integer maxLagSeconds,
            String profile, Integer recycleAfterSeconds) {
        public Transcription {
            enabled = enabled == null || enabled;
            workers = workers == null ? Math.max(1, Runtime.getRuntime().availableProcessors()) : workers;
            maxLagSeconds = maxLagSeconds == null ? 20 : maxLagSeconds;
            profile = profile == null ? io.earshot.ingest.asr.AsrProfile.ACCURATE.configName() : profile;
            recycleAfterSeconds = recycleAfterSeconds == null ? profileRecycleSeconds(profile) : recycleAfterSeconds;
        }

        /** The named profile's own recycling budget; an unknown name is refused later, naming the key. */
        private static int profileRecycleSeconds(String profile) {
            try {
                return io.earshot.ingest.asr.AsrProfile.parse(profile).recycleAfterSeconds();
            } catch (IllegalArgumentException e) {
                return io.earshot.ingest.asr.RecognizerPool.DEFAULT_RECYCLE_AFTER_SECONDS;
            }
        }

        /** The model's own search settings and the default recycling budget. */
        public Transcription(Boolean enabled, String model, Integer workers, Integer maxLagSeconds) {
            this(enabled, model, workers, maxLagSeconds, null, null);
        }

        /** The profile named by {@link #profile()}. */
        public io.earshot.ingest.asr.AsrProfile asrProfile() {
            return io.earshot.ingest.asr.AsrProfile.parse(profile);
        }
    }

    /** One agent of the roster. */
    public record Agent(String id, String team, String queue) {
    }

    public EarshotConfig {
        if (kafka == null || kafka.bootstrap() == null || kafka.bootstrap().isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap is required");
        }
        ingest = ingest == null ? new Ingest(null, null) : ingest;
        // without ingest, an absent protocol section is off rather than a path that needs credentials
        Boolean pathDefault = ingest.enabled() ? null : false;
        audiohook = audiohook == null ? new AudioHook(pathDefault, null, null, null) : audiohook;
        twilio = twilio == null ? new Twilio(pathDefault, null, null) : twilio;
        transcription = transcription == null ? new Transcription(null, null, null, null) : transcription;
        agents = agents == null ? List.of() : List.copyOf(agents);
        alerts = alerts == null ? new Alerts(null, null, null, null, null, null, null, null) : alerts;
        nudges = nudges == null ? new Nudges(null, null, null, null, null, null) : nudges;
        redaction = redaction == null ? Redaction.defaults() : redaction;
        if (ingest.port() < 0 || ingest.port() > 65_535) {
            throw new IllegalArgumentException("ingest.port out of range: " + ingest.port());
        }
        if (audiohook.enabled() && audiohook.apiKeys().isEmpty()) {
            throw new IllegalArgumentException("audiohook.apiKeys: at least one API key and client secret is required"
                    + " (or audiohook.enabled: false)");
        }
        for (Map.Entry<String, String> key : audiohook.apiKeys().entrySet()) {
            byte[] secret;
            try {
                secret = Base64.getDecoder().decode(key.getValue() == null ? "" : key.getValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("audiohook.apiKeys." + key.getKey()
                        + ": the client secret is not base64");
            }
            if (secret.length == 0) {
                // an empty secret would let anyone sign requests for this key
                throw new IllegalArgumentException("audiohook.apiKeys." + key.getKey() + ": the client secret is empty");
            }
        }
        if (twilio.token() != null && twilio.token().isBlank()) {
            throw new IllegalArgumentException("twilio.token is empty: an empty token would match any request without"
                    + " one (omit the key for no token)");
        }
        checkTwilioAuth(twilio);
        if (!twilio.agentTrack().equals("inbound") && !twilio.agentTrack().equals("outbound")) {
            throw new IllegalArgumentException("twilio.agentTrack must be inbound or outbound, not "
                    + twilio.agentTrack());
        }
        if (transcription.enabled() && transcription.workers() < 1) {
            throw new IllegalArgumentException("transcription.workers must be at least 1");
        }
        if (transcription.maxLagSeconds() < 1) {
            throw new IllegalArgumentException("transcription.maxLagSeconds must be at least 1");
        }
        try {
            transcription.asrProfile();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("transcription.profile: " + e.getMessage());
        }
        if (transcription.recycleAfterSeconds() < 10) {
            throw new IllegalArgumentException("transcription.recycleAfterSeconds must be at least 10, got "
                    + transcription.recycleAfterSeconds());
        }
        if (!ingest.enabled() && store == null) {
            throw new IllegalArgumentException("ingest.enabled: false needs store: without ingest this process only"
                    + " writes the store and serves web");
        }
        if (web != null && store == null) {
            throw new IllegalArgumentException("web needs store: the query API reads the store, and the tokens are kept there");
        }
        for (Agent a : agents) {
            if (a.id() == null || a.id().isBlank()) {
                throw new IllegalArgumentException("agents: every agent needs an id");
            }
        }
        jobConfig(metrics, listening); // a misspelt threshold or weight fails at start, naming it
    }

    /** The configuration with redaction at its default: everything on. */
    public EarshotConfig(Kafka kafka, Ingest ingest, AudioHook audiohook, Twilio twilio, Transcription transcription,
            List<Agent> agents, String defaultAgentId, Store store, Web web, JsonNode metrics, JsonNode listening,
            Alerts alerts, Nudges nudges) {
        this(kafka, ingest, audiohook, twilio, transcription, agents, defaultAgentId, store, web, metrics, listening,
                alerts, nudges, null);
    }

    /** Every enabled Twilio path is authenticated, or explicitly not ({@code auth: none}). */
    private static void checkTwilioAuth(Twilio twilio) {
        if (twilio.authToken() != null && twilio.authToken().isBlank()) {
            throw new IllegalArgumentException("twilio.authToken is empty: it would sign requests anyone can forge");
        }
        twilio.accounts().forEach((sid, token) -> {
            if (sid == null || !sid.matches("AC[0-9a-fA-F]{32}")) {
                throw new IllegalArgumentException("twilio.accounts: " + sid + " is not an account SID (AC + 32 hex digits)");
            }
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("twilio.accounts." + sid + ": the auth token is empty");
            }
        });
        boolean signatureKeys = twilio.authToken() != null || !twilio.accounts().isEmpty() || twilio.publicUrl() != null;
        switch (twilio.auth()) {
            case "signature" -> {
                if (twilio.token() != null) {
                    throw new IllegalArgumentException("twilio.token is only used with twilio.auth: token");
                }
                if (twilio.enabled() && twilio.authToken() == null && twilio.accounts().isEmpty()) {
                    throw new IllegalArgumentException("twilio.authToken (or twilio.accounts) is required: Twilio"
                            + " streams are authenticated by their X-Twilio-Signature (or set twilio.auth: token with"
                            + " twilio.token, twilio.auth: none on a trusted network only, or twilio.enabled: false)");
                }
                if (twilio.publicUrl() != null) {
                    URI url;
                    try {
                        url = new URI(twilio.publicUrl());
                    } catch (URISyntaxException e) {
                        throw new IllegalArgumentException("twilio.publicUrl is not a URL: " + twilio.publicUrl());
                    }
                    if (!("wss".equals(url.getScheme()) || "ws".equals(url.getScheme())) || url.getRawAuthority() == null
                            || url.getRawQuery() != null || url.getRawFragment() != null) {
                        throw new IllegalArgumentException("twilio.publicUrl must be wss://host[:port][/prefix], the"
                                + " address Twilio connects to without the /twilio path, not " + twilio.publicUrl());
                    }
                }
            }
            case "token" -> {
                if (twilio.enabled() && twilio.token() == null) {
                    throw new IllegalArgumentException("twilio.token is required with twilio.auth: token");
                }
                if (signatureKeys) {
                    throw new IllegalArgumentException("twilio.authToken, twilio.accounts and twilio.publicUrl are only"
                            + " used with twilio.auth: signature");
                }
            }
            case "none" -> {
                if (twilio.token() != null || signatureKeys) {
                    throw new IllegalArgumentException("twilio.auth: none takes no twilio.token, twilio.authToken,"
                            + " twilio.accounts or twilio.publicUrl");
                }
            }
            default -> throw new IllegalArgumentException("twilio.auth must be signature, token or none, not "
                    + twilio.auth());
        }
    }

    /**
     * Warnings serve prints at every start about ingest paths that are open without
     * authentication ({@code twilio.auth: none}).
     */
    public List<String> insecureIngestWarnings() {
        List<String> warnings = new ArrayList<>();
        if (twilio.enabled() && "none".equals(twilio.auth())) {
            warnings.add("twilio.auth is none: anyone who can reach the Twilio path can stream calls for any agent;"
                    + " use it only on a trusted network that authenticates Twilio itself");
        }
        return warnings;
    }

    /** The configuration without metric or listening settings (their defaults). */
    public EarshotConfig(Kafka kafka, Ingest ingest, AudioHook audiohook, Twilio twilio, Transcription transcription,
            List<Agent> agents, String defaultAgentId, Store store, Web web) {
        this(kafka, ingest, audiohook, twilio, transcription, agents, defaultAgentId, store, web, null, null, null, null);
    }

    /** The configuration with the dashboard's alerts and nudges at their defaults. */
    public EarshotConfig(Kafka kafka, Ingest ingest, AudioHook audiohook, Twilio twilio, Transcription transcription,
            List<Agent> agents, String defaultAgentId, Store store, Web web, JsonNode metrics, JsonNode listening) {
        this(kafka, ingest, audiohook, twilio, transcription, agents, defaultAgentId, store, web, metrics, listening,
                null, null);
    }

    /**
     * The metric rules of the {@code metrics} and {@code listening} sections (docs/configuration.md):
     * what the API scores aggregates with, and what {@code job --config} runs the metric job with.
     */
    public JobConfig jobConfig() {
        return jobConfig(metrics, listening);
    }

    private static JobConfig jobConfig(JsonNode metrics, JsonNode listening) {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        if (metrics != null && !metrics.isNull()) {
            settings.set("metrics", metrics);
        }
        if (listening != null && !listening.isNull()) {
            settings.set("listening", listening);
        }
        return JobSettings.apply(JobConfig.DEFAULTS, settings);
    }

    /** The roster by agent id. */
    public Map<String, Agent> roster() {
        Map<String, Agent> byId = new LinkedHashMap<>();
        for (Agent a : agents) {
            if (byId.put(a.id(), a) != null) {
                throw new IllegalArgumentException("agents: " + a.id() + " is listed twice");
            }
        }
        return byId;
    }

    /** Reads a YAML file; any problem is an IllegalArgumentException naming the file and the key. */
    public static EarshotConfig load(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such configuration file");
        }
        return parse(file.toString(), text, System.getenv());
    }

    /** Parses YAML text; {@code name} names it in error messages, {@code env} resolves {@code ${NAME}} values. */
    public static EarshotConfig parse(String name, String yaml, Map<String, String> env) {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Object tree;
        try {
            tree = mapper.readValue(yaml, Object.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (!(tree instanceof Map)) {
            throw new IllegalArgumentException(name + ": expected a YAML mapping at the top");
        }
        try {
            Object resolved = resolve(tree, env, "");
            return mapper.convertValue(resolved, EarshotConfig.class);
        } catch (IllegalArgumentException e) {
            // every message below names a key, never the file: prefix it here, whatever the key is called
            Throwable cause = e.getCause();
            if (cause instanceof JsonMappingException m) {
                throw new IllegalArgumentException(name + ": " + describe(m), e);
            }
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    private static String describe(JsonMappingException m) {
        List<String> path = new ArrayList<>();
        for (JsonMappingException.Reference r : m.getPath()) {
            path.add(r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]");
        }
        String where = String.join(".", path);
        String what = m.getOriginalMessage().lines().findFirst().orElse("");
        if (m.getCause() instanceof IllegalArgumentException iae) {
            what = iae.getMessage();
        }
        return (where.isEmpty() ? "" : where + ": ") + what;
    }

    @SuppressWarnings("unchecked")
    private static Object resolve(Object node, Map<String, String> env, String at) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), resolve(v, env, at + "." + k)));
            return out;
        }
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object v : list) {
                out.add(resolve(v, env, at));
            }
            return out;
        }
        if (node instanceof String s && s.startsWith("${") && s.endsWith("}")) {
            String var = s.substring(2, s.length() - 1);
            if (var.contains(":")) {
                return s; // a Kafka config provider reference (${env:NAME}, ${file:path:key}): the client resolves it
            }
            String value = env.get(var);
            if (value == null) {
                throw new IllegalArgumentException(at.substring(1) + ": environment variable " + var + " is not set");
            }
            if (value.isEmpty()) {
                // values from the environment are secrets: an empty one must not switch a check off
                throw new IllegalArgumentException(at.substring(1) + ": environment variable " + var + " is empty");
            }
            return value;
        }
        return node;
    }
}
