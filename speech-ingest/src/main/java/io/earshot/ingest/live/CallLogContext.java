package io.earshot.ingest.live;

import org.slf4j.MDC;

/**
 * Puts a call's id in the logging context ({@code callId} in SLF4J's MDC, which log4j shows as
 * {@code %X{callId}} and the JSON layout as {@code callId}) while a thread works on that call:
 * protocol handlers, recognisers, the publisher's callbacks. Threads are pooled and shared by
 * calls, so the id is set only for a scope and the previous value restored after it:
 * {@code try (var ctx = CallLogContext.enter(id)) { ... }}.
 */
public final class CallLogContext {

    /** The context key. */
    public static final String KEY = "callId";

    private CallLogContext() {
    }

    /** A scope that restores the previous context when closed; never throws. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Sets {@code callId} (nothing when null) until the returned scope is closed. */
    public static Scope enter(String callId) {
        if (callId == null) {
            return () -> { };
        }
        String previous = MDC.get(KEY);
        MDC.put(KEY, callId);
        return () -> {
            if (previous == null) {
                MDC.remove(KEY);
            } else {
                MDC.put(KEY, previous);
            }
        };
    }
}
