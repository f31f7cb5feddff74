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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

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
 *     page sends {@code Last-Event-ID} and gets the nudges it missed.</li>
 * </ul>
 *
 * <p>Every {@code /api/floor} request needs a token in {@code Authorization: Bearer} (the pages
 * read their streams with {@code fetch()} to send it); a {@code ?token=} is refused with 400, as
 * URLs end up in proxy logs and browser history. None or an unknown one is 401, an address that
 * failed too often 429. A supervisor sees only the agents, calls and alerts of their teams (a call or series of
 * another team is 404, as if it did not exist); analysts and admins see all. Acknowledging
 * needs a supervisor of the alert's team or an admin (403 otherwise). The page itself holds no
 * data and is served without a token. An agent's team is the roster's when one names the agent
 * (see {@link FloorState}); an agent's live window is shown to a supervisor only while it holds
 * no call of another team.
 *
 * <p>Streams are bounded ({@link StreamLimits}): in all and per token, with a queue per client
 * whose overflow drops that client, non-blocking writes, and a token check every
 * {@code revalidateEvery} that ends the stream of a token no longer accepted.
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
    /**
     * How long a stream may stay silent before it gets a keep-alive comment. Short, because a
     * write is how a client that went away is noticed (Jetty does not read from a connection
     * while its response streams), and until then it holds one of its token's streams.
     */
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final String NUDGES = "/agents/";
    private static final System.Logger LOG = System.getLogger(DashboardHandler.class.getName());
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html", "/index.html", "index.html",
            "/dashboard.css", "dashboard.css", "/dashboard.js", "dashboard.js",
            "/agent.html", "agent.html", "/agent.js", "agent.js", "/stream.js", "stream.js");

    /**
     * The bounds on open event streams (floor and nudge streams together).
     *
     * @param maxStreams         open streams in all; one more is refused with 503
     * @param maxStreamsPerToken open streams of one token; one more is refused with 429
     * @param maxQueuedEvents    events waiting for one slow client; one more drops that client
     * @param revalidateEvery    how often each stream's token is checked again; a revoked token's
     *                           stream ends at the next check (plus the authenticator's cache time)
     */
    public record StreamLimits(int maxStreams, int maxStreamsPerToken, int maxQueuedEvents,
                               Duration revalidateEvery) {
        public static final StreamLimits DEFAULTS = new StreamLimits(200, 8, 32, Duration.ofSeconds(20));

        public StreamLimits {
            if (maxStreams < 1 || maxStreamsPerToken < 1 || maxQueuedEvents < 1) {
                throw new IllegalArgumentException("stream limits must be at least 1");
            }
            if (revalidateEvery == null || revalidateEvery.isNegative() || revalidateEvery.isZero()) {
                throw new IllegalArgumentException("revalidateEvery must be positive");
            }
        }
    }

    private final FloorState floor;
    private final Authenticator authenticator;
    private final StreamLimits limits;
    private final ObjectMapper json = new ObjectMapper();
    private final List<StreamClient> clients = new CopyOnWriteArrayList<>();
    private final List<NudgeClient> nudgeClients = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService pusher;
    private final ScheduledExecutorService revalidator;

    public DashboardHandler(FloorState floor, Authenticator authenticator, Duration pushInterval,
            StreamLimits limits) {
        this.floor = floor;
        this.authenticator = authenticator;
        this.limits = limits;
        this.pusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dashboard-push");
            t.setDaemon(true);
            return t;
        });
        pusher.scheduleWithFixedDelay(this::push, pushInterval.toMillis(), pushInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        // token checks may wait on the database: never on the pusher's thread
        this.revalidator = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dashboard-revalidate");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(50, Math.min(1000, limits.revalidateEvery().toMillis() / 4));
        revalidator.scheduleWithFixedDelay(this::revalidate, tick, tick, TimeUnit.MILLISECONDS);
    }

    public DashboardHandler(FloorState floor, Authenticator authenticator, Duration pushInterval) {
        this(floor, authenticator, pushInterval, StreamLimits.DEFAULTS);
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

    /** Events queued for floor-stream clients that have not taken them yet, over all clients. */
    int queuedEvents() {
        int n = 0;
        for (StreamClient c : clients) {
            n += c.queued();
        }
        return n;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        try {
            return route(request, response, callback);
        } catch (Error e) {
            throw e;
        } catch (Exception e) {
            // the caller gets an id to quote, the log the cause; never the exception's text
            String id = java.util.UUID.randomUUID().toString().substring(0, 8);
            LOG.log(System.Logger.Level.ERROR, "dashboard request " + request.getMethod() + " "
                    + Request.getPathInContext(request) + " failed [" + id + "]", e);
            if (response.isCommitted()) {
                callback.failed(e);
            } else {
                error(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "internal error", id);
            }
            return true;
        }
    }

    private boolean route(Request request, Response response, Callback callback) throws Exception {
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
        if (Request.extractQueryParameters(request).get("token") != null) {
            // a token in a URL ends up in proxy logs and browser history: refuse it unread
            error(response, callback, HttpStatus.BAD_REQUEST_400,
                    "tokens are not accepted in URLs; send Authorization: Bearer TOKEN");
            return true;
        }
        String token = token(request);
        Optional<Principal> who;
        try {
            who = authenticator.authenticate(token, Request.getRemoteAddr(request));
        } catch (Authenticator.Throttled e) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
            error(response, callback, HttpStatus.TOO_MANY_REQUESTS_429, e.getMessage());
            return true;
        }
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
                openNudgeStream(request, agent, principal, token, lastEventId(request), response, callback);
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
            openStream(request, principal, token, response, callback);
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
        body.put("points", floor.series(scope, key, principal::canSeeTeam));
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
        body.put("agents", floor.agents(principal::canSeeTeam));
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
        return null;
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
        error(response, callback, status, message, null);
    }

    private void error(Response response, Callback callback, int status, String message, String id) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Map<String, String> body = id == null ? Map.of("error", message) : Map.of("error", message, "id", id);
        try {
            response.write(true, ByteBuffer.wrap(json.writeValueAsBytes(body)), callback);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Admits one more stream of {@code principal}, or answers why not: 503 when the server holds
     * {@code maxStreams} already, 429 when this token holds {@code maxStreamsPerToken}.
     */
    private synchronized boolean admit(Principal principal, Response response, Callback callback) {
        int all = clients.size() + nudgeClients.size();
        if (all >= limits.maxStreams()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "30");
            error(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                    "the server holds its most open streams (" + limits.maxStreams() + "); retry later");
            return false;
        }
        long mine = clients.stream().filter(c -> c.principal.tokenId().equals(principal.tokenId())).count()
                + nudgeClients.stream().filter(c -> c.principal.tokenId().equals(principal.tokenId())).count();
        if (mine >= limits.maxStreamsPerToken()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "30");
            error(response, callback, HttpStatus.TOO_MANY_REQUESTS_429,
                    "this token holds its most open streams (" + limits.maxStreamsPerToken() + ")");
            return false;
        }
        return true;
    }

    private static void eventStreamHeaders(Response response) {
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Accel-Buffering", "no");
    }

    private void openStream(Request request, Principal principal, String token, Response response,
            Callback callback) {
        StreamClient client;
        synchronized (this) {
            if (!admit(principal, response, callback)) {
                return;
            }
            eventStreamHeaders(response);
            client = new StreamClient(principal, token, Request.getRemoteAddr(request), response, callback);
            clients.add(client);
        }
        // a client that went away is forgotten as soon as Jetty notices, not at the next failed write
        request.addFailureListener(client::close);
        // the first snapshot is built on the pusher's thread, so one stream's events keep their order
        pusher.execute(() -> client.send(true));
    }

    private void push() {
        for (StreamClient c : clients) {
            try {
                c.send(false);
            } catch (RuntimeException e) {
                c.close(e);
            }
        }
        for (NudgeClient c : nudgeClients) {
            try {
                c.send();
            } catch (RuntimeException e) {
                c.close(e);
            }
        }
    }

    /** Checks again the token of each stream whose last check is {@code revalidateEvery} old; ends those refused. */
    private void revalidate() {
        long now = System.nanoTime();
        List<EventStream> due = new ArrayList<>();
        for (EventStream c : clients) {
            if (now - c.validatedNanos >= limits.revalidateEvery().toNanos()) {
                due.add(c);
            }
        }
        for (EventStream c : nudgeClients) {
            if (now - c.validatedNanos >= limits.revalidateEvery().toNanos()) {
                due.add(c);
            }
        }
        for (EventStream c : due) {
            boolean valid;
            try {
                valid = authenticator.authenticate(c.token, c.address).isPresent();
            } catch (Authenticator.Throttled e) {
                valid = false;
            } catch (RuntimeException e) {
                // the store cannot say: end the stream rather than serve a token that may be revoked
                LOG.log(System.Logger.Level.WARNING, "a stream's token could not be checked again; ending it", e);
                valid = false;
            }
            if (valid) {
                c.validatedNanos = System.nanoTime();
            } else {
                c.end("token");
            }
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

    private void openNudgeStream(Request request, String agent, Principal principal, String token, long lastSeen,
            Response response, Callback callback) {
        String address = Request.getRemoteAddr(request);
        NudgeClient client;
        synchronized (this) {
            if (!admit(principal, response, callback)) {
                return;
            }
            eventStreamHeaders(response);
            // a fresh page starts from now; a reconnecting one from what it saw last
            client = new NudgeClient(agent, principal, token, address, response, callback,
                    lastSeen >= 0 ? lastSeen : floor.lastNudgeSeq());
            nudgeClients.add(client);
        }
        request.addFailureListener(client::close);
        pusher.execute(client::ready);
    }

    /**
     * One open server-sent-event stream. Events are queued and written one at a time with
     * Jetty's asynchronous writes, so the pusher never waits for a socket: a client that reads
     * slowly only lets its own queue grow, and one whose queue passes {@code maxQueuedEvents} is
     * dropped. Events are built on the pusher's thread only, so each stream keeps their order.
     */
    private abstract class EventStream {
        final Principal principal;
        final String token;
        final String address;
        final Response response;
        final Callback done;
        final ArrayDeque<String> queue = new ArrayDeque<>();
        volatile long validatedNanos = System.nanoTime();
        volatile long lastWriteNanos = System.nanoTime();
        private boolean writing;
        private boolean closed;

        EventStream(Principal principal, String token, String address, Response response, Callback done) {
            this.principal = principal;
            this.token = token;
            this.address = address;
            this.response = response;
            this.done = done;
        }

        abstract void unregister();

        synchronized int queued() {
            return queue.size();
        }

        /** Queues {@code event}; never blocks. */
        void offer(String event) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                lastWriteNanos = System.nanoTime();
                if (writing) {
                    if (queue.size() >= limits.maxQueuedEvents()) {
                        closed = true;
                    } else {
                        queue.addLast(event);
                        return;
                    }
                } else {
                    writing = true;
                }
            }
            if (closed) {
                fail(new IOException("the client reads too slowly: more than " + limits.maxQueuedEvents()
                        + " events waiting"));
            } else {
                write(event);
            }
        }

        private void write(String event) {
            Content.Sink.write(response, false, event, Callback.from(this::written, this::close));
        }

        private void written() {
            String next;
            synchronized (this) {
                next = queue.pollFirst();
                if (next == null || closed) {
                    writing = false;
                    return;
                }
            }
            write(next);
        }

        /**
         * Ends the stream: with a last {@code end} event naming {@code reason} when nothing is
         * being written, by aborting the response otherwise.
         */
        void end(String reason) {
            boolean abort;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                abort = writing;
                writing = true;
                queue.clear();
            }
            unregister();
            if (abort) {
                done.failed(new IOException("stream ended: " + reason));
            } else {
                Content.Sink.write(response, true, "event: end\ndata: {\"reason\":\"" + reason + "\"}\n\n", done);
            }
        }

        void close(Throwable why) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                queue.clear();
            }
            fail(why);
        }

        private void fail(Throwable why) {
            unregister();
            done.failed(why);
        }

        /** On shutdown: completes the response normally when nothing is being written. */
        void shutdown() {
            boolean abort;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                abort = writing;
                queue.clear();
            }
            unregister();
            if (abort) {
                done.failed(new IOException("server stopping"));
            } else {
                done.succeeded();
            }
        }

        boolean open() {
            synchronized (this) {
                return !closed;
            }
        }

        boolean heartbeatDue() {
            return System.nanoTime() - lastWriteNanos > HEARTBEAT.toNanos();
        }
    }

    /** One agent's open nudge stream. */
    private final class NudgeClient extends EventStream {
        final String agent;
        long sentSeq;

        NudgeClient(String agent, Principal principal, String token, String address, Response response,
                Callback done, long sentSeq) {
            super(principal, token, address, response, done);
            this.agent = agent;
            this.sentSeq = sentSeq;
        }

        @Override
        void unregister() {
            nudgeClients.remove(this);
        }

        void ready() {
            Map<String, Object> hello = new LinkedHashMap<>();
            hello.put("agentId", agent);
            // an agent's own token is not shown its team: it sees no team's data
            hello.put("team", principal.role() == Principal.Role.AGENT ? null
                    : floor.teamOf(agent).filter(principal::canSeeTeam).orElse(null));
            try {
                offer("event: ready\ndata: " + json.writeValueAsString(hello) + "\n\n");
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            send();
        }

        void send() {
            if (!open()) {
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
                offer(events.toString());
            } else if (heartbeatDue()) {
                offer(": keep-alive\n\n");
            }
        }
    }

    /** One open floor stream. */
    private final class StreamClient extends EventStream {
        long sentVersion = -1;

        StreamClient(Principal principal, String token, String address, Response response, Callback done) {
            super(principal, token, address, response, done);
        }

        @Override
        void unregister() {
            clients.remove(this);
        }

        void send(boolean force) {
            if (!open()) {
                return;
            }
            long v = floor.version();
            if (force || v != sentVersion) {
                String event;
                try {
                    event = "event: snapshot\ndata: " + json.writeValueAsString(snapshot(principal)) + "\n\n";
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
                sentVersion = v;
                offer(event);
            } else if (heartbeatDue()) {
                offer(": keep-alive\n\n");
            }
        }
    }

    @Override
    public void close() {
        pusher.shutdownNow();
        revalidator.shutdownNow();
        for (StreamClient c : clients) {
            c.shutdown();
        }
        for (NudgeClient c : nudgeClients) {
            c.shutdown();
        }
    }

    @Override
    protected void doStop() throws Exception {
        close();
        super.doStop();
    }
}
