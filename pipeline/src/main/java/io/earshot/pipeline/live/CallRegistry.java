package io.earshot.pipeline.live;

import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.emit.EventSink;
import io.earshot.ingest.live.CallInfo;
import io.earshot.ingest.live.LiveCall;
import io.earshot.ingest.live.LiveTranscription;
import io.earshot.ingest.protocol.CallRejectedException;
import io.earshot.ingest.protocol.LogSafe;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import io.earshot.ingest.live.CallLogContext;
import io.earshot.schemas.SourceProtocol;

/**
 * The live calls of one ingest process, whatever protocol brought them: starts a
 * {@link LiveCall} per call, refuses a call whose id is already live or ended recently, and
 * keeps each call's completion so shutdown and tests can wait for every {@code CallEnded} to be
 * published. Thread-safe: protocol threads of different calls use it concurrently.
 *
 * <p>Bounded by {@link Limits}: at most {@code maxCalls} calls live at once over every protocol,
 * and at most {@code maxCallsPerKey} per caller key (an AudioHook API key, a Twilio account). A
 * call counts from its start until its {@code CallEnded} is published; a call over a bound is
 * refused with {@link CallRejectedException}, which its protocol turns into its own error for
 * that caller alone.
 *
 * <p>Why ended ids too: the store keeps one call per id and replaces its rows when the same id
 * arrives again, so a caller reusing another call's id would overwrite that call's data. The
 * registry remembers the ids of the last {@code rememberedEndedCalls} calls it ended (insertion
 * order, oldest forgotten first; about 100 bytes each) and refuses them like a live id. Calls
 * older than that, or ingested by another process, are not known here; see docs/security.md.
 */
public final class CallRegistry implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CallRegistry.class.getName());

    private final VadConfig vad;
    private final LiveTranscription asr;
    private final EventSink sink;
    private final AgentDirectory agents;
    private final Clock clock;
    private final Map<String, LiveCall> live = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> ending = new ConcurrentHashMap<>();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    /** Audio received by protocol: blocks (frames, chunks) and sample frames in seconds times the rate. */
    private final Map<SourceProtocol, LongAdder> audioFrames = new java.util.EnumMap<>(SourceProtocol.class);
    private final Map<SourceProtocol, java.util.concurrent.atomic.DoubleAdder> audioSeconds =
            new java.util.EnumMap<>(SourceProtocol.class);
    private final Limits limits;
    /** Live calls by caller key, and the key of each live call; guarded by itself. */
    private final Map<String, Integer> perKey = new java.util.HashMap<>();
    private final Map<String, String> keyOf = new java.util.HashMap<>();
    private int counted;
    /** Ids of calls that ended, oldest first; guarded by itself. */
    private final LinkedHashMap<String, Boolean> endedIds = new LinkedHashMap<>();
    private final int rememberedEndedCalls;

    /**
     * How many calls may be live at once, and how many ended call ids are remembered.
     *
     * @param maxCalls             over every protocol and caller
     * @param maxCallsPerKey       per caller key (AudioHook API key, Twilio account)
     * @param rememberedEndedCalls how many ended call ids are refused if they come again
     */
    public record Limits(int maxCalls, int maxCallsPerKey, int rememberedEndedCalls) {
        /** Far above what one ingest process transcribes, low enough to bound its memory. */
        public static final int DEFAULT_MAX_CALLS = 500;
        /** One tenant or integration may hold a fifth of the process. */
        public static final int DEFAULT_MAX_CALLS_PER_KEY = 100;
        /** 100 000 ended call ids: about a day of a large contact centre, some 10 MB. */
        public static final int DEFAULT_REMEMBERED_ENDED_CALLS = 100_000;
        public static final Limits DEFAULTS = new Limits(DEFAULT_MAX_CALLS, DEFAULT_MAX_CALLS_PER_KEY);

        public Limits {
            if (maxCalls < 1 || maxCallsPerKey < 1) {
                throw new IllegalArgumentException("maxCalls and maxCallsPerKey must be at least 1");
            }
            if (rememberedEndedCalls < 0) {
                throw new IllegalArgumentException("rememberedEndedCalls must not be negative");
            }
        }

        /** The bounds on live calls, remembering the default number of ended ids. */
        public Limits(int maxCalls, int maxCallsPerKey) {
            this(maxCalls, maxCallsPerKey, DEFAULT_REMEMBERED_ENDED_CALLS);
        }
    }

    /** @param asr the shared recognisers, or null to ingest without transcription */
    public CallRegistry(VadConfig vad, LiveTranscription asr, EventSink sink, AgentDirectory agents, Clock clock) {
        this(vad, asr, sink, agents, clock, Limits.DEFAULTS);
    }

    /** @param asr the shared recognisers, or null to ingest without transcription */
    public CallRegistry(VadConfig vad, LiveTranscription asr, EventSink sink, AgentDirectory agents, Clock clock,
            Limits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
        for (SourceProtocol p : SourceProtocol.values()) {
            audioFrames.put(p, new LongAdder());
            audioSeconds.put(p, new java.util.concurrent.atomic.DoubleAdder());
        }
        this.rememberedEndedCalls = limits.rememberedEndedCalls();
        this.vad = vad;
        this.asr = asr;
        this.sink = sink;
        this.agents = agents;
        this.clock = clock;
    }

    public AgentDirectory agents() {
        return agents;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Starts a call and publishes its {@code CallStarted}.
     *
     * @throws CallRejectedException when a call with this id is live already or ended recently;
     *                               its message is for the log, not for the caller
     */
    public LiveCall start(CallInfo info) {
        return start(info, null);
    }

    /**
     * Starts a call counted against a caller key and publishes its {@code CallStarted}.
     *
     * @param callerKey the key the per-key bound counts on, or null for none
     * @throws CallRejectedException when a call with this id is live already, or a bound is reached
     */
    public LiveCall start(CallInfo info, String callerKey) {
        LiveCall call = new LiveCall(info, vad, asr, sink, clock);
        boolean ended;
        synchronized (endedIds) {
            ended = endedIds.containsKey(info.callId());
        }
        if (ended) {
            refused.incrementAndGet();
            throw new CallRejectedException("call '" + info.callId() + "' has ended already: its id"
                    + " cannot be reused");
        }
        synchronized (perKey) {
            if (live.containsKey(info.callId())) {
                refused.incrementAndGet();
                throw new CallRejectedException("call '" + info.callId() + "' is already streaming");
            }
            if (counted >= limits.maxCalls()) {
                refused.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "call {0} refused: {1} calls live", LogSafe.quote(info.callId()),
                        counted);
                throw new CallRejectedException("too many concurrent calls (at most " + limits.maxCalls() + ")");
            }
            if (callerKey != null && perKey.getOrDefault(callerKey, 0) >= limits.maxCallsPerKey()) {
                refused.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "call {0} refused: its caller has {1} calls live",
                        LogSafe.quote(info.callId()), limits.maxCallsPerKey());
                throw new CallRejectedException("too many concurrent calls for this caller (at most "
                        + limits.maxCallsPerKey() + ")");
            }
            live.put(info.callId(), call);
            counted++;
            if (callerKey != null) {
                perKey.merge(callerKey, 1, Integer::sum);
                keyOf.put(info.callId(), callerKey);
            }
        }
        try (CallLogContext.Scope ctx = CallLogContext.enter(info.callId())) {
            call.start();
            started.incrementAndGet();
            LOG.log(System.Logger.Level.INFO, "call {0} started: agent {1}, {2}", LogSafe.quote(info.callId()),
                    LogSafe.quote(info.agentId()), info.protocol());
        }
        return call;
    }

    private void rememberEnded(String callId) {
        if (rememberedEndedCalls == 0) {
            return;
        }
        synchronized (endedIds) {
            endedIds.put(callId, Boolean.TRUE);
            if (endedIds.size() > rememberedEndedCalls) {
                endedIds.remove(endedIds.keySet().iterator().next());
            }
        }
    }

    /** Counts a call refused before it started (bad metadata, unknown agent). */
    void refused() {
        refused.incrementAndGet();
    }

    /**
     * Ends a call: the rest of its speech is detected, its queued regions recognised or
     * skipped, then {@code CallEnded} is published. Ending a call twice has no further effect.
     */
    public CompletableFuture<Void> finish(String callId, String reason) {
        LiveCall call = live.get(callId);
        if (call == null) {
            return CompletableFuture.completedFuture(null);
        }
        // the call's own future may complete at once (nothing left to recognise): its bookkeeping
        // then runs on this thread, so it must not run inside an update of the map it changes
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> already = ending.putIfAbsent(callId, done);
        if (already != null) {
            return already;
        }
        CompletableFuture<Void> finishing;
        try {
            finishing = call.finish(reason);
        } catch (RuntimeException | Error e) {
            ending.remove(callId, done);
            done.completeExceptionally(e);
            throw e;
        }
        finishing.whenComplete((ok, failure) -> {
            try (CallLogContext.Scope ctx = CallLogContext.enter(callId)) {
                rememberEnded(callId);
                release(callId);
                ending.remove(callId);
                ended.incrementAndGet();
                if (failure != null) {
                    LOG.log(System.Logger.Level.WARNING, "call " + LogSafe.quote(callId) + " did not end cleanly", failure);
                    done.completeExceptionally(failure);
                } else {
                    LOG.log(System.Logger.Level.INFO, "call {0} ended: {1}", LogSafe.quote(callId), LogSafe.quote(reason));
                    done.complete(null);
                }
            }
        });
        return done;
    }

    private void release(String callId) {
        synchronized (perKey) {
            if (live.remove(callId) == null) {
                return;
            }
            counted--;
            String key = keyOf.remove(callId);
            if (key != null) {
                perKey.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
            }
        }
    }

    public int activeCalls() {
        return live.size();
    }

    /** Calls live now that came over {@code protocol}. */
    public int activeCalls(SourceProtocol protocol) {
        int n = 0;
        for (LiveCall c : live.values()) {
            if (c.info().protocol() == protocol) {
                n++;
            }
        }
        return n;
    }

    /** Counts a block of audio handed to {@code call}: {@code samples} sample frames per channel. */
    void audioReceived(LiveCall call, int samples) {
        SourceProtocol p = call.info().protocol();
        audioFrames.get(p).increment();
        audioSeconds.get(p).add(samples / (double) call.info().sampleRate());
    }

    /** Audio blocks received over {@code protocol} since start (AudioHook frames, Twilio media pairs, raw chunks). */
    public long audioFrames(SourceProtocol protocol) {
        return audioFrames.get(protocol).sum();
    }

    /** Seconds of call audio received over {@code protocol} since start. */
    public double audioSeconds(SourceProtocol protocol) {
        return audioSeconds.get(protocol).sum();
    }

    public long startedCalls() {
        return started.get();
    }

    public long endedCalls() {
        return ended.get();
    }

    public long refusedCalls() {
        return refused.get();
    }

    /** Waits until no call is live or ending; false if some still are after {@code timeout}. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!live.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Ends every live call with reason "shutdown" and waits up to {@code timeout} for them. */
    public void shutdown(Duration timeout) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String id : List.copyOf(live.keySet())) {
            all.add(finish(id, "shutdown"));
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "{0} calls did not end within {1}", live.size(), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "a call failed while ending", e.getCause());
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(30));
    }
}
