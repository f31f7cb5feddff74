package io.earshot.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.listening.Behaviour;
import io.earshot.analysis.listening.CallListening;
import io.earshot.analysis.listening.CoachingNote;
import io.earshot.analysis.listening.ListeningScore;
import io.earshot.analysis.listening.ScoreComponent;
import io.earshot.analysis.listening.ToneEvent;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.ConversationEvents;
import io.earshot.pipeline.analyze.RecordedCalls;
import io.earshot.pipeline.config.MetricSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code earshot analyze}: recorded calls through speech ingest and the same Flink job the
 * live pipeline runs (bounded input, local MiniCluster), one summary per call.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Compute the listening metrics of recorded calls with the Flink job, one summary per call.")
final class AnalyzeCommand implements Callable<Integer> {

    enum Format { json, table }

    @Parameters(arity = "1..*", paramLabel = "CALL",
            description = "A stereo WAV per call, or AGENT.wav,CUSTOMER.wav for a call recorded as two mono files.")
    List<String> calls;

    @Option(names = "--agent-id", defaultValue = "unassigned", description = "Agent of the calls (default: ${DEFAULT-VALUE}).")
    String agentId;

    @Option(names = "--team", defaultValue = "unassigned", description = "Team of the agent (default: ${DEFAULT-VALUE}).")
    String team;

    @Option(names = "--queue", defaultValue = "unassigned", description = "Queue of the calls (default: ${DEFAULT-VALUE}).")
    String queue;

    @Option(names = "--call-id", description = "Call id (one call only; default: the file name).")
    String callId;

    @Option(names = "--format", defaultValue = "table", paramLabel = "json|table",
            description = "json: one summary per line (JSON Lines); table: readable (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the summaries here instead of standard output.")
    Path out;

    @Option(names = "--windows", paramLabel = "FILE",
            description = "Also write the hourly and daily agent, team and queue windows here (JSON Lines).")
    Path windows;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Metric thresholds and listening analysis (metrics: and listening: sections, or a serve"
                    + " configuration file); default: the documented defaults.")
    Path settings;

    @Mixin
    CallInputOptions input;

    @Mixin
    ModelOptions modelOptions;

    @Spec
    CommandSpec spec;

    @Mixin
    TranscriptOption transcript;

    @Mixin
    RedactionOption redaction;

    @Override
    public Integer call() throws Exception {
        if (callId != null && calls.size() > 1) {
            throw new IllegalArgumentException("--call-id names one call, but " + calls.size() + " were given");
        }
        PrintWriter err = spec.commandLine().getErr();
        List<List<Path>> audio = calls.stream().map(AnalyzeCommand::files).toList();
        List<String> ids = callId != null ? List.of(callId) : RecordedCalls.ids(audio.stream().map(f -> f.get(0)).toList());
        List<RecordedCalls.Call> run = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            run.add(new RecordedCalls.Call(ids.get(i), audio.get(i)));
        }
        RecordedCalls.Options options = options(input, modelOptions, transcript.off, agentId, team, queue);
        if (settings != null) {
            options = new RecordedCalls.Options(options.agentChannel(), options.model(), options.asrThreads(),
                    options.agentId(), options.team(), options.queue(),
                    MetricSettings.apply(JobConfig.DEFAULTS, settings));
        }
        options = options.withRedaction(redaction.rules(settings, err));
        RecordedCalls.Outcome outcome = RecordedCalls.run(run, options,
                new FileProgress(err, "analyze", calls.size()));
        for (String message : outcome.failed().values()) {
            err.println("earshot: " + message);
        }
        if (!outcome.summaries().isEmpty()) {
            write(outcome.summaries());
            if (windows != null) {
                writeWindows(outcome.windows());
            }
        }
        for (var d : outcome.deadLetters()) {
            err.println("earshot: " + d.callId() + ": event not used (" + d.reason() + ")");
        }
        err.flush();
        return outcome.failed().isEmpty() ? 0 : EarshotCli.EXIT_BAD_INPUT;
    }

    /** A call's files: {@code CALL.wav}, or {@code AGENT.wav,CUSTOMER.wav}. */
    static List<Path> files(String call) {
        return Arrays.stream(call.split(",")).map(Path::of).toList();
    }

    /** The recorded-call options of the commands that run the metric job over files. */
    static RecordedCalls.Options options(CallInputOptions input, ModelOptions model, boolean noTranscript, String agentId,
            String team, String queue) {
        return new RecordedCalls.Options(input.agentChannel(), noTranscript ? null : model.resolve(), input.asrThreads,
                agentId, team, queue);
    }

    private void write(List<CallSummary> summaries) throws IOException {
        StringBuilder text = new StringBuilder();
        ObjectMapper json = new ObjectMapper();
        for (CallSummary s : summaries) {
            if (format == Format.json) {
                text.append(json.writeValueAsString(SummaryJson.of(s))).append('\n');
            } else {
                text.append(table(s)).append('\n');
            }
        }
        if (out != null) {
            Files.writeString(out, text, StandardCharsets.UTF_8);
        } else {
            PrintWriter o = spec.commandLine().getOut();
            o.print(text);
            o.flush();
        }
    }

    private void writeWindows(List<io.earshot.analysis.windows.WindowMetrics> metrics) throws IOException {
        StringBuilder text = new StringBuilder();
        metrics.stream()
                .sorted(java.util.Comparator.comparing((io.earshot.analysis.windows.WindowMetrics w) -> w.window())
                        .thenComparing(w -> w.scope()).thenComparing(w -> w.key()).thenComparingLong(w -> w.windowStartMs()))
                .forEach(w -> text.append(SummaryJson.window(w)).append('\n'));
        Files.writeString(windows, text, StandardCharsets.UTF_8);
    }

    static String table(CallSummary s) {
        CallMetrics m = s.metrics();
        StringBuilder b = new StringBuilder();
        b.append(String.format("call %s  agent %s  %.1f s%n", s.callId(), s.agentId(), m.durationMs() / 1000.0));
        b.append(String.format("  talk        agent %.1f s, customer %.1f s, agent share %s (band %.2f-%.2f)%n",
                m.agentTalkMs() / 1000.0, m.customerTalkMs() / 1000.0, pct(m.agentTalkShare()),
                m.config().talkShareLow(), m.config().talkShareHigh()));
        b.append(String.format("  overlap     %.1f s   silence %.1f s   dead air %d%n", m.overlapMs() / 1000.0,
                m.silenceMs() / 1000.0, m.deadAir().size()));
        b.append(String.format("  pauses      respect %s of %d customer-to-agent transfers, mean gap %s ms, intrusions %d%n",
                pct(m.pauseRespectRate()), m.responseGaps().size(), num(m.meanResponseGapMs()), m.pauseIntrusions().size()));
        long byAgent = m.interruptions().stream().filter(i -> i.by() == io.earshot.schemas.Role.AGENT).count();
        b.append(String.format("  interrupts  agent %d (%.1f per 10 min), customer %d%n", byAgent,
                m.agentInterruptionsPer10Min(), m.interruptions().size() - byAgent));
        for (ConversationEvents.Interruption i : m.interruptions()) {
            b.append(String.format("    %s %s interrupts %s, overlap %.1f s, %s: \"%s\" over \"%s\"%n",
                    SegmentsCommand.clock(i.startMs()), i.by(), i.of(), i.overlapMs() / 1000.0,
                    i.successful() ? "took the floor" : "did not take the floor", i.byWords(), i.ofWords()));
        }
        b.append(String.format("  backchannels %d%n", m.backchannels().size()));
        for (ConversationEvents.Backchannel bc : m.backchannels()) {
            b.append(String.format("    %s %s \"%s\"%n", SegmentsCommand.clock(bc.startMs()), bc.by(), bc.text()));
        }
        b.append(String.format("  longest     agent monologue %.1f s, customer story %.1f s%n",
                m.longestAgentMonologueMs() / 1000.0, m.longestCustomerStoryMs() / 1000.0));
        if (s.listening() != null) {
            listening(b, s.listening());
        }
        if (s.redaction() != null) {
            b.append(String.format("  redaction   %s%n", s.redaction().equals("off")
                    ? "OFF: the words are as heard" : s.redaction()));
        }
        return b.toString();
    }

    /** Behaviours, tone, the listening score with its components, and the coaching notes. */
    private static void listening(StringBuilder b, CallListening l) {
        b.append(String.format("  behaviours  %d%n", l.behaviours().size()));
        for (Behaviour h : l.behaviours()) {
            b.append(String.format("    %s %s %s \"%s\"%n", SegmentsCommand.clock(h.startMs()), h.by(),
                    h.kind().label(), h.text()));
        }
        b.append(String.format("  tone        agent %s wpm, customer %s wpm; events %d%n",
                num(l.tone().agent().speakingRateWpm()), num(l.tone().customer().speakingRateWpm()),
                l.tone().events().size()));
        for (ToneEvent e : l.tone().events()) {
            StringBuilder values = new StringBuilder();
            e.values().forEach((k, v) -> values.append(values.length() == 0 ? "" : ", ")
                    .append(k).append(' ').append(String.format("%.1f", v)));
            b.append(String.format("    %s-%s %s %s (%s)%n", SegmentsCommand.clock(e.startMs()),
                    SegmentsCommand.clock(e.endMs()), e.by(), e.kind().label(), values));
        }
        ListeningScore score = l.score();
        b.append(String.format("  listening   score %s%n", Double.isNaN(score.score()) ? "-"
                : String.format("%.1f", score.score())));
        for (ScoreComponent c : score.components()) {
            b.append(String.format("    %-15s %8s  %5.2f of %5.2f%s%n", c.name(),
                    Double.isNaN(c.value()) ? "-" : String.format("%.2f", c.value()), c.points(), c.weight(),
                    c.counted() ? "" : "  (not judged)"));
        }
        b.append(String.format("  coaching    %d%n", l.coaching().size()));
        for (CoachingNote n : l.coaching()) {
            b.append(String.format("    %s %s%n", SegmentsCommand.clock(n.atMs()), n.message()));
        }
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.0f%%", 100 * v);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.0f", v);
    }
}
