package io.earshot.analysis.events;

/**
 * An event the job could not use, with the reason: it goes to the dead-letter output and a
 * counter, never fails the job, and leaves the call's other events and metrics intact.
 */
public record DeadLetter(String callId, String kind, long eventTimeMs, String reason) {
}
