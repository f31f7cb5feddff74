package io.earshot.pipeline.cli;

import io.earshot.ingest.audio.AgentChannel;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.events.SegmentItem;
import io.earshot.analysis.evaluation.CallScore;
import io.earshot.analysis.evaluation.CallTruth;
import io.earshot.analysis.evaluation.EvaluationReport;
import io.earshot.analysis.evaluation.Rttm;
import io.earshot.analysis.evaluation.Scorer;
import io.earshot.analysis.evaluation.TruthEvents;
import io.earshot.analysis.evaluation.TruthEventsJson;
import io.earshot.analysis.evaluation.TruthSegment;
import io.earshot.analysis.metrics.Spurt;
import io.earshot.pipeline.analyze.RecordedCalls;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code earshot evaluate}: recorded calls with a labeller's truth through exactly what
 * {@code analyze} runs ({@link RecordedCalls}), scored by {@link Scorer}: voice activity,
 * talk time, overlap, interruptions, backchannels and response gaps, per call and in total.
 *
 * <p>A call is its audio (a stereo WAV, or agent and customer mono WAVs), an RTTM file of who
 * spoke when and optionally a JSON file of its turn-taking events. In {@code --call} and
 * manifest lines the parts are told apart by extension: {@code .rttm} is the speech,
 * {@code .json} the events, the rest audio; a part {@code agent=left} or {@code agent=right}
 * names that call's agent channel, overriding {@code --agent-channel}. A call whose truth or audio cannot be read is
 * reported on its own line naming the file, the others are still scored, and the exit code is
 * then {@link EarshotCli#EXIT_BAD_INPUT}.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score Earshot's listening metrics on your own labelled calls (RTTM speech, optional JSON events).")
final class EvaluateCommand implements Callable<Integer> {

    enum Format { json, table }

    @Parameters(arity = "0..1", paramLabel = "CALL",
            description = "One call: a stereo WAV, or AGENT.wav,CUSTOMER.wav; its truth with --rttm and --events.")
    String call;

    @Option(names = "--rttm", paramLabel = "FILE", description = "Who spoke when in CALL (RTTM; speakers agent and customer).")
    Path rttm;

    @Option(names = "--events", paramLabel = "FILE",
            description = "CALL's labelled interruptions, backchannels and response gaps (JSON).")
    Path events;

    @Option(names = "--call", paramLabel = "AUDIO[,AUDIO],RTTM[,EVENTS]",
            description = "A call with its truth; repeat for more calls. Parts are told apart by extension (.rttm, .json).")
    List<String> callSpecs = new ArrayList<>();

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "Calls with their truth, one per line as in --call; paths relative to the manifest's folder; # comments.")
    Path manifest;

    @Option(names = "--speaker", paramLabel = "NAME=agent|customer",
            description = "An RTTM speaker name and its role; repeat for each (default: the names agent and customer).")
    List<String> speakers = new ArrayList<>();

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
            description = "table: readable; json: one JSON document (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report here instead of standard output.")
    Path out;

    @Mixin
    TranscriptOption transcript;

    @Mixin
    RedactionOption redaction;

    @Mixin
    CallInputOptions input;

    @Mixin
    ModelOptions modelOptions;

    @Spec
    CommandSpec spec;

    /** A call and where its truth is. */
    /** @param agentChannel the call's own {@code agent=left|right}, or null for {@code --agent-channel} */
    record LabelledCall(String given, List<Path> audio, Path rttm, Path events, AgentChannel agentChannel) {
    }

    @Override
    public Integer call() throws Exception {
        List<LabelledCall> calls = labelledCalls();
        Map<String, Role> speakerRoles = speakerRoles();
        PrintWriter err = spec.commandLine().getErr();
        List<String> ids = RecordedCalls.ids(calls.stream().map(c -> c.audio().get(0)).toList());
        // the truth first: a call whose labels cannot be read is not worth transcribing
        Map<String, List<TruthSegment>> speech = new LinkedHashMap<>();
        Map<String, TruthEvents> labelledEvents = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<RecordedCalls.Call> run = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            LabelledCall c = calls.get(i);
            try {
                speech.put(ids.get(i), Rttm.read(c.rttm(), speakerRoles));
                labelledEvents.put(ids.get(i), c.events() == null ? null : TruthEventsJson.read(c.events()));
                run.add(new RecordedCalls.Call(ids.get(i), c.audio(), c.agentChannel()));
            } catch (IOException e) {
                problems.add(e.getMessage());
            }
        }
        List<CallScore> scores = new ArrayList<>();
        if (!run.isEmpty()) {
            RecordedCalls.Outcome outcome = RecordedCalls.run(run,
                    AnalyzeCommand.options(input, modelOptions, transcript.off, "unassigned", "unassigned", "unassigned")
                            .withRedaction(redaction.rules(null, spec.commandLine().getErr())),
                    new FileProgress(err, "evaluate", run.size()));
            problems.addAll(outcome.failed().values());
            for (CallSummary s : outcome.summaries()) {
                CallTruth truth = new CallTruth(s.callId(), s.metrics().durationMs(), speech.get(s.callId()),
                        labelledEvents.get(s.callId()));
                scores.add(Scorer.score(truth, spurts(s.segments()), s.metrics()));
            }
            for (RecordedCalls.Call c : run) {
                boolean scored = outcome.summaries().stream().anyMatch(s -> s.callId().equals(c.id()));
                if (!scored && !outcome.failed().containsKey(c.id())) {
                    problems.add(c.id() + ": the metric job gave no summary for this call");
                }
            }
            for (var d : outcome.deadLetters()) {
                problems.add(d.callId() + ": event not used (" + d.reason() + ")");
            }
        }
        for (String problem : problems) {
            err.println("earshot: " + problem);
        }
        err.flush();
        if (!scores.isEmpty()) {
            write(format == Format.json ? EvaluationReport.json(scores, Scorer.Tolerances.DEFAULTS)
                    : EvaluationReport.table(scores));
        }
        return problems.isEmpty() ? 0 : EarshotCli.EXIT_BAD_INPUT;
    }

    /** The calls of the command line, checked for shape (files are read later, per call). */
    List<LabelledCall> labelledCalls() throws IOException {
        List<LabelledCall> calls = new ArrayList<>();
        if (call != null) {
            if (rttm == null) {
                throw new IllegalArgumentException("CALL " + call + " needs its truth: --rttm FILE");
            }
            calls.add(new LabelledCall(call, AnalyzeCommand.files(call), rttm, events, null));
        } else if (rttm != null || events != null) {
            throw new IllegalArgumentException((rttm != null ? "--rttm" : "--events")
                    + " belongs to a CALL given before the options; for several calls use --call AUDIO,RTTM[,EVENTS]");
        }
        for (String s : callSpecs) {
            calls.add(parse(s, "--call " + s, null));
        }
        if (manifest != null) {
            calls.addAll(manifest(manifest));
        }
        if (calls.isEmpty()) {
            throw new IllegalArgumentException("no call to evaluate: give CALL.wav --rttm FILE, --call AUDIO,RTTM[,EVENTS] "
                    + "or --manifest FILE");
        }
        return calls;
    }

    private static List<LabelledCall> manifest(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
        Path base = file.toAbsolutePath().getParent();
        List<LabelledCall> calls = new ArrayList<>();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                calls.add(parse(line, file + ":" + n, base));
            }
        }
        if (calls.isEmpty()) {
            throw new IOException(file + ": lists no call (one AUDIO[,AUDIO],RTTM[,EVENTS] per line)");
        }
        return calls;
    }

    /** {@code AUDIO[,AUDIO],RTTM[,EVENTS]}, parts told apart by extension; relative paths against {@code base}. */
    private static LabelledCall parse(String given, String where, Path base) {
        List<Path> audio = new ArrayList<>();
        Path rttmFile = null;
        Path eventsFile = null;
        AgentChannel channel = null;
        for (String part : given.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                throw new IllegalArgumentException(where + ": an empty part; expected AUDIO[,AUDIO],RTTM[,EVENTS]");
            }
            if (p.startsWith("agent=")) {
                try {
                    channel = AgentChannel.parse(p.substring("agent=".length()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + p + ": expected agent=left or agent=right");
                }
                continue;
            }
            Path path = base == null ? Path.of(p) : base.resolve(p);
            String lower = p.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".rttm")) {
                if (rttmFile != null) {
                    throw new IllegalArgumentException(where + ": two RTTM files; a call has one");
                }
                rttmFile = path;
            } else if (lower.endsWith(".json")) {
                if (eventsFile != null) {
                    throw new IllegalArgumentException(where + ": two events files; a call has one");
                }
                eventsFile = path;
            } else {
                audio.add(path);
            }
        }
        if (rttmFile == null) {
            throw new IllegalArgumentException(where + ": no .rttm file; expected AUDIO[,AUDIO],RTTM[,EVENTS]");
        }
        if (audio.isEmpty() || audio.size() > 2) {
            throw new IllegalArgumentException(where + ": " + audio.size() + " audio files; give one stereo WAV, "
                    + "or the agent's and the customer's mono WAVs");
        }
        return new LabelledCall(given, audio, rttmFile, eventsFile, channel);
    }

    private Map<String, Role> speakerRoles() {
        Map<String, Role> roles = new LinkedHashMap<>();
        for (String s : speakers) {
            int eq = s.lastIndexOf('=');
            String role = eq < 0 ? "" : s.substring(eq + 1).strip().toUpperCase(Locale.ROOT);
            if (eq <= 0 || !(role.equals("AGENT") || role.equals("CUSTOMER"))) {
                throw new IllegalArgumentException("--speaker " + s + ": expected NAME=agent or NAME=customer");
            }
            roles.put(s.substring(0, eq).strip(), Role.valueOf(role));
        }
        return roles;
    }

    private static List<Spurt> spurts(List<SegmentItem> segments) {
        return segments.stream().map(s -> new Spurt(s.role(), s.startMs(), s.endMs())).toList();
    }

    private void write(String text) throws IOException {
        if (out != null) {
            Files.writeString(out, text, StandardCharsets.UTF_8);
        } else {
            PrintWriter o = spec.commandLine().getOut();
            o.print(text);
            o.flush();
        }
    }
}
