package io.earshot.pipeline.simulate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs N calls at once against one server: call {@code i} streams recording {@code i mod
 * recordings} and starts {@code i * stagger} after the first, each on its own thread (a call
 * mostly sleeps between frames, so threads are cheap next to the sockets).
 */
public final class Simulator {

    private final CallClient client;
    private final FrameListener frames;

    public Simulator(CallClient client, FrameListener frames) {
        this.client = Objects.requireNonNull(client);
        this.frames = Objects.requireNonNull(frames);
    }

    /** Streams {@code calls} calls, the recordings reused round-robin, and waits for all of them. */
    public SimulationReport run(List<SimulatedCall.Recording> recordings, int calls, CallMetadata metadata,
                                Duration stagger) throws InterruptedException {
        if (recordings.isEmpty()) {
            throw new IllegalArgumentException("no recordings to stream");
        }
        if (calls < 1) {
            throw new IllegalArgumentException("--calls must be at least 1, not " + calls);
        }
        if (stagger.isNegative()) {
            throw new IllegalArgumentException("stagger must not be negative");
        }
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(calls, r -> {
            Thread t = new Thread(r, "simulated-call-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        try {
            List<Future<CallResult>> running = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                SimulatedCall call = metadata.call(i + 1, recordings.get(i % recordings.size()));
                long due = start + stagger.toNanos() * i;
                running.add(pool.submit(() -> {
                    for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
                        Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
                    }
                    return client.stream(call, frames);
                }));
            }
            List<CallResult> results = new ArrayList<>();
            for (Future<CallResult> f : running) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    // a bug in the client, not something the server did: let the caller see it
                    throw new IllegalStateException("simulated call failed unexpectedly", e.getCause());
                }
            }
            return new SimulationReport(results, Duration.ofNanos(System.nanoTime() - start));
        } finally {
            pool.shutdownNow();
        }
    }
}
