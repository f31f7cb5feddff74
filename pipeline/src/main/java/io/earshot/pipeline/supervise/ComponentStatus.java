package io.earshot.pipeline.supervise;

import java.time.Instant;

/**
 * What the operator sees of one supervised component: its state, how often it was restarted,
 * the kind of the last failure and when the component last handled a record.
 *
 * @param lastError    the class of the last failure ({@code TimeoutException}), never its message:
 *                     messages carry record contents, host names and user names, and this is shown
 *                     without authentication; the log has the whole failure
 * @param lastErrorAt  when it happened, or null
 * @param lastRecordAt when the component last handled a record, or null before the first
 * @param since        when the component entered its state
 */
public record ComponentStatus(String name, State state, long restarts, String lastError, Instant lastErrorAt,
                              Instant lastRecordAt, Instant since) {

    /** The life of a supervised component. */
    public enum State {
        /** Working (or about to: between a start and its first poll). */
        RUNNING,
        /** Its thread ended on a failure; it starts again after a pause. */
        RESTARTING,
        /** Ended on an error the JVM may not recover from; not restarted (the process should be). */
        FAILED,
        /** Closed on purpose. */
        STOPPED
    }
}
