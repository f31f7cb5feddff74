package io.earshot.pipeline.dashboard;

/**
 * Whether one party of a live call is speaking, from its speech edges
 * ({@code SpeechActivityChanged}): the provisional ones, which ingest sends some 0.3 s sooner,
 * and the decided ones that follow for the same or nearby positions. Edges apply in the order
 * of their positions: one before the last applied is skipped, so a decided start that comes
 * after its spurt's provisional end does not reopen the spurt, while a decided edge the
 * provisional decision missed still applies. The floor keeps one per party; {@code bench live}
 * measures the edges the same way.
 */
public final class SpeakingState {

    private long lastEdgeMs = Long.MIN_VALUE;
    private long openSinceMs = -1;

    /**
     * Applies an edge at media position {@code atMs}.
     *
     * @return whether the party's state changed (it started or stopped speaking)
     */
    public boolean apply(long atMs, boolean speaking) {
        if (atMs < lastEdgeMs) {
            return false;
        }
        lastEdgeMs = atMs;
        if (speaking) {
            if (openSinceMs >= 0) {
                return false;
            }
            openSinceMs = atMs;
            return true;
        }
        boolean was = openSinceMs >= 0;
        openSinceMs = -1;
        return was;
    }

    public boolean speaking() {
        return openSinceMs >= 0;
    }

    /** Where the spurt the party is in started; null when it is not speaking. */
    public Long openSinceMs() {
        return openSinceMs >= 0 ? openSinceMs : null;
    }

    /** The call ended: nobody speaks any more. */
    public void stop() {
        openSinceMs = -1;
    }
}
