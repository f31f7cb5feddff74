package io.earshot.pipeline.analyze;

import io.earshot.ingest.asr.VoskTranscriber;
import io.earshot.ingest.audio.AgentChannel;
import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.redact.RedactionConfig;
import io.earshot.ingest.redact.Redactor;
import io.earshot.analysis.windows.WindowMetrics;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.DeadLetter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Recorded calls through speech ingest, then the metric job over the bounded input on a local
 * Flink cluster ({@link BoundedCallMetrics}): the one path {@code analyze} and
 * {@code evaluate} share, so an evaluation scores exactly what {@code analyze} reports.
 *
 * <p>A call whose audio cannot be used is reported in {@link Outcome#failed()} and the other
 * calls still run. The recogniser is opened only once a call's audio has loaded, so a run in
 * which every file is bad never loads the model.
 */
public final class RecordedCalls {

    /**
     * A call to run: its id, and a stereo WAV or the agent's then the customer's mono WAV.
     *
     * @param agentChannel the stereo channel of the agent for this call, or {@code null} for
     *                     the options' one
     */
    public record Call(String id, List<Path> audio, AgentChannel agentChannel) {
        public Call {
            Objects.requireNonNull(id, "id");
            audio = List.copyOf(audio);
        }

        public Call(String id, List<Path> audio) {
            this(id, audio, null);
        }
    }

    /**
     * How the calls are read and labelled.
     *
     * @param model the Vosk model directory, or {@code null} to skip transcription (voice
     *              activity and tone only; the metric rules then judge every spurt unheard)
     * @param job   the metric job's rules (thresholds, listening analysis)
     * @param redaction what is removed from transcripts before anything else sees them; null
     *              means everything ({@link RedactionConfig#DEFAULTS})
     */
    public record Options(AgentChannel agentChannel, Path model, int asrThreads, String agentId, String team,
            String queue, JobConfig job, RedactionConfig redaction) {

        public Options {
            job = job == null ? JobConfig.DEFAULTS : job;
            redaction = redaction == null ? RedactionConfig.DEFAULTS : redaction;
        }

        /** Options that redact everything. */
        public Options(AgentChannel agentChannel, Path model, int asrThreads, String agentId, String team,
                String queue, JobConfig job) {
            this(agentChannel, model, asrThreads, agentId, team, queue, job, null);
        }

        /** These options with other redaction rules. */
        public Options withRedaction(RedactionConfig rules) {
            return new Options(agentChannel, model, asrThreads, agentId, team, queue, job, rules);
        }

        /** Options with the default rules. */
        public Options(AgentChannel agentChannel, Path model, int asrThreads, String agentId, String team,
                String queue) {
            this(agentChannel, model, asrThreads, agentId, team, queue, JobConfig.DEFAULTS);
        }
    }

    /** Told as each call's speech ingest starts, and when all are done. */
    public interface Progress {
        void started(int index, String callId);

        void ingestDone();
    }

    /**
     * @param summaries   the final summaries, in the order the calls were given
     * @param failed      call id to the problem with its audio, for calls that did not run
     */
    public record Outcome(List<CallSummary> summaries, List<WindowMetrics> windows, List<DeadLetter> deadLetters,
            Map<String, String> failed) {
    }

    private RecordedCalls() {
    }

    public static Outcome run(List<Call> calls, Options options, Progress progress) throws Exception {
        Set<String> ids = new HashSet<>();
        for (Call c : calls) {
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("two calls are named " + c.id() + "; call ids must differ");
            }
        }
        Map<String, String> failed = new LinkedHashMap<>();
        List<CallEvent> events = new ArrayList<>();
        List<String> order = new ArrayList<>();
        ExecutorService pool = null;
        VoskTranscriber asr = null;
        try {
            CallAnalyzer analyzer = null;
            for (int i = 0; i < calls.size(); i++) {
                Call call = calls.get(i);
                progress.started(i, call.id());
                CallAudio audio;
                long modified;
                try {
                    audio = CallAudio.load(call.audio(),
                            call.agentChannel() != null ? call.agentChannel() : options.agentChannel());
                    modified = Files.getLastModifiedTime(call.audio().get(0)).toMillis();
                } catch (IOException e) {
                    // a bad file is reported and skipped: the other calls still run
                    failed.put(call.id(), e.getMessage());
                    continue;
                }
                if (analyzer == null) {
                    if (options.model() == null) {
                        analyzer = new CallAnalyzer(VadConfig.DEFAULTS, null, Runnable::run);
                    } else {
                        pool = Executors.newFixedThreadPool(options.asrThreads());
                        asr = VoskTranscriber.open(options.model(), options.asrThreads());
                        analyzer = new CallAnalyzer(VadConfig.DEFAULTS, asr, pool, new Redactor(options.redaction()));
                    }
                }
                CallAnalysis analysis = analyzer.analyze(audio);
                // a recording's media start: its file time minus its length
                events.addAll(CallEvents.of(call.id(), options.agentId(), options.team(), options.queue(),
                        modified - analysis.durationMs(), analysis));
                order.add(call.id());
            }
            progress.ingestDone();
        } finally {
            if (asr != null) {
                asr.close();
            }
            if (pool != null) {
                pool.shutdown();
            }
        }
        if (events.isEmpty()) {
            return new Outcome(List.of(), List.of(), List.of(), failed);
        }
        BoundedCallMetrics.Result result = BoundedCallMetrics.run(events, options.job(),
                Math.min(2, Runtime.getRuntime().availableProcessors()));
        List<CallSummary> summaries = new ArrayList<>(result.summaries());
        summaries.sort(Comparator.comparingInt(s -> order.indexOf(s.callId())));
        return new Outcome(summaries, result.windows(), result.deadLetters(), failed);
    }

    /**
     * Call ids from the calls' first files: the file name without its extension, or the folder
     * name for {@code call.wav} and {@code agent.wav} (the fixtures' layout,
     * {@code calls/<call>/call.wav}); a name already taken gets {@code -2}, {@code -3}, ...
     */
    public static List<String> ids(List<Path> firstFiles) {
        List<String> ids = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Path file : firstFiles) {
            String base = baseName(file);
            String id = base;
            for (int n = 2; !taken.add(id); n++) {
                id = base + "-" + n;
            }
            ids.add(id);
        }
        return ids;
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        Path parent = file.toAbsolutePath().getParent();
        if (("call".equals(base) || "agent".equals(base)) && parent != null && parent.getFileName() != null) {
            return parent.getFileName().toString();
        }
        return base;
    }
}
