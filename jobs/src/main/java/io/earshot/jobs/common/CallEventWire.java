package io.earshot.jobs.common;

import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.ContourBlock;
import io.earshot.analysis.events.WordItem;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A {@link CallEvent} on its way to the call operator: every field, times and counts as
 * variable-length integers, the four tone values behind a mask of those known (a spurt's are,
 * every other event's are not), a spurt's contour blocks and an utterance's words as counted
 * lists. In state the events keep Flink's own serializer for the class (see {@link Wire}).
 */
public final class CallEventWire extends Wire<CallEvent> {

    private static final long serialVersionUID = 1L;

    public static final CallEventWire INSTANCE = new CallEventWire();

    private static final CallEvent.Kind[] KINDS = CallEvent.Kind.values();
    private static final Role[] ROLES = Role.values();

    private CallEventWire() {
        super(CallEvent.class);
    }

    @Override
    protected boolean immutable() {
        return false;
    }

    @Override
    protected TypeSerializer<CallEvent> serializer() {
        return Serializer.INSTANCE;
    }

    @Override
    protected void write(CallEvent e, DataOutputView out) throws IOException {
        writeEnum(e.kind, out);
        writeString(e.callId, out);
        writeLong(e.eventTimeMs, out);
        writeString(e.agentId, out);
        writeString(e.team, out);
        writeString(e.queue, out);
        writeLong(e.mediaStartEpochMs, out);
        writeString(e.redaction, out);
        out.writeBoolean(e.awaitingAssignment);
        writeLong(e.assignedAtMs, out);
        writeString(e.assignmentSource, out);
        writeEnum(e.role, out);
        writeLong(e.startMs, out);
        writeLong(e.endMs, out);
        writeLong(e.index, out);
        double[] tone = {e.pitchMedianHz, e.pitchRangeSemitones, e.loudnessDbfs, e.voicedRatio};
        int known = 0;
        for (int i = 0; i < tone.length; i++) {
            // NaN is the usual "unknown" and goes as a bit; any other value, itself
            known |= Double.doubleToRawLongBits(tone[i]) == Double.doubleToRawLongBits(Double.NaN) ? 0 : 1 << i;
        }
        out.writeByte(known);
        for (int i = 0; i < tone.length; i++) {
            if ((known & 1 << i) != 0) {
                out.writeDouble(tone[i]);
            }
        }
        writeLong(e.contourBlockMs, out);
        List<ContourBlock> contour = e.contour;
        writeLong(contour == null ? -1 : contour.size(), out);
        if (contour != null) {
            for (ContourBlock b : contour) {
                writeLong(b.startMs(), out);
                writeLong(b.endMs() - b.startMs(), out);
                out.writeDouble(b.loudnessDbfs());
                out.writeDouble(b.pitchSemitones());
            }
        }
        writeString(e.text, out);
        List<WordItem> words = e.words;
        writeLong(words == null ? -1 : words.size(), out);
        if (words != null) {
            for (WordItem w : words) {
                writeString(w.word(), out);
                writeLong(w.startMs(), out);
                writeLong(w.endMs() - w.startMs(), out);
                out.writeDouble(w.conf());
            }
        }
        writeLong(e.lagMs, out);
        writeLong(e.skippedRegions, out);
        writeLong(e.skippedSpeechMs, out);
        writeString(e.reason, out);
    }

    @Override
    protected CallEvent read(DataInputView in) throws IOException {
        CallEvent e = new CallEvent();
        e.kind = readEnum(KINDS, in);
        e.callId = readString(in);
        e.eventTimeMs = readLong(in);
        e.agentId = readString(in);
        e.team = readString(in);
        e.queue = readString(in);
        e.mediaStartEpochMs = readLong(in);
        e.redaction = readString(in);
        e.awaitingAssignment = in.readBoolean();
        e.assignedAtMs = readLong(in);
        e.assignmentSource = readString(in);
        e.role = readEnum(ROLES, in);
        e.startMs = readLong(in);
        e.endMs = readLong(in);
        e.index = Math.toIntExact(readLong(in));
        int known = in.readUnsignedByte();
        e.pitchMedianHz = (known & 1) != 0 ? in.readDouble() : Double.NaN;
        e.pitchRangeSemitones = (known & 2) != 0 ? in.readDouble() : Double.NaN;
        e.loudnessDbfs = (known & 4) != 0 ? in.readDouble() : Double.NaN;
        e.voicedRatio = (known & 8) != 0 ? in.readDouble() : Double.NaN;
        e.contourBlockMs = readLong(in);
        int blocks = count(in);
        if (blocks < 0) {
            e.contour = null;
        } else {
            List<ContourBlock> contour = new ArrayList<>(blocks);
            for (int i = 0; i < blocks; i++) {
                long start = readLong(in);
                long end = start + readLong(in);
                contour.add(new ContourBlock(start, end, in.readDouble(), in.readDouble()));
            }
            e.contour = contour;
        }
        e.text = readString(in);
        int count = count(in);
        if (count < 0) {
            e.words = null;
        } else {
            List<WordItem> words = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String word = readString(in);
                long start = readLong(in);
                long end = start + readLong(in);
                words.add(new WordItem(word, start, end, in.readDouble()));
            }
            e.words = words;
        }
        e.lagMs = readLong(in);
        e.skippedRegions = Math.toIntExact(readLong(in));
        e.skippedSpeechMs = readLong(in);
        e.reason = readString(in);
        return e;
    }

    private static int count(DataInputView in) throws IOException {
        long n = readLong(in);
        if (n < -1 || n > Integer.MAX_VALUE) {
            throw new IOException("list of " + n + " items");
        }
        return (int) n;
    }

    /** The serializer of {@link CallEventWire}. */
    public static final class Serializer extends Wire.Serializer<CallEvent> {

        private static final long serialVersionUID = 1L;

        public static final Serializer INSTANCE = new Serializer();

        @Override
        protected Wire<CallEvent> wire() {
            return CallEventWire.INSTANCE;
        }

        @Override
        public TypeSerializerSnapshot<CallEvent> snapshotConfiguration() {
            return new Snapshot();
        }

        /** No configuration: the snapshot restores the one instance. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<CallEvent> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
