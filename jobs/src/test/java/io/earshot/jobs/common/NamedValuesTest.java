package io.earshot.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.analysis.listening.ListeningScore;
import io.earshot.analysis.listening.ToneEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import io.earshot.jobs.calls.CallMetricsJob;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** Named values keep their order and their nulls through Flink's serializer, and the records that hold them use it. */
class NamedValuesTest {

    @Test
    void shouldReadBackTheEntriesInTheirOrder() throws Exception {
        LinkedHashMap<String, Double> values = new LinkedHashMap<>();
        for (String name : List.of("zeta", "alpha", "mu", "beta")) {
            values.put(name, (double) name.length());
        }
        values.put("none", null);
        values.put("nan", Double.NaN);
        TypeSerializer<LinkedHashMap<String, Double>> serializer = NamedValues.INSTANCE
                .createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(values, out);
        LinkedHashMap<String, Double> read = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(read).isEqualTo(values);
        assertThat(new ArrayList<>(read.keySet())).containsExactly("zeta", "alpha", "mu", "beta", "none", "nan");
        assertThat(serializer.copy(values)).isEqualTo(values).isNotSameAs(values);
    }

    @Test
    void shouldRestoreTheSerializerFromItsSnapshot() throws Exception {
        TypeSerializerSnapshot<LinkedHashMap<String, Double>> snapshot = NamedValues.Serializer.INSTANCE
                .snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(16);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<LinkedHashMap<String, Double>> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

        assertThat(read.restoreSerializer()).isSameAs(NamedValues.Serializer.INSTANCE);
        assertThat(NamedValues.Serializer.INSTANCE.snapshotConfiguration()
                .resolveSchemaCompatibility(read).isCompatibleAsIs()).isTrue();
    }

    @Test
    void shouldBeTheTypeOfTheRecordsThatHoldNamedValuesOnceTheJobsEnvironmentIsSetUp() {
        // the records carry no Flink annotation (they live in the Flink-free analysis module):
        // the job registers the type for LinkedHashMap through pipeline.serialization-config
        CallMetricsJob.disableGenericTypes(StreamExecutionEnvironment.getExecutionEnvironment());
        assertThat(((PojoTypeInfo<?>) TypeInformation.of(ListeningScore.class)).getTypeAt("thresholds"))
                .isEqualTo(NamedValues.INSTANCE);
        assertThat(((PojoTypeInfo<?>) TypeInformation.of(ToneEvent.class)).getTypeAt("values"))
                .isEqualTo(NamedValues.INSTANCE);
        assertThat(((PojoTypeInfo<?>) TypeInformation.of(WindowMetrics.class)).getTypeAt("listeningScore.thresholds"))
                .isEqualTo(NamedValues.INSTANCE);
    }
}
