package io.earshot.jobs.common;

import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.ContourBlock;
import io.earshot.analysis.events.WordItem;
import io.earshot.analysis.listening.ListeningCounts;
import io.earshot.analysis.metrics.ListeningTotals;
import io.earshot.analysis.windows.CallActivity;
import io.earshot.analysis.windows.MetricsKey;
import io.earshot.analysis.windows.ScopedActivity;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH micro-benchmark of the job's two busiest records crossing the network: each operation
 * writes one record and reads it back, as the sending and the receiving operator do. {@code record}
 * picks the record (a spurt with its tone contour, an utterance of eight words, one window's share
 * of a running value's change), {@code serializer} the wire type ({@link CallEventWire},
 * {@link ActivityWire}) or Flink's own serializer for the class, which the job used before.
 *
 * <p>Not a test: {@code verify} compiles it, {@code ./mvnw -o -pl jobs -Pjmh test-compile exec:exec
 * -Djmh.args='WireBench'} runs it (jobs/README.md, "Benchmarks").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WireBench {

    @Param({"spurt", "utterance", "activity"})
    public String record;

    @Param({"wire", "flink"})
    public String serializer;

    private TypeSerializer<Object> writer;
    private Object value;
    private final DataOutputSerializer out = new DataOutputSerializer(1024);
    private final DataInputDeserializer in = new DataInputDeserializer();

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        boolean wire = serializer.equals("wire");
        if (record.equals("activity")) {
            value = new ScopedActivity(new MetricsKey(io.earshot.analysis.windows.Scope.TEAM, "billing"),
                    new CallActivity("call-2931", "agent-17", "billing", "retention", 1_764_000_010_000L,
                            new ListeningTotals(1_000, 640, 0, 0, 360, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
                                    ListeningCounts.ZERO)));
            writer = (TypeSerializer<Object>) (TypeSerializer<?>) (wire ? ActivityWire.INSTANCE
                    : TypeInformation.of(ScopedActivity.class)).createSerializer(config);
            return;
        }
        if (record.equals("spurt")) {
            CallEvent spurt = CallEvent.segment("call-2931", 1_764_000_000_000L, Role.AGENT, 61_240, 63_900, 182.5,
                    4.1, -23.7);
            spurt.contourBlockMs = 200;
            double[] loudness = new double[14];
            double[] pitch = new double[14];
            for (int i = 0; i < 14; i++) {
                loudness[i] = -24 + Math.sin(i);
                pitch[i] = Math.cos(i);
            }
            spurt.contour = new ArrayList<>(ContourBlock.onGrid(61_240, 63_900, 200, loudness, pitch));
            value = spurt;
        } else {
            List<WordItem> words = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                words.add(new WordItem("word" + i, 61_240 + 300L * i, 61_500 + 300L * i, 0.9));
                text.append(i == 0 ? "" : " ").append("word").append(i);
            }
            value = CallEvent.utterance("call-2931", 1_764_000_000_000L, Role.CUSTOMER, 61_240, 63_900,
                    text.toString(), words);
        }
        writer = (TypeSerializer<Object>) (TypeSerializer<?>) (wire ? CallEventWire.INSTANCE
                : TypeInformation.of(CallEvent.class)).createSerializer(config);
    }

    @Benchmark
    public Object writeAndRead() throws IOException {
        out.clear();
        writer.serialize(value, out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        return writer.deserialize(in);
    }
}
