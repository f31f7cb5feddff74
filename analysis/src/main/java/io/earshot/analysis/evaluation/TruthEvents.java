package io.earshot.analysis.evaluation;

import java.util.List;

/**
 * The labelled turn-taking events of one call. Each list is either the complete list of that
 * kind of event in the call (empty when there was none), or {@code null} when the labeller did
 * not label that kind: then that kind is not scored for the call, rather than every detection
 * counting as a false alarm.
 */
public record TruthEvents(List<TruthInterruption> interruptions, List<TruthBackchannel> backchannels,
        List<TruthResponseGap> responseGaps) {

    public TruthEvents {
        interruptions = interruptions == null ? null : List.copyOf(interruptions);
        backchannels = backchannels == null ? null : List.copyOf(backchannels);
        responseGaps = responseGaps == null ? null : List.copyOf(responseGaps);
    }

    /** A call labelled with no events of any kind: every detection is a false alarm. */
    public static final TruthEvents NONE = new TruthEvents(List.of(), List.of(), List.of());

    public boolean labelsInterruptions() {
        return interruptions != null;
    }

    public boolean labelsBackchannels() {
        return backchannels != null;
    }

    public boolean labelsResponseGaps() {
        return responseGaps != null;
    }
}
