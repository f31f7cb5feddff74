package io.earshot.pipeline.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.pipeline.api.Authenticator;
import io.earshot.pipeline.api.Principal;
import io.earshot.schemas.AggregationScope;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;

/**
 * The live floor dashboard as a Jetty core {@link Handler}: the single page ({@code /},
 * static HTML, CSS and vanilla JS from the classpath) and its JSON endpoints under
 * {@code /api/floor/}. Requests for other paths are declined (the handler returns false), so
 * the query API's handlers can sit next to it in one server.
 *
 * <ul>
 * <li>{@code GET /api/floor/snapshot}: agents, live calls and alerts the caller may see;</li>
 * <li>{@code GET /api/floor/stream}: server-sent events, a {@code snapshot} event on connect
 *     and again whenever the floor changed, at most every {@code pushInterval};</li>
 * <li>{@code GET /api/floor/calls/{id}}: one call with its two-lane timeline and transcript;</li>
 * <li>{@code GET /api/floor/series?scope=AGENT|TEAM&key=...}: the live-window series;</li>
 * <li>{@code POST /api/floor/alerts/{id}/ack}: acknowledge an alert;</li>
 * <li>{@code GET /agents/{agentId}/nudges}: server-sent events for the agent's own page
 *     ({@code /agent.html?agent=ID}): a {@code ready} event on connect, then a {@code nudge}
 *     event (id: the nudge's sequence number) for each nudge raised after it; a reconnecting
 *     EventSource sends {@code Last-Event-ID} and gets the nudges it missed.</li>
 * </ul>
 *
 * <p>Every {@code /api/floor} request needs a token ({@code Authorization: Bearer} or
 * {@code ?token=}, which EventSource needs as it cannot set headers): none or an unknown one is
 * 401. A supervisor sees only the agents, calls and alerts of their teams (a call or series of
 * another team is 404, as if it did not exist); analysts and admins see all. Acknowledging
 * needs a supervisor of the alert's team or an admin (403 otherwise). The page itself holds no
 * data and is served without a token.
 *
 * <p>The nudge stream is what an agent's desk opens, with an AGENT token of that agent: it
 * opens that agent's stream and nothing else (another agent's stream, and every
 * {@code /api/floor} request, is 403). A supervisor token of the agent's team, or an analyst or
 * admin token, opens it too, and then each nudge is sent only if the caller may see the team of
 * its call; for those tokens a stream of an agent not seen yet opens (the agent's first call has
 * not started) and carries nothing the caller may not see, and a stream of another team's agent
 * is 404, as if the agent did not exist.
 */
public final class DashboardHandler extends Handler.Abstract implements AutoCloseable {

    public static final Duration DEFAULT_PUSH_INTERVAL = Duration.ofMillis(250);
    private static final String API = "/api/floor/";
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final String NUDGES = "/agents/";
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html", "/index.html", "index.html",
            "/dashboard.css", "dashboard.css", "/dashboard.js", "dashboard.js",
            "/agent.html", "agent.html", "/agent.js", "agent.js");

    private final FloorState floor;
    private final Authenticator authenticator;
    private final ObjectMapper json = new ObjectMapper();
    private final List<StreamClient> clients = new CopyOnWriteArrayList<>();
    private final List<NudgeClient> nudgeClients = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService pusher;

    public DashboardHandler(FloorState floor, Authenticator authenticator, Duration pushInterval) {
        this.floor = floor;
        this.authenticator = authenticator;
        this.pusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dashboard-push");
            t.setDaemon(true);
            return t;
        });
        pusher.scheduleWithFixedDelay(this::push, pushInterval.toMillis(), pushInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public DashboardHandler(FloorState floor, Authenticator authenticator) {
        this(floor, authenticator, DEFAULT_PUSH_INTERVAL);
    }

    /** Clients connected to the stream now. */
    public int streamClients() {
        return clients.size();
    }

    /** Agent pages connected to their nudge streams now. */
    public int nudgeClients() {
        return nudgeClients.size();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (STATIC.containsKey(path)) {
            if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
                return false;
            }
            serveStatic(STATIC.get(path), response, callback);
            return true;
        }
        boolean nudgeStream = path.startsWith(NUDGES) && path.endsWith("/nudges")
                && path.length() > NUDGES.length() + "/nudges".length();
        if (!path.startsWith(API) && !nudgeStream) {
            return false;
        }
        Optional<Principal> who = authenticator.authenticate(token(request));
        if (who.isEmpty()) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"earshot\"");
            error(response, callback, HttpStatus.UNAUTHORIZED_401, "a valid token is required");
            return true;
        }
        Principal principal = who.get();
        if (nudgeStream) {
            String agent = path.substring(NUDGES.length(), path.length() - "/nudges".length());
            if (!HttpMethod.GET.is(method) || agent.contains("/")) {
                error(response, callback, HttpStatus.NOT_FOUND_404, "no such endpoint: " + method + " " + path);
            } else if (principal.role() == Principal.Role.AGENT && !principal.agentId().equals(agent)) {
                error(response, callback, HttpStatus.FORBIDDEN_403,
                        "this token opens the nudges of agent " + principal.agentId() + " only");
            } else if (principal.role() != Principal.Role.AGENT
                    && !floor.teamOf(agent).map(principal::canSeeTeam).orElse(true)) {
                error(response, callback, HttpStatus.NOT_FOUND_404, "no agent " + agent);
            } else {
                openNudgeStream(agent, principal, lastEventId(request), response, callback);
            }
            return true;
        }
        if (principal.role() == Principal.Role.AGENT) {
            error(response, callback, HttpStatus.FORBIDDEN_403,
                    "an AGENT token opens its agent's nudges only, not the floor");
            return true;
        }
        String rest = path.substring(API.length());
        boolean get = HttpMethod.GET.is(method);
        if (get && rest.equals("snapshot")) {
            sendJson(response, callback, snapshot(principal));
        } else if (get && rest.equals("stream")) {
            openStream(principal, response, callback);
        } else if (get && rest.startsWith("calls/") && rest.length() > "calls/".length()) {
            String id = rest.substring("calls/".length());
            Optional<FloorState.CallView> view = floor.callView(id)
                    .filter(v -> principal.canSeeTeam(v.call().team()));
            if (view.isPresent()) {
                sendJson(response, callback, view.get());
            } else {
                error(response, callback, HttpStatus.NOT_FOUND_404, "no call " + id);
            }
        } else if (get && rest.equals("series")) {
            series(request, principal, response, callback);
        } else if (HttpMethod.POST.is(method) && rest.startsWith("alerts/") && rest.endsWith("/ack")) {
            String id = rest.substring("alerts/".length(), rest.length() - "/ack".length());
            acknowledge(id, principal, response, callback);
        } else {
            error(response, callback, HttpStatus.NOT_FOUND_404, "no such endpoint: " + method + " " + path);
        }
        return true;
    }

    private void series(Request request, Principal principal, Response response, Callback callback)
            throws JsonProcessingException {
        var params = Request.extractQueryParameters(request);
        String scopeName = params.getValue("scope");
        String key = params.getValue("key");
        AggregationScope scope;
        try {
            scope = AggregationScope.valueOf(scopeName == null ? "AGENT" : scopeName);
        } catch (IllegalArgumentException e) {
            error(response, callback, HttpStatus.BAD_REQUEST_400, "scope must be AGENT, TEAM or QUEUE");
            return;
        }
        if (key == null || key.isBlank()) {
            error(response, callback, HttpStatus.BAD_REQUEST_400, "key is required");
            return;
        }
        boolean visible = switch (scope) {
            case AGENT -> principal.canSeeTeam(floor.teamOf(key).orElse(null));
            case TEAM -> principal.canSeeTeam(key);
            case QUEUE -> principal.role() != Principal.Role.SUPERVISOR;
        };
        if (!visible) {
            error(response, callback, HttpStatus.NOT_FOUND_404, "no series for " + scope + " " + key);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scope", scope);
        body.put("key", key);
        body.put("points", floor.series(scope, key));
        sendJson(response, callback, body);
    }

    private void acknowledge(String id, Principal principal, Response response, Callback callback)
            throws JsonProcessingException {
        Optional<AlertRules.Alert> alert = floor.alerts().get(id);
        if (alert.isEmpty() || !principal.canSeeTeam(alert.get().team())) {
            error(response, callback, HttpStatus.NOT_FOUND_404, "no alert " + id);
            return;
        }
        switch (floor.alerts().acknowledge(id, principal)) {
            case ACKNOWLEDGED, ALREADY_ACKNOWLEDGED -> {
                floor.touch();
                sendJson(response, callback, floor.alerts().get(id).orElseThrow());
            }
            case FORBIDDEN -> error(response, callback, HttpStatus.FORBIDDEN_403,
                    "acknowledging needs a supervisor of the alert's team or an admin");
            case NOT_FOUND -> error(response, callback, HttpStatus.NOT_FOUND_404, "no alert " + id);
        }
    }

    /** What {@code principal} may see of the floor now. */
    Map<String, Object> snapshot(Principal principal) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", floor.version());
        body.put("role", principal.role());
        body.put("agents", floor.agents().stream().filter(a -> principal.canSeeTeam(a.team())).toList());
        body.put("calls", floor.calls().stream().filter(c -> principal.canSeeTeam(c.team())).toList());
        body.put("alerts", floor.alerts().alerts().stream().filter(a -> principal.canSeeTeam(a.team())).toList());
        body.put("thresholds", floor.alerts().thresholds());
        body.put("nudges", floor.nudgeSettings());
        return body;
    }

    private static String token(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        String query = Request.extractQueryParameters(request).getValue("token");
        return query == null || query.isBlank() ? null : query;
    }

    private void serveStatic(String name, Response response, Callback callback) throws IOException {
        byte[] body;
        try (InputStream in = DashboardHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard resource missing from the build: " + name);
            }
            body = in.readAllBytes();
        }
        String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private void sendJson(Response response, Callback callback, Object body) throws JsonProcessingException {
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(json.writeValueAsBytes(body)), callback);
    }

    private void error(Response response, Callback callback, int status, String message) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        try {
            response.write(true, ByteBuffer.wrap(json.writeValueAsBytes(Map.of("error", message))), callback);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void openStream(Principal principal, Response response, Callback callback) {
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Accel-Buffering", "no");
        StreamClient client = new StreamClient(principal, response, callback);
        clients.add(client);
        // the first snapshot goes out on the pusher's thread, so writes to one stream never race
        pusher.execute(() -> client.send(true));
    }

    private void push() {
        for (StreamClient c : clients) {
            c.send(false);
        }
        for (NudgeClient c : nudgeClients) {
            c.send();
        }
    }

    private static long lastEventId(Request request) {
        String id = request.getHeaders().get("Last-Event-ID");
        if (id == null || id.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void openNudgeStream(String agent, Principal principal, long lastSeen, Response response,
            Callback callback) {
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Accel-Buffering", "no");
        // a fresh page starts from now; a reconnecting one from what it saw last
        NudgeClient client = new NudgeClient(agent, principal, response, callback,
                lastSeen >= 0 ? lastSeen : floor.lastNudgeSeq());
        nudgeClients.add(client);
        pusher.execute(client::ready);
    }

    /**
     * Writes one server-sent event and waits up to 5 s for it to leave; returns why it failed
     * (the stream is then to be closed), or null.
     */
    private static Throwable writeEvent(Response response, String event) {
        FutureCallback written = new FutureCallback();
        Content.Sink.write(response, false, event, written);
        try {
            written.get(5, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /** One agent's open nudge stream; written only from the pusher's thread. */
    private final class NudgeClient {
        final String agent;
        final Principal principal;
        final Response response;
        final Callback done;
        long sentSeq;
        long lastWriteNanos = System.nanoTime();

        NudgeClient(String agent, Principal principal, Response response, Callback done, long sentSeq) {
            this.agent = agent;
            this.principal = principal;
            this.response = response;
            this.done = done;
            this.sentSeq = sentSeq;
        }

        void ready() {
            Map<String, Object> hello = new LinkedHashMap<>();
            hello.put("agentId", agent);
            // an agent's own token is not shown its team: it sees no team's data
            hello.put("team", principal.role() == Principal.Role.AGENT ? null : floor.teamOf(agent).orElse(null));
            try {
                write("event: ready\ndata: " + json.writeValueAsString(hello) + "\n\n");
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            send();
        }

        void send() {
            if (!nudgeClients.contains(this)) {
                return;
            }
            StringBuilder events = new StringBuilder();
            for (NudgeRules.Nudge n : floor.nudgesAfter(agent, sentSeq)) {
                sentSeq = n.seq();
                if (principal.canSeeNudgesOf(agent, n.team())) {
                    try {
                        events.append("id: ").append(n.seq()).append("\nevent: nudge\ndata: ")
                                .append(json.writeValueAsString(n)).append("\n\n");
                    } catch (JsonProcessingException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            if (!events.isEmpty()) {
                write(events.toString());
            } else if (System.nanoTime() - lastWriteNanos > HEARTBEAT.toNanos()) {
                write(": keep-alive\n\n");
            }
        }

        private void write(String event) {
            Throwable failed = writeEvent(response, event);
            if (failed == null) {
                lastWriteNanos = System.nanoTime();
            } else {
                close(failed);
            }
        }

        void close(Throwable why) {
            if (nudgeClients.remove(this)) {
                done.failed(why);
            }
        }
    }

    /** One open event stream; written only from the pusher's thread. */
    private final class StreamClient {
        final Principal principal;
        final Response response;
        final Callback done;
        long sentVersion = -1;
        long lastWriteNanos = System.nanoTime();

        StreamClient(Principal principal, Response response, Callback done) {
            this.principal = principal;
            this.response = response;
            this.done = done;
        }

        void send(boolean force) {
            if (!clients.contains(this)) {
                return;
            }
            long v = floor.version();
            String event;
            if (force || v != sentVersion) {
                try {
                    event = "event: snapshot\ndata: " + json.writeValueAsString(snapshot(principal)) + "\n\n";
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
                sentVersion = v;
            } else if (System.nanoTime() - lastWriteNanos > HEARTBEAT.toNanos()) {
                event = ": keep-alive\n\n";
            } else {
                return;
            }
            Throwable failed = writeEvent(response, event);
            if (failed == null) {
                lastWriteNanos = System.nanoTime();
            } else {
                close(failed);
            }
        }

        void close(Throwable why) {
            if (clients.remove(this)) {
                done.failed(why);
            }
        }
    }

    @Override
    public void close() {
        pusher.shutdownNow();
        for (StreamClient c : clients) {
            if (clients.remove(c)) {
                c.done.succeeded();
            }
        }
        for (NudgeClient c : nudgeClients) {
            if (nudgeClients.remove(c)) {
                c.done.succeeded();
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        close();
        super.doStop();
    }
}
