package io.earshot.pipeline.supervise;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The supervised components of one process, for the status endpoint: each is added once it
 * has started, as a supplier of its current {@link ComponentStatus}.
 */
public final class StatusBoard {

    private final List<Supplier<ComponentStatus>> components = new CopyOnWriteArrayList<>();

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
}
