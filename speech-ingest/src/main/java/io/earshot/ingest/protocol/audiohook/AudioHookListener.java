package io.earshot.ingest.protocol.audiohook;

import io.earshot.ingest.protocol.audiohook.Messages.MediaFormat;
import io.earshot.ingest.protocol.audiohook.Messages.Open;
import java.time.Duration;

/** What a session reports to the rest of the ingest pipeline; called on the socket's thread. */
public interface AudioHookListener {

    /**
     * The open transaction completed with {@code media}, the format chosen from those the
     * client offered; {@code open} has the conversation id, the participant and the
     * integration's {@code customConfig} (where a deployment puts agent, team and queue).
     */
    void onOpen(Open open, MediaFormat media);

    /** Audio arrived while the session was active. */
    void onAudio(AudioBlock block);

    /** The client paused the stream. */
    void onPaused();

    /** The client resumed; {@code discarded} of audio was skipped over while paused. */
    void onResumed(Duration discarded);

    /** The close transaction completed; reason as the client gave it ("end", "error", ...). */
    void onClosed(String reason);

    /**
     * Something went wrong: a protocol violation this server detected and signalled with
     * {@code disconnect} (code -1), or an {@code error} message the client sent (its code).
     */
    void onError(int code, String message);

    /**
     * The server ended the session ({@code disconnect} reason {@code completed}), e.g. at the
     * call-duration bound; no audio follows, and the client's close transaction comes after.
     */
    default void onEndedByServer(String reason) {
    }
}
