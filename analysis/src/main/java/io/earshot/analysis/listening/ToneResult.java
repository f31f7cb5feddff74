package io.earshot.analysis.listening;

import java.util.List;

/** The tone of a call: each speaker's baseline and the tone events, in order of startMs. */
public record ToneResult(VoiceBaseline agent, VoiceBaseline customer, List<ToneEvent> events)
        implements java.io.Serializable {

    public ToneResult {
        // a list kept from the call's previous summary is shared, not copied
        events = io.earshot.analysis.metrics.SharedList.of(events);
    }
}
