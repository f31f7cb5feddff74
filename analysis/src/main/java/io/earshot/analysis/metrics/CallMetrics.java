package io.earshot.analysis.metrics;

import io.earshot.analysis.metrics.ConversationEvents.Backchannel;
import io.earshot.analysis.metrics.ConversationEvents.Interruption;
import io.earshot.analysis.metrics.ConversationEvents.PauseIntrusion;
import io.earshot.analysis.metrics.ConversationEvents.ResponseGap;
import io.earshot.analysis.metrics.ConversationEvents.Silence;
import io.earshot.analysis.metrics.ConversationEvents.Turn;
import java.util.ArrayList;
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
     * Lists are copied into plain {@link ArrayList}s: the record travels through Flink, whose
     * Kryo fallback cannot rebuild the JDK's immutable list classes.
     */
    public CallMetrics {
        interruptions = new ArrayList<>(interruptions);
        backchannels = new ArrayList<>(backchannels);
        responseGaps = new ArrayList<>(responseGaps);
        pauseIntrusions = new ArrayList<>(pauseIntrusions);
        deadAir = new ArrayList<>(deadAir);
        turns = new ArrayList<>(turns);
    }
}
