package io.earshot.ingest.protocol;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A WebSocket client for the endpoint ITs, on the JDK's {@link java.net.http.WebSocket}: collects
 * the server's text messages and the close code it sent.
 */
public final class TestSocket implements AutoCloseable {

    /** How long a test waits for anything from the server. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> serverClose = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile String serverCloseReason;
    private WebSocket socket;

    private TestSocket() {
    }

    /** Opens a socket; fails (with a WebSocketHandshakeException cause) when the upgrade is refused. */
    public static CompletableFuture<TestSocket> connect(HttpClient client, URI uri, Map<String, String> headers) {
        TestSocket t = new TestSocket();
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(builder::header);
        return builder.buildAsync(uri, t.listener()).thenApply(ws -> {
            t.socket = ws;
            return t;
        });
    }

    public void sendText(String text) {
        socket.sendText(text, true).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    public void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** The next text message from the server; fails the test if none arrives in time. */
    public String nextText() throws InterruptedException {
        String text = texts.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (text == null) {
            throw new AssertionError("no message from the server within " + TIMEOUT);
        }
        return text;
    }

    /** The close code the server sent; fails the test if it did not close in time. */
    public int awaitServerClose() {
        return serverClose.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** The reason of the server's close frame, after {@link #awaitServerClose()}. */
    public String serverCloseReason() {
        awaitServerClose();
        return serverCloseReason;
    }

    /**
     * Sends a normal close and waits for the server's close (its reply, or its own earlier close).
     * The send may fail with "output closed" when the client is concurrently answering a close the
     * server started; the server's close frame is what counts, so that failure is not an error.
     */
    @Override
    public void close() {
        if (!serverClose.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").handle((ws, error) -> null)
                    .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        }
        awaitServerClose();
    }

    /** Drops the connection without a close handshake, as a crashed client or a cut line would. */
    public void abort() {
        socket.abort();
    }

    /** Waits until the condition holds; fails the test if it does not within the timeout. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
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
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                serverCloseReason = reason;
                serverClose.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                serverClose.completeExceptionally(error);
            }
        };
    }
}
