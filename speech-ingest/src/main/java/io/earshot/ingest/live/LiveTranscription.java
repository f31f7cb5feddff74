package io.earshot.ingest.live;

import io.earshot.ingest.asr.Transcriber;
import io.earshot.ingest.asr.TranscriptionException;
import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.redact.Redactor;
import io.earshot.ingest.protocol.LogSafe;
import io.earshot.schemas.Role;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Speech recognition shared by all live calls of a process: a fixed number of worker threads
 * take closed speech regions from one FIFO per speaker (a call's channel, keyed
 * {@code callId + "#" + role}), so each party's regions are recognised in order and go to the
 * recognizer that adapted to that voice. Speakers with work wait in one round-robin line, so a
 * talkative call cannot starve the others.
 *
 * <p>Overload: when a worker is about to start a region that has waited longer than
 * {@link Config#maxLag()} (wall clock, from the moment its audio was complete and it was
 * queued), the region is skipped and counted instead of recognised, so recognition sheds load
 * rather than falling ever further behind the audio. A region the recogniser fails on is
 * skipped and counted too. Speech activity never waits for this class: {@link LiveCall}
 * publishes it from the pushing thread.
 */
public final class LiveTranscription implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LiveTranscription.class.getName());

    /**
     * @param workers regions recognised at the same time (bound the recogniser pool to match)
     * @param maxLag  a region that waited longer than this when a worker gets to it is skipped
     */
    public record Config(int workers, Duration maxLag) {

        public Config {
            Objects.requireNonNull(maxLag, "maxLag");
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, got " + workers);
            }
            if (maxLag.isNegative()) {
                throw new IllegalArgumentException("maxLag is negative: " + maxLag);
            }
        }

        /** Two workers; regions more than 20 s behind are skipped. */
        public static Config defaults() {
            return new Config(2, Duration.ofSeconds(20));
        }
    }

    /**
     * Totals across calls, now.
     *
     * @param activeCalls        calls started and not yet ended
     * @param pendingRegions     regions waiting for or in recognition
     * @param transcribedRegions regions recognised since start
     * @param skippedRegions     regions skipped (too late, or the recogniser failed) since start
     * @param maxLagMs           how long the oldest pending region has waited, 0 when none
     */
    public record Stats(int activeCalls, int pendingRegions, long transcribedRegions, long skippedRegions,
            long maxLagMs) {
    }

    /** What becomes of a submitted region; called on a worker thread, in order per speaker. */
    interface Outcome {
        void transcribed(Job job, List<Utterance> utterances);

        void skipped(Job job, String why);
    }

    /** One closed region of one speaker, its audio copied out of the call's history. */
    record Job(String speaker, Role role, short[] samples, int sampleRate, long startMs, long endMs,
            long queuedAtMs, Outcome outcome) {
    }

    private static final class SpeakerQueue {
        final String speaker;
        final ArrayDeque<Job> jobs = new ArrayDeque<>();
        boolean busy;

        SpeakerQueue(String speaker) {
            this.speaker = speaker;
        }
    }

    private final Transcriber transcriber;
    private final Redactor redactor;
    private final long maxLagMs;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Map<String, SpeakerQueue> speakers = new HashMap<>();
    private final ArrayDeque<SpeakerQueue> ready = new ArrayDeque<>();
    private final Set<Job> running = new HashSet<>();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger activeCalls = new AtomicInteger();
    private final AtomicLong transcribed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private int queued;
    private boolean closed;

    /** Live recognition that redacts every call's transcript with every rule on ({@link Redactor#defaults()}). */
    public LiveTranscription(Transcriber transcriber, Config config, Clock clock) {
        this(transcriber, config, clock, Redactor.defaults());
    }

    /**
     * @param redactor applied by each {@link LiveCall} to its parties' utterances, in order,
     *                 before they are published
     */
    public LiveTranscription(Transcriber transcriber, Config config, Clock clock, Redactor redactor) {
        this.redactor = Objects.requireNonNull(redactor, "redactor");
        this.transcriber = Objects.requireNonNull(transcriber, "transcriber");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxLagMs = config.maxLag().toMillis();
        for (int i = 0; i < config.workers(); i++) {
            Thread t = new Thread(this::work, "live-asr-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /** The redaction every call's utterances go through before they are published. */
    public Redactor redactor() {
        return redactor;
    }

    public Stats stats() {
        lock.lock();
        try {
            long now = clock.millis();
            long oldest = Long.MAX_VALUE;
            for (Job j : running) {
                oldest = Math.min(oldest, j.queuedAtMs());
            }
            for (SpeakerQueue q : speakers.values()) {
                if (!q.jobs.isEmpty()) {
                    oldest = Math.min(oldest, q.jobs.peekFirst().queuedAtMs());
                }
            }
            long lag = oldest == Long.MAX_VALUE ? 0 : Math.max(0, now - oldest);
            return new Stats(activeCalls.get(), queued + running.size(), transcribed.get(), skipped.get(), lag);
        } finally {
            lock.unlock();
        }
    }

    /** Stops the workers after the regions they are in; regions still queued are skipped. */
    @Override
    public void close() {
        List<Job> dropped = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (SpeakerQueue q : speakers.values()) {
                dropped.addAll(q.jobs);
                q.jobs.clear();
            }
            queued = 0;
            ready.clear();
            work.signalAll();
        } finally {
            lock.unlock();
        }
        for (Job j : dropped) {
            skipped.incrementAndGet();
            j.outcome().skipped(j, "live transcription shut down");
        }
        boolean interrupted = false;
        for (Thread t : workers) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    Clock clock() {
        return clock;
    }

    void callStarted() {
        activeCalls.incrementAndGet();
    }

    void callEnded() {
        activeCalls.decrementAndGet();
    }

    /**
     * Queues a region behind its speaker's earlier ones; its outcome is reported on a worker
     * thread. Returns false, without queueing, once this has been closed.
     */
    boolean submit(Job job) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            SpeakerQueue q = speakers.computeIfAbsent(job.speaker(), SpeakerQueue::new);
            q.jobs.addLast(job);
            queued++;
            if (!q.busy && q.jobs.size() == 1) {
                ready.addLast(q);
                work.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Counts a region the caller could not submit (after close) as skipped. */
    void countSkipped() {
        skipped.incrementAndGet();
    }

    private void work() {
        while (true) {
            SpeakerQueue q;
            Job job;
            lock.lock();
            try {
                while (!closed && ready.isEmpty()) {
                    work.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
                q = ready.pollFirst();
                job = q.jobs.pollFirst();
                queued--;
                q.busy = true;
                running.add(job);
            } finally {
                lock.unlock();
            }
            int hash = job.speaker().lastIndexOf('#');
            String callId = hash < 0 ? job.speaker() : job.speaker().substring(0, hash);
            try (CallLogContext.Scope ctx = CallLogContext.enter(callId)) {
                Runnable report = run(job);
                lock.lock();
                try {
                    running.remove(job); // counted as done before the call hears of it
                } finally {
                    lock.unlock();
                }
                try {
                    report.run();
                } catch (RuntimeException e) {
                    // the call's sink failed; the worker must live on for the other calls
                    LOG.log(System.Logger.Level.ERROR, LogSafe.quote(job.speaker()) + ": publishing the outcome of region "
                            + job.startMs() + "-" + job.endMs() + " ms failed", e);
                }
            }
            lock.lock();
            try {
                q.busy = false; // only now may the speaker's next region start
                if (!q.jobs.isEmpty()) {
                    ready.addLast(q);
                    work.signal();
                } else {
                    speakers.remove(q.speaker);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Recognises or skips one region and counts it; returns the report to the call, which
     * runs before the speaker's next region starts.
     */
    private Runnable run(Job job) {
        long waited = clock.millis() - job.queuedAtMs();
        if (waited > maxLagMs) {
            skipped.incrementAndGet();
            return () -> job.outcome().skipped(job, "waited " + waited + " ms, more than the " + maxLagMs
                    + " ms allowed");
        }
        List<Utterance> heard;
        try {
            heard = transcriber.transcribe(job.speaker(), job.role(), job.samples(), job.sampleRate(), job.startMs());
        } catch (TranscriptionException e) {
            LOG.log(System.Logger.Level.WARNING, LogSafe.quote(job.speaker()) + ": recognition failed on region "
                    + job.startMs() + "-" + job.endMs() + " ms, skipped", e);
            skipped.incrementAndGet();
            return () -> job.outcome().skipped(job, "recognition failed: " + e.getMessage());
        } catch (RuntimeException e) {
            // a bug in the recogniser must not stop this worker and leave every call waiting
            LOG.log(System.Logger.Level.ERROR, LogSafe.quote(job.speaker()) + ": recogniser threw on region "
                    + job.startMs() + "-" + job.endMs() + " ms, skipped", e);
            skipped.incrementAndGet();
            return () -> job.outcome().skipped(job, "recogniser error: " + e);
        }
        transcribed.incrementAndGet();
        return () -> job.outcome().transcribed(job, heard);
    }
}
