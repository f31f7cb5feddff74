package io.earshot.pipeline.supervise;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The supervised components of one process, for the status endpoints: each is added once it
 * has started, as a supplier of its current {@link ComponentStatus}. The process is
 * {@linkplain #healthy() healthy} (alive) while no component has failed for good, and
 * {@linkplain #ready() ready} (taking work) while it is not draining and every component runs.
 */
public final class StatusBoard {

    private final List<Supplier<ComponentStatus>> components = new CopyOnWriteArrayList<>();
    private volatile boolean draining;

    public StatusBoard add(Supplier<ComponentStatus> component) {
        components.add(component);
        return this;
    }

    /** Every component's status now, in the order they were added. */
    public List<ComponentStatus> statuses() {
        List<ComponentStatus> out = new ArrayList<>();
        components.forEach(c -> out.add(c.get()));
        return out;
    }

    /** Whether no component has {@link ComponentStatus.State#FAILED}: restarting ones are expected to recover. */
    public boolean healthy() {
        return statuses().stream().noneMatch(s -> s.state() == ComponentStatus.State.FAILED);
    }

    /** The process stops taking work (shutting down): {@link #ready()} is false from now on. */
    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /**
     * Whether the process takes new work: not draining, and every component
     * {@link ComponentStatus.State#RUNNING} (a restarting consumer is down until it is back).
     */
    public boolean ready() {
        return !draining && statuses().stream().allMatch(s -> s.state() == ComponentStatus.State.RUNNING);
    }
}
