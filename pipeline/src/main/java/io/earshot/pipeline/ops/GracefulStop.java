package io.earshot.pipeline.ops;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a request to stop that the process answers itself, instead of
 * the JVM's default of running the shutdown hooks at once and exiting 143: a service can then
 * drain (refuse new work, let the work in hand end) and exit 0, as orchestrators expect of a
 * clean stop. Uses the JDK's {@code sun.misc.Signal} (module {@code jdk.unsupported}), the one
 * way to handle a signal in Java 17. A second signal while draining is ignored; SIGKILL (what
 * an orchestrator sends after its grace period) cannot be handled and ends the process at once.
 */
public final class GracefulStop {

    private GracefulStop() {
    }

    /** Calls {@code stop} (on the JVM's signal thread) on every SIGTERM and SIGINT from now on. */
    public static void onSignals(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> stop.run());
        }
    }
}
