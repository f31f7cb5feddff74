package io.earshot.ingest.live;

import io.earshot.ingest.emit.EventSink;
import io.earshot.schemas.CallEnded;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/** An in-memory sink for one test that also notes any event published after its call's CallEnded. */
final class CollectingSink implements EventSink {

    record Published(String callId, long eventTimeMs, SpecificRecord event) {
    }

    private final List<Published> events = new ArrayList<>();
    private final Set<String> ended = new HashSet<>();
    private final List<String> afterEnd = new ArrayList<>();

    @Override
    public synchronized void publish(String callId, long eventTimeMs, SpecificRecord event) {
        if (ended.contains(callId)) {
            afterEnd.add(callId + ": " + event);
        }
        if (event instanceof CallEnded) {
            ended.add(callId);
        }
        events.add(new Published(callId, eventTimeMs, event));
    }

    synchronized List<Published> events() {
        return List.copyOf(events);
    }

    synchronized List<Published> events(String callId) {
        return events.stream().filter(e -> e.callId().equals(callId)).toList();
    }

    <T extends SpecificRecord> List<T> records(String callId, Class<T> type) {
        return events(callId).stream().map(Published::event).filter(type::isInstance).map(type::cast).toList();
    }

    /** Events published after their call's CallEnded; must stay empty. */
    synchronized List<String> publishedAfterEnd() {
        return List.copyOf(afterEnd);
    }
}
