package io.earshot.analysis.metrics;

import io.earshot.analysis.metrics.ConversationEvents.Backchannel;
import io.earshot.analysis.metrics.ConversationEvents.Interruption;
import io.earshot.analysis.metrics.ConversationEvents.PauseIntrusion;
import io.earshot.analysis.metrics.ConversationEvents.ResponseGap;
import io.earshot.analysis.metrics.ConversationEvents.Silence;
import io.earshot.analysis.metrics.ConversationEvents.Turn;
import java.util.List;

/**
 * The listening metrics of one call (or of a call so far), with the events behind every
 * number and the configuration used.
 */
public record CallMetrics(
        long durationMs,
        long agentTalkMs,
        long customerTalkMs,
        long overlapMs,
        long silenceMs,
        double agentTalkShare,
        List<Interruption> interruptions,
        List<Backchannel> backchannels,
        List<ResponseGap> responseGaps,
        List<PauseIntrusion> pauseIntrusions,
        List<Silence> deadAir,
        List<Turn> turns,
        double pauseRespectRate,
        double meanResponseGapMs,
        double agentInterruptionsPer10Min,
        long longestAgentMonologueMs,
        long longestCustomerStoryMs,
        MetricsConfig config) {

    /**
     * Lists are kept read-only ({@link SharedList#of}: a running value's lists share the call's
     * settled events with the earlier ones', a list of another kind is copied). Flink carries them
     * with its list serializer, Kryo (in tests) and Java serialization as plain lists.
     */
    public CallMetrics {
        interruptions = SharedList.of(interruptions);
        backchannels = SharedList.of(backchannels);
        responseGaps = SharedList.of(responseGaps);
        pauseIntrusions = SharedList.of(pauseIntrusions);
        deadAir = SharedList.of(deadAir);
        turns = SharedList.of(turns);
    }
}
