package io.earshot.analysis.windows;

import java.util.Objects;

/**
 * The key of an agent, team or queue window: one keyed stream holds all three scopes, so the
 * windows need one operator per window kind rather than one per kind and scope.
 *
 * <p>{@link #hashCode()} is written out because Flink routes a key by its hash in one JVM and
 * looks its state up by the hash in another: a record's generated hash would use the enum's
 * identity hash, which differs between JVMs and sends a key to the wrong state partition.
 */
public record MetricsKey(Scope scope, String id) {

    public MetricsKey {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(id, "id");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricsKey k && scope == k.scope && id.equals(k.id);
    }

    @Override
    public int hashCode() {
        return 31 * scope.name().hashCode() + id.hashCode();
    }
}
