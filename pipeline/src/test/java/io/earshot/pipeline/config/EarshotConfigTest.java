package io.earshot.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.pipeline.dashboard.AlertRules;
import io.earshot.pipeline.dashboard.NudgeRules;
import io.earshot.pipeline.cli.EarshotCli;
import io.earshot.pipeline.store.StoreRetention;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EarshotConfigTest {

    private static final String FULL = """
            kafka:
              bootstrap: broker-1:9092,broker-2:9092
              properties:
                security.protocol: SASL_SSL
            ingest:
              bind: 127.0.0.1
              port: 9443
            audiohook:
              apiKeys:
                genesys-prod: ${AH_SECRET}
            twilio:
              token: t0k
              agentTrack: inbound
            transcription:
              workers: 3
              maxLagSeconds: 30
            agents:
              - id: agent-42
                team: billing
                queue: billing-en
            defaultAgentId: unassigned
            store:
              jdbcUrl: jdbc:postgresql://db:5432/earshot
              user: earshot
              password: ${PGPASSWORD}
            web:
              port: 9090
            """;

    @Test
    void shouldReadEveryKeyAndTakeSecretsFromTheEnvironment() {
        EarshotConfig c = EarshotConfig.parse("earshot.yaml", FULL, Map.of("AH_SECRET", "c2VjcmV0", "PGPASSWORD", "pw"));

        assertThat(c.store().jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/earshot");
        assertThat(c.store().password()).isEqualTo("pw");
        assertThat(c.web().port()).isEqualTo(9090);
        assertThat(c.web().bind()).isEqualTo("0.0.0.0");
        assertThat(c.kafka().bootstrap()).isEqualTo("broker-1:9092,broker-2:9092");
        assertThat(c.kafka().properties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(c.ingest().bind()).isEqualTo("127.0.0.1");
        assertThat(c.ingest().port()).isEqualTo(9443);
        assertThat(c.audiohook().apiKeys()).containsEntry("genesys-prod", "c2VjcmV0");
        assertThat(c.twilio().token()).isEqualTo("t0k");
        assertThat(c.twilio().auth()).isEqualTo("token"); // a token without auth: means auth: token
        assertThat(c.twilio().agentTrack()).isEqualTo("inbound");
        assertThat(c.transcription().workers()).isEqualTo(3);
        assertThat(c.transcription().maxLagSeconds()).isEqualTo(30);
        assertThat(c.roster()).containsOnlyKeys("agent-42");
        assertThat(c.roster().get("agent-42").team()).isEqualTo("billing");
        assertThat(c.defaultAgentId()).isEqualTo("unassigned");
    }

    @Test
    void shouldRunWithoutIngestWhenSwitchedOffLeavingTheProtocolPathsOffWithoutCredentials() {
        EarshotConfig c = EarshotConfig.parse("web.yaml", """
                kafka: {bootstrap: "kafka:9092"}
                ingest: {enabled: false}
                store: {jdbcUrl: "jdbc:postgresql://db:5432/earshot", user: earshot, password: pw}
                web: {port: 8081}
                """, Map.of());

        assertThat(c.ingest().enabled()).isFalse();
        assertThat(c.audiohook().enabled()).isFalse();
        assertThat(c.twilio().enabled()).isFalse();
        assertThat(c.web().port()).isEqualTo(8081);
    }

    @Test
    void shouldKeepIngestOnByDefault() {
        EarshotConfig c = EarshotConfig.parse("min.yaml", """
                kafka: {bootstrap: "kafka:9092"}
                audiohook: {enabled: false}
                twilio: {enabled: false}
                """, Map.of());

        assertThat(c.ingest().enabled()).isTrue();
    }

    @Test
    void shouldRefuseIngestSwitchedOffWithoutAStore() {
        assertThatThrownBy(() -> EarshotConfig.parse("web.yaml", """
                kafka: {bootstrap: "kafka:9092"}
                ingest: {enabled: false}
                """, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ingest.enabled: false needs store");
    }

    @Test
    void shouldFillDefaultsForAMinimalFile() {
        EarshotConfig c = EarshotConfig.parse("min.yaml", """
                kafka: {bootstrap: "localhost:9092"}
                audiohook: {apiKeys: {k: "c2VjcmV0"}}
                twilio: {authToken: "tw-auth"}
                """, Map.of());

        assertThat(c.ingest().bind()).isEqualTo("0.0.0.0");
        assertThat(c.ingest().port()).isEqualTo(8080);
        assertThat(c.twilio().enabled()).isTrue();
        assertThat(c.twilio().auth()).isEqualTo("signature");
        assertThat(c.twilio().agentTrack()).isEqualTo("outbound");
        assertThat(c.transcription().enabled()).isTrue();
        assertThat(c.transcription().maxLagSeconds()).isEqualTo(20);
        assertThat(c.agents()).isEmpty();
        assertThat(c.store()).isNull();
        assertThat(c.web()).isNull();
    }

    @Test
    void shouldDecodeWithTheModelsOwnSearchAndRecycleAfterTenMinutesByDefault() {
        EarshotConfig c = EarshotConfig.parse("min.yaml", """
                kafka: {bootstrap: "localhost:9092"}
                twilio: {enabled: false}
                audiohook: {enabled: false}
                """, Map.of());

        assertThat(c.transcription().asrProfile()).isEqualTo(io.earshot.ingest.asr.AsrProfile.ACCURATE);
        assertThat(c.transcription().recycleAfterSeconds()).isEqualTo(600);
    }

    @Test
    void shouldReadTheRecogniserProfileAndRecyclingBudget() {
        EarshotConfig c = EarshotConfig.parse("fast.yaml", """
                kafka: {bootstrap: "localhost:9092"}
                twilio: {enabled: false}
                audiohook: {enabled: false}
                transcription: {profile: FAST, recycleAfterSeconds: 120}
                """, Map.of());

        assertThat(c.transcription().asrProfile()).isEqualTo(io.earshot.ingest.asr.AsrProfile.FAST);
        assertThat(c.transcription().recycleAfterSeconds()).isEqualTo(120);
    }

    @Test
    void shouldRecycleFastRecognisersAfterTheProfilesOwnBudgetUnlessConfigured() {
        EarshotConfig c = EarshotConfig.parse("fast.yaml", """
                kafka: {bootstrap: "localhost:9092"}
                twilio: {enabled: false}
                audiohook: {enabled: false}
                transcription: {profile: fast}
                """, Map.of());

        assertThat(c.transcription().recycleAfterSeconds()).isEqualTo(60);
    }

    @Test
    void shouldRefuseAnUnknownRecogniserProfileNamingTheKeyAndTheChoices() {
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "localhost:9092"}
                twilio: {enabled: false}
                audiohook: {enabled: false}
                transcription: {profile: turbo}
                """, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transcription.profile")
                .hasMessageContaining("accurate, fast");
    }

    @Test
    void shouldRefuseARecyclingBudgetUnderTenSeconds() {
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "localhost:9092"}
                twilio: {enabled: false}
                audiohook: {enabled: false}
                transcription: {recycleAfterSeconds: 5}
                """, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transcription.recycleAfterSeconds must be at least 10");
    }

    @Test
    void shouldRefuseAStoreThatIsNotPostgres() {
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {enabled: false}
                store: {jdbcUrl: "jdbc:mysql://db/earshot"}
                """, Map.of())).hasMessageContaining("store.jdbcUrl must be a jdbc:postgresql: URL");
    }

    @Test
    void shouldNameTheMisspeltKey() {
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "localhost:9092"}
                audiohook: {apiKeys: {k: "c2VjcmV0"}}
                twilio: {enabled: false}
                transcription: {wokers: 2}
                """, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("x.yaml: transcription.wokers");
    }

    @Test
    void shouldRequireTheKafkaBootstrap() {
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", "audiohook: {enabled: false}\n", Map.of()))
                .hasMessage("x.yaml: kafka.bootstrap is required");
    }

    @Test
    void shouldSizeTheAudioHookReplayMemoryToTheSignatureWindowAtTheUpgradeRate() {
        EarshotConfig defaults = EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                twilio: {enabled: false}
                audiohook: {apiKeys: {k: "c2VjcmV0"}}
                """, Map.of());
        EarshotConfig wide = EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                twilio: {enabled: false}
                audiohook: {apiKeys: {k: "c2VjcmV0"}, maxClockSkewSeconds: 5, maxSignatureAgeSeconds: 60,
                            maxUpgradesPerSecond: 10}
                """, Map.of());

        // (3 s skew + 10 s age) x 100 upgrades a second; (5 + 60) x 10
        assertThat(defaults.audiohook().replayCacheSize()).isEqualTo(1300);
        assertThat(wide.audiohook().replayCacheSize()).isEqualTo(650);
        for (String bad : List.of("maxUpgradesPerSecond: 0", "maxUpgradesPerSecond: 10001", "maxSignatureAgeSeconds: 0",
                "maxClockSkewSeconds: -1")) {
            assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                    kafka: {bootstrap: "b:1"}
                    twilio: {enabled: false}
                    audiohook: {apiKeys: {k: "c2VjcmV0"}, %s}
                    """.formatted(bad), Map.of())).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("audiohook." + bad.substring(0, bad.indexOf(':')));
        }
    }

    @Test
    void shouldRefuseAudioHookWithoutKeysAndSecretsThatAreNotBase64() {
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", "kafka: {bootstrap: b:1}\n", Map.of()))
                .hasMessageContaining("audiohook.apiKeys: at least one API key");
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                twilio: {enabled: false}
                audiohook: {apiKeys: {k: "not base64!"}}
                """, Map.of()))
                .hasMessageContaining("audiohook.apiKeys.k: the client secret is not base64");
    }

    @Test
    void shouldRefuseEmptySecretsThatWouldSwitchAuthenticationOff() {
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", FULL, Map.of("AH_SECRET", "", "PGPASSWORD", "pw")))
                .hasMessage("x.yaml: audiohook.apiKeys.genesys-prod: environment variable AH_SECRET is empty");
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                twilio: {enabled: false}
                audiohook: {apiKeys: {k: ""}}
                """, Map.of()))
                .hasMessageContaining("audiohook.apiKeys.k: the client secret is empty");
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {token: ""}
                """, Map.of()))
                .hasMessageContaining("twilio.token is empty");
    }

    @Test
    void shouldNameAMissingEnvironmentVariable() {
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", FULL, Map.of("PGPASSWORD", "pw")))
                .hasMessage("x.yaml: audiohook.apiKeys.genesys-prod: environment variable AH_SECRET is not set");
    }

    @Test
    void shouldNameTheFileEvenWhenAKeyBeginsWithItsName() {
        // found by EarshotConfigFuzzTest: a message that began with the file's name was taken as already named
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                x.yamlkafka: {bootstrap: "${NOPE}"}
                """, Map.of()))
                .hasMessage("x.yaml: x.yamlkafka.bootstrap: environment variable NOPE is not set");
    }

    @Test
    void shouldRefuseAnUnknownTwilioTrackAndBadNumbers() {
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {agentTrack: both, authToken: "tw-auth"}
                """, Map.of())).hasMessageContaining("twilio.agentTrack must be inbound or outbound, not both");
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {enabled: false}
                ingest: {port: 70000}
                """, Map.of())).hasMessageContaining("ingest.port out of range: 70000");
    }

    @Test
    void shouldRefuseAnAgentListedTwice() {
        EarshotConfig c = EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {enabled: false}
                agents: [{id: a1}, {id: a1}]
                """, Map.of());
        assertThatThrownBy(c::roster).hasMessage("agents: a1 is listed twice");
    }

    @Test
    void shouldReadTheAlertThresholdsAndNudgesAndDefaultTheRest() {
        EarshotConfig c = EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {enabled: false}
                alerts: {agentInterruptions: 5, deadAirSeconds: 15, customerRaisedVoice: false,
                         listeningScoreLow: 40, listeningScoreMinCallSeconds: 600}
                nudges: {monologueSeconds: 60, confirmation: false}
                """, Map.of());

        assertThat(c.alerts().thresholds()).isEqualTo(new AlertRules.Thresholds(5, 0.35, 0.55, 60_000, 15_000,
                false, 40.0, 600_000));
        assertThat(c.nudges().settings()).isEqualTo(new NudgeRules.Settings(true, 60_000, true, true, false, 30_000));
    }

    @Test
    void shouldUseTheDefaultAlertsAndNudgesWithoutTheSections() {
        EarshotConfig c = EarshotConfig.parse("x.yaml", "kafka: {bootstrap: b:1}\naudiohook: {enabled: false}\ntwilio: {enabled: false}\n",
                Map.of());

        assertThat(c.alerts().thresholds()).isEqualTo(AlertRules.Thresholds.DEFAULTS);
        assertThat(c.nudges().settings()).isEqualTo(NudgeRules.Settings.DEFAULTS);
    }

    @Test
    void shouldSwitchTheScoreAlertOffWithZero() {
        EarshotConfig c = EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {enabled: false}
                alerts: {listeningScoreLow: 0}
                """, Map.of());

        assertThat(c.alerts().thresholds().listeningScoreLow()).isNull();
    }

    @Test
    void shouldNameAMisspeltOrBadAlertOrNudgeKey() {
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {enabled: false}
                nudges: {monologSeconds: 60}
                """, Map.of())).hasMessageStartingWith("x.yaml: nudges.monologSeconds");
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {enabled: false}
                nudges: {monologueSeconds: 0}
                """, Map.of())).hasMessageContaining("nudges.monologueSeconds must be at least 1");
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {enabled: false}
                alerts: {talkShareLow: 0.6, talkShareHigh: 0.5}
                """, Map.of())).hasMessageContaining("alerts: ").hasMessageContaining("low <= high");
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {enabled: false}
                alerts: {listeningScoreLow: 101}
                """, Map.of())).hasMessageContaining("alerts.listeningScoreLow must be from 0 (off) to 100");
    }

    @Test
    void shouldReadIngestLimitsAndDefaultEveryKeyLeftOut() {
        EarshotConfig c = EarshotConfig.parse("limits.yaml", """
                kafka: {bootstrap: "localhost:9092"}
                twilio: {enabled: false}
                audiohook: {apiKeys: {k: "c2VjcmV0"}}
                ingest:
                  limits: {maxConcurrentCalls: 50, maxCallsPerKey: 10, maxCallSeconds: 3600, maxGapSeconds: 30,
                           mediaAheadGraceSeconds: 5, maxMediaAheadSeconds: 3, maxMessagesPerSecond: 150,
                           messageBurst: 300}
                """, Map.of());
        EarshotConfig d = EarshotConfig.parse("min.yaml", """
                kafka: {bootstrap: "localhost:9092"}
                twilio: {enabled: false}
                audiohook: {apiKeys: {k: "c2VjcmV0"}}
                """, Map.of());

        assertThat(c.ingest().limits().callLimits()).isEqualTo(new io.earshot.pipeline.live.CallRegistry.Limits(50, 10));
        assertThat(c.ingest().limits().ingestLimits()).isEqualTo(new io.earshot.ingest.protocol.IngestLimits(
                java.time.Duration.ofHours(1), java.time.Duration.ofSeconds(30), true, java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(3), 150, 300));
        assertThat(d.ingest().limits().ingestLimits()).isEqualTo(io.earshot.ingest.protocol.IngestLimits.defaults());
        assertThat(d.ingest().limits().callLimits()).isEqualTo(io.earshot.pipeline.live.CallRegistry.Limits.DEFAULTS);
    }

    @Test
    void shouldReadTheDrainPeriodAndMetricsTokenWithSafeDefaults() {
        EarshotConfig set = EarshotConfig.parse("ops.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {enabled: false}
                ingest: {drainSeconds: 120, metricsToken: "${METRICS_TOKEN}"}
                """, Map.of("METRICS_TOKEN", "a-scraper-token-of-32-characters"));
        assertThat(set.ingest().drainSeconds()).isEqualTo(120);
        assertThat(set.ingest().metricsToken()).isEqualTo("a-scraper-token-of-32-characters");
        EarshotConfig unset = EarshotConfig.parse("ops.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {enabled: false}
                """, Map.of());
        assertThat(unset.ingest().drainSeconds()).isEqualTo(EarshotConfig.Ingest.DEFAULT_DRAIN_SECONDS);
        assertThat(unset.ingest().metricsToken()).isNull();
    }

    @Test
    void shouldRefuseADrainPeriodOutOfRangeAndAShortMetricsTokenNamingTheKey() {
        for (String bad : List.of("drainSeconds: 0", "drainSeconds: 3601", "metricsToken: short")) {
            String key = bad.substring(0, bad.indexOf(':'));
            assertThatThrownBy(() -> EarshotConfig.parse("bad.yaml", """
                    kafka: {bootstrap: "b:1"}
                    audiohook: {enabled: false}
                    twilio: {enabled: false}
                    ingest: {%s}
                    """.formatted(bad), Map.of())).as(bad).hasMessageContaining("ingest." + key + " must be");
        }
    }

    @Test
    void shouldRejectALimitOutOfRangeNamingItsKey() {
        for (String bad : List.of("maxConcurrentCalls: 0", "maxCallSeconds: 0", "maxGapSeconds: -1",
                "maxMediaAheadSeconds: 0", "mediaAheadGraceSeconds: -1", "maxMessagesPerSecond: 0", "messageBurst: 0")) {
            String key = bad.substring(0, bad.indexOf(':'));
            assertThatThrownBy(() -> EarshotConfig.parse("bad.yaml", """
                    kafka: {bootstrap: "localhost:9092"}
                    twilio: {enabled: false}
                    audiohook: {apiKeys: {k: "c2VjcmV0"}}
                    ingest: {limits: {%s}}
                    """.formatted(bad), Map.of()))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ingest.limits." + key + " must be at least");
        }
        assertThatThrownBy(() -> EarshotConfig.parse("bad.yaml", """
                kafka: {bootstrap: "localhost:9092"}
                twilio: {enabled: false}
                audiohook: {apiKeys: {k: "c2VjcmV0"}}
                ingest: {limits: {maxConcurrentCalls: 5, maxCallsPerKey: 6}}
                """, Map.of()))
                .hasMessageContaining("ingest.limits.maxCallsPerKey (6) must not exceed ingest.limits.maxConcurrentCalls (5)");
        assertThatThrownBy(() -> EarshotConfig.parse("bad.yaml", """
                kafka: {bootstrap: "localhost:9092"}
                twilio: {enabled: false}
                audiohook: {apiKeys: {k: "c2VjcmV0"}}
                ingest: {limits: {maxCalls: 5}}
                """, Map.of()))
                .hasMessageContaining("maxCalls");
    }

    @Test
    void shouldReadStoreRetentionAndKeepEverythingWithoutIt() {
        EarshotConfig c = EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                twilio: {enabled: false}
                audiohook: {enabled: false}
                store:
                  jdbcUrl: "jdbc:postgresql://db/earshot"
                  retention: {calls: 90d, evidence: 30d, windows: 400d, purgeEvery: 30m, batchSize: 500}
                """, Map.of());
        StoreRetention.Policy p = c.store().retention().policy();
        assertThat(p.calls()).isEqualTo(java.time.Duration.ofDays(90));
        assertThat(p.evidence()).isEqualTo(java.time.Duration.ofDays(30));
        assertThat(p.windows()).isEqualTo(java.time.Duration.ofDays(400));
        assertThat(c.store().retention().purgeInterval()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(c.store().retention().batchSize()).isEqualTo(500);

        EarshotConfig none = EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                twilio: {enabled: false}
                audiohook: {enabled: false}
                store: {jdbcUrl: "jdbc:postgresql://db/earshot"}
                """, Map.of());
        assertThat(none.store().retention().policy()).isEqualTo(StoreRetention.Policy.KEEP_ALL);
        assertThat(none.store().retention().policy().deletesAnything()).isFalse();
        assertThat(none.store().retention().purgeInterval()).isEqualTo(java.time.Duration.ofHours(1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{calls: 90}                   | store.retention.calls: '90' is not a period",
        "{calls: 0d}                   | store.retention.calls: '0d' is not a period",
        "{windows: 10 days}            | store.retention.windows: '10 days' is not a period",
        "{evidence: 30m}               | store.retention.evidence must be at least 1h",
        "{calls: 30d, evidence: 90d}   | evidence cannot be kept longer than its call",
        "{calls: 30d, purgeEvery: 10s} | store.retention.purgeEvery: '10s' is not a period",
        "{calls: 30d, batchSize: 0}    | store.retention.batchSize must be from 1 to 100000",
        "{call: 30d}                   | store.retention.call"})
    void shouldRefuseABadRetentionNamingTheKey(String retention, String message) {
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                twilio: {enabled: false}
                audiohook: {enabled: false}
                store: {jdbcUrl: "jdbc:postgresql://db/earshot", retention: %s}
                """.formatted(retention), Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void shouldRefuseAnEnabledTwilioPathWithoutAuthentication() {
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                """, Map.of())).hasMessageContaining("twilio.authToken (or twilio.accounts) is required");
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {auth: token}
                """, Map.of())).hasMessageContaining("twilio.token is required with twilio.auth: token");
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {auth: open}
                """, Map.of())).hasMessageContaining("twilio.auth must be signature, token or none, not open");
    }

    @Test
    void shouldRefuseEmptyTwilioSecretsBadAccountsAndKeysOfAnotherMode() {
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {authToken: ""}
                """, Map.of())).hasMessageContaining("twilio.authToken is empty");
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {authToken: "${TWILIO_AUTH_TOKEN}"}
                """, Map.of("TWILIO_AUTH_TOKEN", ""))).hasMessageContaining("TWILIO_AUTH_TOKEN is empty");
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {accounts: {prod: "tok"}}
                """, Map.of())).hasMessageContaining("twilio.accounts: prod is not an account SID");
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {auth: none, authToken: "tok"}
                """, Map.of())).hasMessageContaining("twilio.auth: none takes no");
        assertThatThrownBy(() -> EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {authToken: "tok", publicUrl: "https://calls.example.com/?x=1"}
                """, Map.of())).hasMessageContaining("twilio.publicUrl must be wss://");
    }

    @Test
    void shouldReadTheTwilioSignatureKeysWithSeveralAccounts() {
        String sid = "AC" + "0123456789abcdef".repeat(2);
        EarshotConfig c = EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio:
                  auth: signature
                  authToken: ${TWILIO_AUTH_TOKEN}
                  accounts: {%s: "${SECOND_TOKEN}"}
                  publicUrl: wss://calls.example.com/earshot
                """.formatted(sid), Map.of("TWILIO_AUTH_TOKEN", "t1", "SECOND_TOKEN", "t2"));

        assertThat(c.twilio().authTokensByAccount()).containsExactly(Map.entry(sid, "t2"), Map.entry("", "t1"));
        assertThat(c.twilio().publicUrl()).isEqualTo("wss://calls.example.com/earshot");
        assertThat(c.insecureIngestWarnings()).isEmpty();
    }

    @Test
    void shouldAcceptAnExplicitAuthNoneAndWarnAboutIt() {
        EarshotConfig c = EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {auth: none}
                """, Map.of());

        assertThat(c.twilio().auth()).isEqualTo("none");
        assertThat(c.insecureIngestWarnings()).singleElement().asString().startsWith("twilio.auth is none");
    }

    @Test
    void serveShouldRefuseToStartWhenAnEnabledIngestPathHasNoAuthentication(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("earshot.yaml");
        Files.writeString(file, """
                kafka: {bootstrap: "127.0.0.1:1"}
                audiohook: {enabled: false}
                transcription: {enabled: false}
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = EarshotCli.run(new String[] {"serve", "--config", file.toString()}, new PrintWriter(out),
                new PrintWriter(err));

        assertThat(exit).isEqualTo(EarshotCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("twilio.authToken (or twilio.accounts) is required");
        assertThat(out.toString()).doesNotContain("earshot serve: publishing");
    }

    @Test
    void serveShouldRefuseToStartWithAudioHookEnabledAndNoKeys(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("earshot.yaml");
        Files.writeString(file, """
                kafka: {bootstrap: "127.0.0.1:1"}
                twilio: {auth: none}
                transcription: {enabled: false}
                """);
        StringWriter err = new StringWriter();

        int exit = EarshotCli.run(new String[] {"serve", "--config", file.toString()}, new PrintWriter(new StringWriter()),
                new PrintWriter(err));

        assertThat(exit).isEqualTo(EarshotCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("audiohook.apiKeys: at least one API key");
    }

    @Test
    void shouldRefuseAKafkaPropertyEarshotSetsItselfAndKeepConfigProviderReferencesForTheClients() {
        String base = """
                kafka:
                  bootstrap: b:9092
                  properties:
                    %s
                twilio: {enabled: false}
                audiohook: {enabled: false}
                """;

        assertThatThrownBy(() -> EarshotConfig.parse("e.yaml", base.formatted("group.id: mine"), Map.of()))
                .hasMessageContaining("kafka.properties: group.id may not be set here");
        EarshotConfig c = EarshotConfig.parse("e.yaml", base.formatted("sasl.jaas.config: ${env:KAFKA_JAAS}"),
                Map.of());
        assertThat(c.kafka().properties()).containsEntry("sasl.jaas.config", "${env:KAFKA_JAAS}");
        assertThat(c.kafka().clientProperties(Map.of("acks", "all")))
                .containsEntry("bootstrap.servers", "b:9092").containsEntry("acks", "all")
                .containsEntry("sasl.jaas.config", "${env:KAFKA_JAAS}");
    }
}
