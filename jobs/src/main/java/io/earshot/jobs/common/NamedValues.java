package io.earshot.jobs.common;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's type for named values in a stable order ({@code LinkedHashMap<String, Double>}: a
 * listening score's thresholds, a tone event's measurements), so the records that hold them
 * need no Kryo. Flink's own map type reads a map back as a {@code HashMap}, losing the order;
 * this one writes the entries in order and reads them back into a {@code LinkedHashMap}.
 * The records live in the Flink-free analysis module, so they carry no Flink annotation: the job
 * registers {@link Factory} for {@code LinkedHashMap} through {@code pipeline.serialization-config}
 * ({@link io.earshot.jobs.calls.CallMetricsJob#disableGenericTypes}).
 */
public final class NamedValues extends SingleType<LinkedHashMap<String, Double>> {

    private static final long serialVersionUID = 1L;

    public static final NamedValues INSTANCE = new NamedValues();

    @SuppressWarnings("unchecked")
    private NamedValues() {
        super((Class<LinkedHashMap<String, Double>>) (Class<?>) LinkedHashMap.class);
    }

    /**
     * The factory registered for {@code LinkedHashMap}. The job's only such maps are named values
     * ({@code LinkedHashMap<String, Double>}); any other parameters are refused when the job is
     * defined rather than written wrongly.
     */
    public static final class Factory extends TypeInfoFactory<LinkedHashMap<String, Double>> {
        @Override
        public TypeInformation<LinkedHashMap<String, Double>> createTypeInfo(Type t,
                Map<String, TypeInformation<?>> genericParameters) {
            // Flink passes the map's type arguments as genericParameters (K, V) when it knows them
            boolean named = genericParameters.isEmpty()
                    || genericParameters.size() == 2
                            && genericParameters.containsValue(BasicTypeInfo.STRING_TYPE_INFO)
                            && genericParameters.containsValue(BasicTypeInfo.DOUBLE_TYPE_INFO)
                    || t instanceof ParameterizedType p && p.getActualTypeArguments().length == 2
                            && p.getActualTypeArguments()[0] == String.class
                            && p.getActualTypeArguments()[1] == Double.class;
            if (named) {
                return INSTANCE;
            }
            throw new IllegalArgumentException("NamedValues carries LinkedHashMap<String, Double> only, not " + t + " " + genericParameters);
        }
    }

    @Override
    public TypeSerializer<LinkedHashMap<String, Double>> createSerializer(SerializerConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "NamedValues<LinkedHashMap<String, Double>>";
    }

    /** Size, then each entry in order: the name, a null flag and the value. Null names are not allowed. */
    public static final class Serializer extends TypeSerializerSingleton<LinkedHashMap<String, Double>> {

        private static final long serialVersionUID = 1L;

        public static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public LinkedHashMap<String, Double> createInstance() {
            return new LinkedHashMap<>();
        }

        @Override
        public LinkedHashMap<String, Double> copy(LinkedHashMap<String, Double> from) {
            return new LinkedHashMap<>(from);
        }

        @Override
        public LinkedHashMap<String, Double> copy(LinkedHashMap<String, Double> from,
                LinkedHashMap<String, Double> reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(LinkedHashMap<String, Double> map, DataOutputView out) throws IOException {
            out.writeInt(map.size());
            for (Map.Entry<String, Double> e : map.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeBoolean(e.getValue() != null);
                if (e.getValue() != null) {
                    out.writeDouble(e.getValue());
                }
            }
        }

        @Override
        public LinkedHashMap<String, Double> deserialize(DataInputView in) throws IOException {
            int size = in.readInt();
            LinkedHashMap<String, Double> map = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                String name = in.readUTF();
                map.put(name, in.readBoolean() ? in.readDouble() : null);
            }
            return map;
        }

        @Override
        public LinkedHashMap<String, Double> deserialize(LinkedHashMap<String, Double> reuse, DataInputView in)
                throws IOException {
            return deserialize(in);
        }

        @Override
        public void copy(DataInputView in, DataOutputView out) throws IOException {
            serialize(deserialize(in), out);
        }

        @Override
        public TypeSerializerSnapshot<LinkedHashMap<String, Double>> snapshotConfiguration() {
            return new Snapshot();
        }

        /** The serializer has no configuration: its snapshot restores the one instance. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<LinkedHashMap<String, Double>> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
