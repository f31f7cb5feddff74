package io.earshot.pipeline.cli;

import io.earshot.pipeline.analyze.RecordedCalls;
import java.io.PrintWriter;

/** A progress bar over recorded calls on standard error; plain lines when it is not a terminal. */
final class FileProgress implements RecordedCalls.Progress {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String command;
    private final int total;
    private final boolean terminal = System.console() != null;

    FileProgress(PrintWriter err, String command, int total) {
        this.err = err;
        this.command = command;
        this.total = total;
    }

    @Override
    public void started(int index, String callId) {
        int filled = WIDTH * index / Math.max(1, total);
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" : "") + " ".repeat(Math.max(0, WIDTH - filled - 1));
        print(String.format("%s [%s] %d/%d %s", command, bar, index, total, callId), false);
    }

    @Override
    public void ingestDone() {
        print(String.format("%s [%s] %d/%d speech done; computing metrics", command, "=".repeat(WIDTH), total, total), true);
    }

    private void print(String line, boolean last) {
        if (terminal) {
            err.print("\r" + line + "\u001b[K" + (last ? "\n" : ""));
        } else {
            err.println(line);
        }
        err.flush();
    }
}
