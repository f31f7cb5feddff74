package io.earshot.jobs.common;

import io.earshot.analysis.listening.ListeningCounts;
import io.earshot.analysis.metrics.ListeningTotals;
import io.earshot.analysis.windows.CallActivity;
import io.earshot.analysis.windows.MetricsKey;
import io.earshot.analysis.windows.Scope;
import io.earshot.analysis.windows.ScopedActivity;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A call's activity on its way to one of its windows ({@link ScopedActivity}): each running
 * value's change goes to three windows (agent, team, queue), so this is the job's most frequent
 * record. The key's name is written once (the activity's agent, team or queue that equals it is
 * written as a reference to it), and of the change's 28 counts and sums, mostly zero between two
 * running values, only those that are not zero, behind a mask. Records are immutable: a copy is
 * the record itself.
 */
public final class ActivityWire extends Wire<ScopedActivity> {

    private static final long serialVersionUID = 1L;

    public static final ActivityWire INSTANCE = new ActivityWire();

    private static final Scope[] SCOPES = Scope.values();
    /** How many counts and sums a change has: the totals' own and the listening counts. */
    static final int FIELDS = 28;
    /** A name equal to the key's. */
    private static final int SAME_AS_KEY = 2;

    private ActivityWire() {
        super(ScopedActivity.class);
    }

    @Override
    protected boolean immutable() {
        return true;
    }

    @Override
    protected TypeSerializer<ScopedActivity> serializer() {
        return Serializer.INSTANCE;
    }

    @Override
    protected void write(ScopedActivity s, DataOutputView out) throws IOException {
        MetricsKey key = s.key();
        CallActivity a = s.activity();
        writeEnum(key.scope(), out);
        writeString(key.id(), out);
        writeString(a.callId(), out);
        writeName(a.agentId(), key.id(), out);
        writeName(a.team(), key.id(), out);
        writeName(a.queue(), key.id(), out);
        writeLong(a.atMs(), out);
        long[] values = values(a.delta());
        int mask = 0;
        for (int i = 0; i < FIELDS; i++) {
            mask |= values[i] != 0 ? 1 << i : 0;
        }
        out.writeInt(mask);
        for (int i = 0; i < FIELDS; i++) {
            if (values[i] != 0) {
                writeLong(values[i], out);
            }
        }
    }

    @Override
    protected ScopedActivity read(DataInputView in) throws IOException {
        Scope scope = readEnum(SCOPES, in);
        String id = readString(in);
        if (scope == null || id == null) {
            throw new IOException("activity without its window's key");
        }
        String callId = readString(in);
        String agentId = readName(id, in);
        String team = readName(id, in);
        String queue = readName(id, in);
        long atMs = readLong(in);
        int mask = in.readInt();
        long[] v = new long[FIELDS];
        for (int i = 0; i < FIELDS; i++) {
            v[i] = (mask & 1 << i) != 0 ? readLong(in) : 0;
        }
        return new ScopedActivity(new MetricsKey(scope, id),
                new CallActivity(callId, agentId, team, queue, atMs, totals(v)));
    }

    private static void writeName(String name, String key, DataOutputView out) throws IOException {
        if (name == null) {
            out.writeByte(0);
        } else if (name.equals(key)) {
            out.writeByte(SAME_AS_KEY);
        } else {
            out.writeByte(1);
            writeString(name, out);
        }
    }

    private static String readName(String key, DataInputView in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case 0 -> null;
            case 1 -> Objects.requireNonNull(readString(in), "name");
            case SAME_AS_KEY -> key;
            default -> throw new IOException("no name tag " + tag);
        };
    }

    /** The change's counts and sums in a fixed order: the totals' own, then the listening counts. */
    static long[] values(ListeningTotals t) {
        ListeningCounts l = t.listening();
        return new long[] {t.callTimeMs(), t.agentTalkMs(), t.customerTalkMs(), t.overlapMs(), t.silenceMs(),
            t.agentInterruptions(), t.agentInterruptionOverlapMs(), t.customerInterruptions(), t.agentBackchannels(),
            t.customerBackchannels(), t.transfers(), t.respectedTransfers(), t.responseGapSumMs(),
            t.pauseIntrusions(), t.callsEnded(),
            l.agentParaphrases(), l.agentSummaries(), l.agentEmpathy(), l.agentApologies(), l.agentOpenQuestions(),
            l.agentClarifyingQuestions(), l.agentClosedQuestions(), l.agentFollowUps(), l.agentRaisedVoice(),
            l.agentMonotone(), l.agentFastSpeech(), l.customerRaisedVoice(), l.customerAgitation()};
    }

    /** The totals of {@link #values}. */
    static ListeningTotals totals(long[] v) {
        return new ListeningTotals(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
                v[13], v[14], new ListeningCounts(v[15], v[16], v[17], v[18], v[19], v[20], v[21], v[22], v[23], v[24],
                        v[25], v[26], v[27]));
    }

    /** The serializer of {@link ActivityWire}. */
    public static final class Serializer extends Wire.Serializer<ScopedActivity> {

        private static final long serialVersionUID = 1L;

        public static final Serializer INSTANCE = new Serializer();

        @Override
        protected Wire<ScopedActivity> wire() {
            return ActivityWire.INSTANCE;
        }

        @Override
        public TypeSerializerSnapshot<ScopedActivity> snapshotConfiguration() {
            return new Snapshot();
        }

        /** No configuration: the snapshot restores the one instance. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<ScopedActivity> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
