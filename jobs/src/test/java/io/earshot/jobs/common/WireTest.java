package io.earshot.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.ContourBlock;
import io.earshot.analysis.events.WordItem;
import io.earshot.analysis.listening.ListeningCounts;
import io.earshot.analysis.metrics.ListeningTotals;
import io.earshot.analysis.windows.CallActivity;
import io.earshot.analysis.windows.MetricsKey;
import io.earshot.analysis.windows.Scope;
import io.earshot.analysis.windows.ScopedActivity;
import io.earshot.jobs.calls.CallMetricsJob;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The job's wire types read back every field they were given, and the job sends its busiest records with them. */
class WireTest {

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T read = serializer.deserialize(in);
        assertThat(in.available()).as("bytes left after the record").isZero();
        return read;
    }

    private static <T> byte[] bytes(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    /** Every public field of {@link CallEvent}, each given a random value of its type (or null where it can be). */
    private static CallEvent randomEvent(Random r) throws IllegalAccessException {
        CallEvent e = new CallEvent();
        for (Field f : CallEvent.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            Class<?> t = f.getType();
            boolean none = r.nextInt(6) == 0;
            if (t == long.class) {
                f.setLong(e, switch (r.nextInt(4)) {
                    case 0 -> r.nextInt(1000) - 500;
                    case 1 -> Long.MIN_VALUE + r.nextInt(3);
                    case 2 -> Long.MAX_VALUE - r.nextInt(3);
                    default -> r.nextLong();
                });
            } else if (t == int.class) {
                f.setInt(e, r.nextBoolean() ? r.nextInt(100) - 1 : r.nextInt());
            } else if (t == boolean.class) {
                f.setBoolean(e, r.nextBoolean());
            } else if (t == double.class) {
                f.setDouble(e, switch (r.nextInt(5)) {
                    case 0 -> Double.NaN;
                    case 1 -> -0.0;
                    case 2 -> Double.longBitsToDouble(0x7ff8000000000001L); // a NaN of other bits
                    case 3 -> Double.POSITIVE_INFINITY;
                    default -> r.nextGaussian() * 100;
                });
            } else if (t == String.class) {
                f.set(e, none ? null : r.nextInt(60) == 0 ? "x".repeat(70_000) + "é" : "s" + r.nextInt() + "ü€");
            } else if (t == CallEvent.Kind.class) {
                f.set(e, none ? null : CallEvent.Kind.values()[r.nextInt(CallEvent.Kind.values().length)]);
            } else if (t == Role.class) {
                f.set(e, none ? null : Role.values()[r.nextInt(Role.values().length)]);
            } else if (f.getName().equals("contour")) {
                List<ContourBlock> blocks = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    long start = r.nextInt(100_000);
                    blocks.add(new ContourBlock(start, start + r.nextInt(400) - 100, r.nextGaussian() * 30,
                            r.nextBoolean() ? Double.NaN : r.nextGaussian()));
                }
                f.set(e, none ? null : blocks);
            } else if (f.getName().equals("words")) {
                List<WordItem> words = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    long start = r.nextInt(100_000);
                    words.add(new WordItem(r.nextInt(9) == 0 ? null : "w" + r.nextInt(50), start,
                            start + r.nextInt(900), r.nextDouble()));
                }
                f.set(e, none ? null : words);
            } else {
                throw new AssertionError("the test does not know how to fill " + f + ": teach it, and the wire");
            }
        }
        return e;
    }

    @Test
    void aCallEventReadsBackEveryFieldItWasGiven() throws Exception {
        TypeSerializer<CallEvent> wire = CallEventWire.INSTANCE.createSerializer(new SerializerConfigImpl());
        Random r = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            CallEvent e = randomEvent(r);
            CallEvent read = roundTrip(wire, e);
            CallEvent copy = wire.copy(e);
            assertThat(copy).isNotSameAs(e);
            for (Field f : CallEvent.class.getFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                Object want = f.get(e);
                for (CallEvent got : List.of(read, copy)) {
                    if (f.getType() == double.class) {
                        // NaN (of any bits) stays NaN, -0.0 stays -0.0: what Flink's own serializer keeps
                        assertThat(Double.doubleToLongBits(f.getDouble(got))).as(f.getName())
                                .isEqualTo(Double.doubleToLongBits((Double) want));
                    } else {
                        assertThat(f.get(got)).as(f.getName()).isEqualTo(want);
                    }
                }
            }
            if (e.words != null) {
                assertThat(read.words).isNotSameAs(e.words);
                read.words.add(new WordItem("more", 0, 1, 1)); // the lists read back can grow, as the job's code expects
            }
        }
    }

    @Test
    void aSpurtTakesFewerBytesThanWithFlinksOwnSerializer() throws Exception {
        CallEvent spurt = CallEvent.segment("call-17", 1_764_000_000_000L, Role.AGENT, 61_240, 63_900, 182.5, 4.1, -23.7);
        spurt.contourBlockMs = 200;
        spurt.contour = new ArrayList<>(ContourBlock.onGrid(61_240, 63_900, 200, new double[14], new double[14]));
        TypeSerializer<CallEvent> pojo = TypeInformation.of(CallEvent.class).createSerializer(new SerializerConfigImpl());
        TypeSerializer<CallEvent> wire = CallEventWire.INSTANCE.createSerializer(new SerializerConfigImpl());

        assertThat(bytes(wire, spurt).length).isLessThan(bytes(pojo, spurt).length * 3 / 4);
    }

    private static ListeningTotals sparseTotals(Random r) {
        long[] v = new long[ActivityWire.FIELDS];
        for (int i = 0; i < v.length; i++) {
            int pick = r.nextInt(10);
            v[i] = pick < 6 ? 0 : pick < 8 ? r.nextInt(20_000) - 2_000 : pick == 8 ? r.nextLong() : Long.MIN_VALUE;
        }
        return ActivityWire.totals(v);
    }

    @Test
    void anActivityReadsBackEqualWhateverItsCountsAndNames() throws Exception {
        TypeSerializer<ScopedActivity> wire = ActivityWire.INSTANCE.createSerializer(new SerializerConfigImpl());
        Random r = new Random(11);
        List<String> names = Arrays.asList("agent-1", "team", "queue", "agent-1 ", "", null);
        for (int i = 0; i < 5_000; i++) {
            Scope scope = Scope.values()[r.nextInt(3)];
            String id = names.get(r.nextInt(4));
            ScopedActivity a = new ScopedActivity(new MetricsKey(scope, id), new CallActivity(
                    r.nextBoolean() ? "call-" + r.nextInt(99) : null, names.get(r.nextInt(names.size())),
                    names.get(r.nextInt(names.size())), names.get(r.nextInt(names.size())),
                    r.nextLong(), sparseTotals(r)));

            assertThat(roundTrip(wire, a)).isEqualTo(a);
        }
        // every count and sum has its own place: a change in one alone reads back in that one alone
        for (int i = 0; i < ActivityWire.FIELDS; i++) {
            long[] v = new long[ActivityWire.FIELDS];
            v[i] = -(i + 1);
            ScopedActivity one = new ScopedActivity(new MetricsKey(Scope.AGENT, "a"),
                    new CallActivity("c", "a", "t", "q", 5, ActivityWire.totals(v)));
            assertThat(ActivityWire.values(roundTrip(wire, one).activity().delta())).containsExactly(v);
        }
        ScopedActivity zero = new ScopedActivity(new MetricsKey(Scope.QUEUE, "q"),
                new CallActivity("c", "a", "t", "q", 5, ListeningTotals.ZERO));
        assertThat(roundTrip(wire, zero).activity().delta()).isEqualTo(ListeningTotals.ZERO);
        assertThat(wire.copy(zero)).isSameAs(zero); // immutable records are not copied
    }

    @Test
    void aRunningValuesChangeTakesFewerBytesThanWithFlinksOwnSerializer() throws Exception {
        ListeningTotals change = new ListeningTotals(1_000, 640, 0, 0, 360, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
                ListeningCounts.ZERO);
        ScopedActivity a = new ScopedActivity(new MetricsKey(Scope.TEAM, "billing"),
                new CallActivity("call-2931", "agent-17", "billing", "retention", 1_764_000_010_000L, change));
        TypeSerializer<ScopedActivity> pojo = TypeInformation.of(ScopedActivity.class)
                .createSerializer(new SerializerConfigImpl());
        TypeSerializer<ScopedActivity> wire = ActivityWire.INSTANCE.createSerializer(new SerializerConfigImpl());

        assertThat(bytes(wire, a).length).isLessThan(bytes(pojo, a).length / 3);
    }

    @Test
    void aBrokenRecordIsAnErrorNotAnotherRecord() throws Exception {
        TypeSerializer<ScopedActivity> activity = ActivityWire.INSTANCE.createSerializer(new SerializerConfigImpl());
        ScopedActivity a = new ScopedActivity(new MetricsKey(Scope.AGENT, "a"),
                new CallActivity("c", "a", "t", "q", 5, sparseTotals(new Random(3))));
        byte[] whole = bytes(activity, a);
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] part = Arrays.copyOf(whole, cut);
            assertThatThrownBy(() -> activity.deserialize(new DataInputDeserializer(part)))
                    .as("cut at %d", cut).isInstanceOf(IOException.class);
        }
        byte[] badScope = whole.clone();
        badScope[0] = 9; // no such scope
        assertThatThrownBy(() -> activity.deserialize(new DataInputDeserializer(badScope)))
                .isInstanceOf(IOException.class).hasMessageContaining("no constant");

        TypeSerializer<CallEvent> event = CallEventWire.INSTANCE.createSerializer(new SerializerConfigImpl());
        byte[] spurt = bytes(event, CallEvent.segment("c", 0, Role.CUSTOMER, 10, 20, 100, 2, -30));
        for (int cut = 0; cut < spurt.length; cut++) {
            byte[] part = Arrays.copyOf(spurt, cut);
            assertThatThrownBy(() -> event.deserialize(new DataInputDeserializer(part)))
                    .as("cut at %d", cut).isInstanceOf(IOException.class);
        }
    }

    @Test
    void theSerializersRestoreFromTheirSnapshots() throws Exception {
        for (TypeSerializer<?> s : List.of(CallEventWire.Serializer.INSTANCE, ActivityWire.Serializer.INSTANCE)) {
            DataOutputSerializer out = new DataOutputSerializer(16);
            TypeSerializerSnapshot.writeVersionedSnapshot(out, s.snapshotConfiguration());
            TypeSerializerSnapshot<?> read = TypeSerializerSnapshot.readVersionedSnapshot(
                    new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
            assertThat(read.restoreSerializer()).isSameAs(s);
        }
    }

    @Test
    void theJobSendsCallEventsAndActivityWithTheWireTypesAndKeepsStateInFlinksOwn() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        CallMetricsJob.disableGenericTypes(env);
        CallMetricsJob.defineWorkflow(env.fromData(CallEvent.started("c", "a", "t", "q", 0)), JobConfig.DEFAULTS)
                .windows().print();
        StreamGraph graph = env.getStreamGraph();
        StreamNode calls = node(graph, "Call dynamics per call");
        assertThat(calls.getTypeSerializersIn()[0]).isSameAs(CallEventWire.Serializer.INSTANCE);
        for (String windows : List.of("Hourly window", "Daily window", "Live window")) {
            assertThat(node(graph, windows).getTypeSerializersIn()[0]).as(windows)
                    .isSameAs(ActivityWire.Serializer.INSTANCE);
        }
        // in state, a call's start and held events keep the serializer their savepoints were written with
        assertThat(TypeInformation.of(CallEvent.class).createSerializer(new SerializerConfigImpl()))
                .isNotInstanceOf(Wire.Serializer.class);
    }

    private static StreamNode node(StreamGraph graph, String namePrefix) {
        return graph.getStreamNodes().stream().filter(n -> n.getOperatorName().startsWith(namePrefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no operator named " + namePrefix + "..."));
    }
}
