package io.earshot.ingest.protocol.audiohook;

/** What a session needs from its WebSocket: send a text frame, or close the socket. */
public interface AudioHookChannel {

    void sendText(String json);

    void sendClose(int code, String reason);
}
