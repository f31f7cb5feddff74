package io.earshot.ingest.live;

import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.call.SpeechRegions;
import io.earshot.ingest.dsp.CallSpeechTracker;
import io.earshot.ingest.dsp.SpeechHandler;
import io.earshot.ingest.dsp.SpeechSegment;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.emit.CallRecords;
import io.earshot.ingest.emit.EventSink;
import io.earshot.ingest.redact.Redactor;
import io.earshot.schemas.Role;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.avro.specific.SpecificRecord;

/**
 * Live speech ingest of one call: both channels' PCM16 go in as the protocol session receives
 * them; speech edges, talk spurts with tone, utterances and transcription status go out to the
 * {@link EventSink}, mapped by {@link CallRecords}, the mapping the recording path uses too, so
 * they carry the same values and event times (the call's media start plus the media position
 * where each became known) and the metric job computes the same numbers live and replayed.
 *
 * <p>Speech activity comes from {@link CallSpeechTracker} and is published from the pushing
 * thread, never waiting for recognition. Each role's spurts go through a
 * {@link SpeechRegions.Planner} (the one {@link SpeechRegions#plan} uses); a region is sent to
 * {@link LiveTranscription} when the next spurt does not join it, when the audio has moved
 * so far past it that no spurt still undecided by the detector could join it, or at the end.
 * Each channel keeps only the audio a pending or future region may still need.
 *
 * <p>Threads: {@link #start}, {@link #push} and {@link #finish} come from one thread (the
 * call's socket thread); recognition results arrive on worker threads. Every publication
 * happens under one lock per call, so {@code CallStarted} is first and {@code CallEnded} last.
 */
public final class LiveCall {

    /** Transcription status is published at most this often per call, except on a skip. */
    static final long STATUS_INTERVAL_MS = 1000;
    /** Slack on top of the detector's computed decision delay. */
    private static final long DECISION_SLACK_MS = 500;

    private final CallInfo info;
    private final LiveTranscription asr;
    private final EventSink sink;
    /** Maps what the call finds to its records, published through {@link #publish}. */
    private final CallRecords records;
    private final Clock clock;
    private final CallSpeechTracker tracker;
    private final int rate;
    private final long decisionDelayMs;
    private final Map<Role, RoleState> roles = new EnumMap<>(Role.class);
    private final ReentrantLock lock = new ReentrantLock();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final LiveTranscription.Outcome outcome = new Outcome();
    private short[] silence = new short[0];

    // the pushing thread's state; samples is read by worker threads for status reports
    private volatile long samples;
    private boolean started;
    private boolean finishing;

    // guarded by lock
    private final Set<LiveTranscription.Job> pending = new LinkedHashSet<>();
    private int transcribed;
    private int skipped;
    private long skippedSpeechMs;
    private boolean done;
    private String reason;
    private long lastStatusAtMs = Long.MIN_VALUE;
    private int reportedPending;
    private int reportedTranscribed;
    private int reportedSkipped;

    private static final class RoleState {
        final SpeechRegions.Planner planner = new SpeechRegions.Planner();
        final ChannelHistory history;
        boolean speaking;
        long openStartMs;
        int utterances;
        /** This party's redaction state, so a number read out across utterances is judged whole. */
        Redactor.Speaker redaction;

        RoleState(int rate) {
            this.history = new ChannelHistory(rate * 4);
        }
    }

    /**
     * @param asr shared recognition, or {@code null} for speech activity and tone only
     */
    public LiveCall(CallInfo info, VadConfig vad, LiveTranscription asr, EventSink sink, Clock clock) {
        this.info = Objects.requireNonNull(info, "info");
        this.asr = asr;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.records = new CallRecords(info.callId(), info.mediaStartEpochMs(), this::publish);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rate = info.sampleRate();
        this.decisionDelayMs = decisionDelayMs(vad);
        for (Role r : Role.values()) {
            roles.put(r, new RoleState(rate));
        }
        this.tracker = new CallSpeechTracker(rate, vad, new Handler());
    }

    /**
     * How far behind the pushed audio a spurt the detector has not reported yet can start: a
     * frame is decided at the latest once {@code 2 * voicedReach} of look-ahead has arrived, an undecided
     * start edge waits at most for a bridged gap plus the minimum spurt, and the frame
     * windows add a few frames. Closing a region earlier could split what the recording path
     * joins.
     */
    static long decisionDelayMs(VadConfig vad) {
        return 2L * vad.voicedReachMs() + (long) (vad.bridgeGapFrames() + vad.minSpurtFrames() + 3) * vad.frameMs()
                + DECISION_SLACK_MS;
    }

    /** What the call is: id, agent, protocol, channels, rate. */
    public CallInfo info() {
        return info;
    }

    /** Publishes {@code CallStarted}, stamped with the media start. */
    public void start() {
        if (started) {
            throw new IllegalStateException("call " + info.callId() + " already started");
        }
        started = true;
        if (asr != null) {
            asr.callStarted();
        }
        records.started(info, asr == null ? null : asr.redactor().describe());
    }

    /**
     * Pushes the next audio of both channels, PCM16 at the call's sample rate.
     *
     * @param positionSamples stream position of the first sample; audio skipped ahead of it
     *                        (discarded or paused by the client) is filled with silence so
     *                        media time stays aligned with the protocol's positions
     * @throws IllegalArgumentException when the channels differ in length or the position
     *                                  goes back before audio already received
     * @throws IllegalStateException    before {@link #start} or after {@link #finish}
     */
    public void push(short[] agent, short[] customer, long positionSamples) {
        if (!started) {
            throw new IllegalStateException("call " + info.callId() + ": audio pushed before start()");
        }
        if (finishing) {
            throw new IllegalStateException("call " + info.callId() + ": audio pushed after finish()");
        }
        if (agent.length != customer.length) {
            throw new IllegalArgumentException("call " + info.callId() + ": channel lengths differ (agent "
                    + agent.length + ", customer " + customer.length + " samples)");
        }
        if (positionSamples < samples) {
            throw new IllegalArgumentException("call " + info.callId() + ": audio position " + positionSamples
                    + " goes back before the " + samples + " samples already received");
        }
        long gap = positionSamples - samples;
        while (gap > 0) {
            // a second at a time, trimming after each, so a gap costs time but never memory
            int n = (int) Math.min(gap, rate);
            if (silence.length < n) {
                silence = new short[rate];
            }
            feed(silence, silence, n);
            gap -= n;
            if (asr != null) {
                closeRegionsNoSpurtCanJoin();
                trimHistory();
            }
        }
        feed(agent, customer, agent.length);
        if (asr != null) {
            closeRegionsNoSpurtCanJoin();
            trimHistory();
            lock.lock();
            try {
                reportStatus(false);
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Ends the call: the detector closes open spurts, every pending region goes to
     * recognition, and once all of this call's regions are transcribed or skipped the final
     * {@code TranscriptionStatusReported} and then {@code CallEnded} are published.
     *
     * @param reason why the audio ended, in the source's words
     * @return completes once {@code CallEnded} is published
     */
    public CompletableFuture<Void> finish(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (!started) {
            throw new IllegalStateException("call " + info.callId() + ": finish() before start()");
        }
        if (finishing) {
            return ended;
        }
        tracker.finish();
        finishing = true;
        long durationMs = positionMs();
        if (asr != null) {
            for (Map.Entry<Role, RoleState> e : roles.entrySet()) {
                e.getValue().planner.close()
                        .ifPresent(r -> submit(e.getKey(), SpeechRegions.clip(r, durationMs)));
            }
        }
        boolean now;
        lock.lock();
        try {
            this.reason = reason;
            now = pending.isEmpty() && !done;
            if (now) {
                end();
            }
        } finally {
            lock.unlock();
        }
        if (now) {
            ended.complete(null);
        }
        return ended;
    }

    /** Media position of the audio received so far, in ms. */
    public long positionMs() {
        return samples * 1000 / rate;
    }

    /** Samples both channels' buffers can hold without growing, for tests of bounded memory. */
    int historyCapacity() {
        int n = 0;
        for (RoleState s : roles.values()) {
            n += s.history.capacity();
        }
        return n;
    }

    /** Samples of both channels still held for regions, for tests of bounded memory. */
    int retainedSamples() {
        int n = 0;
        for (RoleState s : roles.values()) {
            n += s.history.retainedSamples();
        }
        return n;
    }

    private void feed(short[] agent, short[] customer, int length) {
        if (asr != null) {
            roles.get(Role.AGENT).history.append(agent, 0, length);
            roles.get(Role.CUSTOMER).history.append(customer, 0, length);
        }
        tracker.push(agent, customer, 0, length);
        samples += length;
    }

    private void closeRegionsNoSpurtCanJoin() {
        long position = positionMs();
        for (Map.Entry<Role, RoleState> e : roles.entrySet()) {
            RoleState s = e.getValue();
            long horizon = s.planner.joinHorizonMs();
            if (!s.speaking && horizon != Long.MAX_VALUE && position >= horizon + decisionDelayMs) {
                s.planner.close().ifPresent(r -> submit(e.getKey(), r));
            }
        }
    }

    /**
     * Keeps each channel from the earliest sample still needed: the pending region's start,
     * the open spurt's widened start, or the widened start of a spurt the detector may still
     * report.
     */
    private void trimHistory() {
        long position = positionMs();
        for (RoleState s : roles.values()) {
            long before = s.planner.marginBeforeMs();
            long keepMs = position - decisionDelayMs - before;
            if (s.speaking) {
                keepMs = Math.min(keepMs, s.openStartMs - before);
            }
            Long pendingStart = s.planner.pending().map(SpeechRegions.Region::startMs).orElse(Long.MAX_VALUE);
            keepMs = Math.max(0, Math.min(keepMs, pendingStart));
            s.history.trimBefore(keepMs * rate / 1000);
        }
    }

    private void submit(Role role, SpeechRegions.Region region) {
        RoleState s = roles.get(role);
        long from = region.startMs() * rate / 1000;
        long to = Math.min(samples, region.endMs() * rate / 1000);
        LiveTranscription.Job job = new LiveTranscription.Job(info.callId() + "#" + role, role,
                s.history.copy(from, to), rate, region.startMs(), region.endMs(), asr.clock().millis(), outcome);
        lock.lock();
        try {
            pending.add(job);
            if (!asr.submit(job)) {
                asr.countSkipped();
                skippedLocked(job);
                return;
            }
            reportStatus(false);
        } finally {
            lock.unlock();
        }
    }

    /** Publishes a status when the counts changed, at most once a second unless forced. */
    private void reportStatus(boolean force) {
        if (asr == null || done) {
            return;
        }
        boolean changed = pending.size() != reportedPending || transcribed != reportedTranscribed
                || skipped != reportedSkipped;
        long now = clock.millis();
        if (changed && (force || lastStatusAtMs == Long.MIN_VALUE || now - lastStatusAtMs >= STATUS_INTERVAL_MS)) {
            publishStatus(false);
            lastStatusAtMs = now;
        }
    }

    private void publishStatus(boolean isFinal) {
        long position = positionMs();
        long lag = 0;
        if (!pending.isEmpty()) {
            long now = asr == null ? clock.millis() : asr.clock().millis();
            long oldest = pending.stream().mapToLong(LiveTranscription.Job::queuedAtMs).min().getAsLong();
            lag = Math.max(0, now - oldest);
        }
        reportedPending = pending.size();
        reportedTranscribed = transcribed;
        reportedSkipped = skipped;
        records.status(position, lag, pending.size(), transcribed, skipped, skippedSpeechMs, isFinal);
    }

    private void skippedLocked(LiveTranscription.Job job) {
        if (!pending.remove(job) || done) {
            return;
        }
        skipped++;
        skippedSpeechMs += job.endMs() - job.startMs();
        reportStatus(true);
    }

    /** Publishes the final status and CallEnded; called under the lock, once. */
    private void end() {
        long durationMs = positionMs();
        publishStatus(true);
        records.ended(durationMs, reason, clock.instant());
        done = true;
        if (asr != null) {
            asr.callEnded();
        }
    }

    /** Ends the call if it is finishing and nothing is pending; returns whether it ended now. */
    private boolean endIfDrainedLocked() {
        if (finishing && pending.isEmpty() && !done && reason != null) {
            end();
            return true;
        }
        return false;
    }

    /** What {@link #records} publishes: to the sink, under the lock, never after {@code CallEnded}. */
    private void publish(String callId, long eventTimeMs, SpecificRecord event) {
        lock.lock();
        try {
            if (done) {
                throw new IllegalStateException("call " + callId + " already ended");
            }
            sink.publish(callId, eventTimeMs, event);
        } finally {
            lock.unlock();
        }
    }

    private final class Handler implements SpeechHandler {

        @Override
        public void onSpeechStart(Role role, long atMs) {
            RoleState s = roles.get(role);
            s.speaking = true;
            s.openStartMs = atMs;
            records.speaking(role, atMs, true);
        }

        @Override
        public void onProvisionalEdge(Role role, long atMs, boolean speaking) {
            // for the floor's speaking state: published at once, the decided edges follow
            records.speaking(role, atMs, speaking, true);
        }

        @Override
        public void onSegment(SpeechSegment segment) {
            RoleState s = roles.get(segment.role());
            s.speaking = false;
            records.speaking(segment.role(), segment.endMs(), false);
            records.segment(segment);
            if (asr != null) {
                s.planner.add(segment).ifPresent(r -> submit(segment.role(), r));
            }
        }
    }

    private final class Outcome implements LiveTranscription.Outcome {

        @Override
        public void transcribed(LiveTranscription.Job job, List<Utterance> utterances) {
            boolean endedNow;
            lock.lock();
            try {
                if (!pending.remove(job) || done) {
                    return;
                }
                RoleState s = roles.get(job.role());
                if (s.redaction == null) {
                    s.redaction = asr.redactor().speaker();
                }
                for (Utterance heard : utterances) {
                    records.utterance(s.utterances++, s.redaction.next(heard));
                }
                transcribed++;
                reportStatus(false);
                endedNow = endIfDrainedLocked();
            } finally {
                lock.unlock();
            }
            if (endedNow) {
                ended.complete(null);
            }
        }

        @Override
        public void skipped(LiveTranscription.Job job, String why) {
            boolean endedNow;
            lock.lock();
            try {
                skippedLocked(job);
                endedNow = endIfDrainedLocked();
            } finally {
                lock.unlock();
            }
            if (endedNow) {
                ended.complete(null);
            }
        }
    }
}
