package io.earshot.jobs.common;

import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The part every type of the job's own shares with Flink: one class, seen by Flink as a single
 * opaque field (not a key, not a tuple), whose serializer the subclass gives; two are the same
 * type when they are of the same class.
 *
 * @param <T> the class
 */
abstract class SingleType<T> extends TypeInformation<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;

    SingleType(Class<T> type) {
        this.type = type;
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o != null && o.getClass() == getClass();
    }
}
