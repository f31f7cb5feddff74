package io.earshot.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.contracts.Topics;
import io.earshot.pipeline.cli.EarshotCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TopicPlanTest {

    private static final Map<String, TopicPlan> PLAN = TopicPlan.of(Topics.ALL, 6, (short) 3, Map.of()).stream()
            .collect(Collectors.toMap(TopicPlan::name, Function.identity()));

    @ParameterizedTest
    @CsvSource({
        "earshot.audio-raw,      delete,         86400000,   21600000",
        "earshot.calls,          delete,         604800000,  86400000",
        "earshot.speech,         delete,         604800000,  86400000",
        "earshot.utterances,     delete,         604800000,  86400000",
        "earshot.call-live,      delete,         86400000,   21600000",
        "earshot.call-summaries, 'compact,delete', 2592000000, 86400000",
        "earshot.agent-metrics,  delete,         2592000000, 86400000",
        "earshot.dead-letters,   delete,         2592000000, 86400000"})
    void shouldKeepEachTopicAsLongAsItsRecordsAreUsedAndCompactOnlyWhereALaterRecordSupersedes(String topic,
            String cleanup, String retentionMs, String segmentMs) {
        TopicPlan plan = PLAN.get(topic);

        assertThat(plan.configs()).containsEntry("cleanup.policy", cleanup).containsEntry("retention.ms", retentionMs)
                .containsEntry("segment.ms", segmentMs).containsEntry("min.insync.replicas", "2");
        assertThat(plan.partitions()).isEqualTo(6);
        assertThat(plan.replicationFactor()).isEqualTo((short) 3);
    }

    @Test
    void shouldPlanEveryTopicAndTakeRetentionOverridesAndASingleBrokersInSyncReplicas() {
        var plans = TopicPlan.of(Topics.ALL, 2, (short) 1, Map.of(Topics.AUDIO_RAW, Duration.ofHours(2)));

        assertThat(plans).extracting(TopicPlan::name).containsExactlyElementsOf(Topics.ALL);
        assertThat(plans.get(Topics.ALL.indexOf(Topics.AUDIO_RAW)).configs())
                .containsEntry("retention.ms", "7200000").containsEntry("segment.ms", "1800000")
                .containsEntry("min.insync.replicas", "1");
        assertThat(plans.get(0).describe()).startsWith(Topics.CALLS
                + " partitions=2 replication-factor=1 cleanup.policy=delete retention.ms=604800000 (7d)");
    }

    @Test
    void shouldRefuseARetentionOfAnUnknownTopicAndBadCounts() {
        assertThatThrownBy(() -> TopicPlan.of(Topics.ALL, 2, (short) 1, Map.of("earshot.other", Duration.ofHours(1))))
                .hasMessageStartingWith("--retention: earshot.other is not an Earshot topic");
        assertThatThrownBy(() -> TopicPlan.of(Topics.ALL, 0, (short) 1, Map.of()))
                .hasMessage("--partitions must be at least 1, was 0");
    }

    @Test
    void shouldPrintThePlanOnADryRunWithoutAnyCluster() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = EarshotCli.run(new String[] {"topics", "create", "--dry-run", "--retention",
                Topics.DEAD_LETTERS + "=90d"}, new PrintWriter(out), new PrintWriter(err));

        assertThat(exit).isZero();
        assertThat(out.toString().lines()).hasSize(Topics.ALL.size()).allMatch(l -> l.startsWith("would create "));
        assertThat(out.toString()).contains(Topics.DEAD_LETTERS + " partitions=6 replication-factor=3"
                + " cleanup.policy=delete retention.ms=7776000000 (90d)");
    }
}
