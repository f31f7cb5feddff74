package io.earshot.pipeline.simulate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client end of one WebSocket on the JDK's {@link WebSocket}: sends one message at a time
 * (the JDK allows a single outstanding send) from the call's thread, queues the server's text
 * messages, and remembers the server's close.
 */
final class SimSocket {

    /** The upgrade failed: refused with an HTTP status, or the server was unreachable. */
    static final class ConnectFailure extends Exception {
        final int httpStatus;

        ConnectFailure(int httpStatus, String message, Throwable cause) {
            super(message, cause);
            this.httpStatus = httpStatus;
        }
    }

    /** The server's close frame. */
    record ServerClose(int code, String reason) {
    }

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CompletableFuture<ServerClose> serverClose = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final Duration timeout;
    private WebSocket socket;

    private SimSocket(Duration timeout) {
        this.timeout = timeout;
    }

    static SimSocket connect(HttpClient client, URI uri, Map<String, String> headers, Duration timeout)
            throws ConnectFailure, InterruptedException {
        SimSocket s = new SimSocket(timeout);
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(timeout);
        headers.forEach(builder::header);
        try {
            s.socket = builder.buildAsync(uri, s.listener()).get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
            return s;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof WebSocketHandshakeException refused) {
                int status = refused.getResponse().statusCode();
                throw new ConnectFailure(status, "upgrade refused: HTTP " + status, refused);
            }
            throw new ConnectFailure(-1, "cannot connect to " + uri + ": " + cause, cause);
        } catch (TimeoutException e) {
            throw new ConnectFailure(-1, "no upgrade response from " + uri + " within " + timeout.multipliedBy(2), e);
        }
    }

    void sendText(String text) throws InterruptedException, SendFailure {
        await(socket.sendText(text, true));
    }

    void sendBinary(byte[] data) throws InterruptedException, SendFailure {
        await(socket.sendBinary(ByteBuffer.wrap(data), true));
    }

    /** The next server text, or null if none arrives within {@code wait}. */
    String nextText(Duration wait) throws InterruptedException {
        return texts.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The next server text if one is already queued, else null. */
    String pollText() {
        return texts.poll();
    }

    /** The server's close if it has arrived (or the connection failed: code 1006). */
    ServerClose serverClose() {
        return serverClose.getNow(null);
    }

    /**
     * Sends a normal close (unless the server closed already) and waits for the server's close
     * frame; returns it, or null if none arrived within the timeout.
     */
    ServerClose closeNormally() throws InterruptedException {
        if (!serverClose.isDone()) {
            try {
                await(socket.sendClose(WebSocket.NORMAL_CLOSURE, ""));
            } catch (SendFailure e) {
                // the server closed at the same moment; its close frame is what counts
            }
        }
        try {
            return serverClose.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            socket.abort();
            return null;
        }
    }

    void abort() {
        socket.abort();
    }

    /** A send did not complete: the socket is closed or broken. */
    static final class SendFailure extends Exception {
        SendFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void await(CompletableFuture<WebSocket> send) throws InterruptedException, SendFailure {
        try {
            send.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new SendFailure("send failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new SendFailure("send not accepted within " + timeout, e);
        } catch (CompletionException e) {
            throw new SendFailure("send failed: " + e.getMessage(), e);
        }
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    texts.add(partial.toString());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                serverClose.complete(new ServerClose(statusCode, reason));
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                serverClose.complete(new ServerClose(1006, "connection failed: " + error));
            }
        };
    }
}
