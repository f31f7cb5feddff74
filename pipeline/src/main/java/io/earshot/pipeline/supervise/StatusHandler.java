package io.earshot.pipeline.supervise;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /health} (liveness) and {@code GET /ready} (readiness), for load balancers and
 * an orchestrator's probes. {@code /health} shows the state of every supervised component of
 * the process as JSON, 200 while none has {@link ComponentStatus.State#FAILED} and 503
 * otherwise: the process works, or should be restarted. {@code /ready} answers 200 while the
 * process takes new work and 503 while it drains on shutdown or any component is not running
 * (a consumer restarting after a broker or database outage): send it no new calls now.
 * Neither needs a token: they tell component names, states, restart counts, the class of the
 * last failure and times, and nothing of calls, agents, records, hosts or credentials
 * (failure messages stay in the log).
 */
public final class StatusHandler extends Handler.Abstract {

    /** The path it answers. */
    public static final String PATH = "/health";
    /** The readiness path. */
    public static final String READY_PATH = "/ready";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StatusBoard board;

    public StatusHandler(StatusBoard board) {
        this.board = board;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!(PATH.equals(path) || READY_PATH.equals(path))
                || !(HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod()))) {
            return false;
        }
        boolean ready = READY_PATH.equals(path);
        ObjectNode body = ready ? renderReady(board) : render(board);
        response.setStatus((ready ? board.ready() : board.healthy()) ? 200 : 503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(body)), callback);
        return true;
    }

    /** The JSON document: {@code {"status":"ok"|"failed","components":[...]}}. */
    static ObjectNode render(StatusBoard board) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = JSON.createArrayNode();
        boolean failed = false;
        for (ComponentStatus s : board.statuses()) {
            failed |= s.state() == ComponentStatus.State.FAILED;
            ObjectNode c = list.addObject();
            c.put("name", s.name());
            c.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
            c.put("restarts", s.restarts());
            c.put("lastError", s.lastError());
            c.put("lastErrorAt", time(s.lastErrorAt()));
            c.put("lastRecordAt", time(s.lastRecordAt()));
            c.put("since", time(s.since()));
        }
        out.put("status", failed ? "failed" : "ok");
        out.set("components", list);
        return out;
    }

    /**
     * The readiness document: {@code {"ready":true|false,"draining":true|false,"components":[...]}},
     * the components as in {@link #render}.
     */
    static ObjectNode renderReady(StatusBoard board) {
        ObjectNode out = JSON.createObjectNode();
        out.put("ready", board.ready());
        out.put("draining", board.draining());
        out.set("components", render(board).get("components"));
        return out;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
