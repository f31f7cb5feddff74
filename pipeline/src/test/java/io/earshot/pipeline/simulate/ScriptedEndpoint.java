package io.earshot.pipeline.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A scripted AudioHook server endpoint for client tests (public because Jetty invokes listener
 * methods through public lookups): records each client message's type ("binary" for audio) and
 * answers per the script, (type, last text message) -> reply or null; audio frames are offered
 * to the script as "binary#N", N counting from 1.
 */
public final class ScriptedEndpoint implements Session.Listener.AutoDemanding {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BiFunction<String, JsonNode, String> script;
    private final List<String> fromClient;
    private Session session;
    private JsonNode last;
    private int frames;

    ScriptedEndpoint(BiFunction<String, JsonNode, String> script, List<String> fromClient) {
        this.script = script;
        this.fromClient = fromClient;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
    }

    @Override
    public void onWebSocketText(String text) {
        try {
            last = JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String type = last.path("type").asText();
        fromClient.add(type);
        answer(script.apply(type, last));
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        fromClient.add("binary");
        callback.succeed();
        answer(script.apply("binary#" + ++frames, last));
    }

    private void answer(String reply) {
        if (reply != null) {
            session.sendText(reply, Callback.NOOP);
        }
    }
}
