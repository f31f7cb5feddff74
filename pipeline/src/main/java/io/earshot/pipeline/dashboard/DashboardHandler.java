package io.earshot.pipeline.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.pipeline.api.Authenticator;
import io.earshot.pipeline.api.Principal;
import io.earshot.pipeline.web.Access;
import io.earshot.pipeline.web.BearerAuthentication;
import io.earshot.pipeline.web.Exchange;
import io.earshot.pipeline.web.HttpError;
import io.earshot.pipeline.web.Route;
import io.earshot.pipeline.web.Router;
import io.earshot.schemas.AggregationScope;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
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
 * <p>Every {@code /api/floor} and nudge request is dispatched by the same {@link Router} as the
 * query API, so the rules are the API's: a token only in {@code Authorization: Bearer} (the pages
 * read their streams with {@code fetch()} to send it); a {@code ?token=} is refused with 400, as
 * URLs end up in proxy logs and browser history. None or an unknown one is 401, an address that
 * failed too often 429, an unknown path 404, another method 405, an unknown parameter 400, and
 * who sees what is decided by {@link Access}. A supervisor sees only the agents, calls and alerts of their teams (a call or series of
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
    private static final String FLOOR = "/api/floor/";
    /**
     * How long a stream may stay silent before it gets a keep-alive comment. Short, because a
     * write is how a client that went away is noticed (Jetty does not read from a connection
     * while its response streams), and until then it holds one of its token's streams.
     */
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final String NUDGES = "/agents/";
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
    private final StreamLimits limits;
    private final Router router;
    private final ObjectMapper json;
    private final List<StreamClient> clients = new CopyOnWriteArrayList<>();
    private final List<NudgeClient> nudgeClients = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService pusher;
    private final ScheduledExecutorService revalidator;

    public DashboardHandler(FloorState floor, Authenticator authenticator, Duration pushInterval,
            StreamLimits limits) {
        this.floor = floor;
        this.limits = limits;
        this.router = new Router("dashboard", DashboardHandler::claims, List.of(
                new Router.Bound(Route.of("GET", FLOOR + "snapshot", Set.of(), Access.READERS),
                        x -> x.sendJson(200, snapshot(x.principal()))),
                new Router.Bound(Route.of("GET", FLOOR + "stream", Set.of(), Access.READERS), this::openStream),
                new Router.Bound(Route.of("GET", FLOOR + "calls/{callId}", Set.of(), Access.READERS), this::call),
                new Router.Bound(Route.of("GET", FLOOR + "series", Set.of("scope", "key"), Access.READERS),
                        this::series),
                new Router.Bound(Route.of("POST", FLOOR + "alerts/{alertId}/ack", Set.of(), Access.READERS),
                        this::acknowledge),
                new Router.Bound(Route.of("GET", NUDGES + "{agentId}/nudges", Set.of(), Access.READERS_AND_DESKS),
                        this::openNudgeStream)),
                new BearerAuthentication(authenticator), "an AGENT token opens its agent's nudges only, not the floor");
        this.json = router.json();
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

    /** Every token-bearing route of the dashboard. */
    public List<Route> routes() {
        return router.routes();
    }

    /** The floor's data routes and the agents' nudge streams; the pages are served apart. */
    private static boolean claims(String path) {
        return path.startsWith(FLOOR) || (path.startsWith(NUDGES) && path.endsWith("/nudges"));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (STATIC.containsKey(path)) {
            // the pages hold no data: no token, and an old bookmark's ?token= is dropped by the page itself
            if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
                return false;
            }
            serveStatic(STATIC.get(path), response, callback);
            return true;
        }
        return router.handle(request, response, callback);
    }

    private void call(Exchange x) throws Exception {
        String id = x.pathVar("callId");
        x.sendJson(200, Access.requireVisible(x.principal(), floor.callView(id), v -> v.call().team(),
                "no call " + id));
    }

    private void series(Exchange x) throws Exception {
        Principal principal = x.principal();
        String scopeName = x.param("scope");
        String key = x.param("key");
        AggregationScope scope;
        try {
            scope = AggregationScope.valueOf(scopeName == null ? "AGENT" : scopeName);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "scope", "scope must be AGENT, TEAM or QUEUE");
        }
        if (key == null || key.isBlank()) {
            throw new HttpError(400, "key", "key is required");
        }
        boolean visible = switch (scope) {
            case AGENT -> principal.canSeeTeam(floor.teamOf(key).orElse(null));
            case TEAM -> principal.canSeeTeam(key);
            case QUEUE -> Access.seesAllTeams(principal);
        };
        if (!visible) {
            throw new HttpError(404, "no series for " + scope + " " + key);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scope", scope);
        body.put("key", key);
        body.put("points", floor.series(scope, key, principal::canSeeTeam));
        x.sendJson(200, body);
    }

    private void acknowledge(Exchange x) throws Exception {
        String id = x.pathVar("alertId");
        Access.requireVisible(x.principal(), floor.alerts().get(id), AlertRules.Alert::team, "no alert " + id);
        switch (floor.alerts().acknowledge(id, x.principal())) {
            case ACKNOWLEDGED, ALREADY_ACKNOWLEDGED -> {
                floor.touch();
                x.sendJson(200, floor.alerts().get(id).orElseThrow());
            }
            case FORBIDDEN -> throw new HttpError(403,
                    "acknowledging needs a supervisor of the alert's team or an admin");
            case NOT_FOUND -> throw new HttpError(404, "no alert " + id);
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
        Exchange.sendPage(response, callback, type, body);
    }

    /**
     * Admits one more stream of {@code principal}, or refuses: 503 when the server holds
     * {@code maxStreams} already, 429 when this token holds {@code maxStreamsPerToken}.
     */
    private synchronized void admit(Principal principal, Response response) throws HttpError {
        int all = clients.size() + nudgeClients.size();
        if (all >= limits.maxStreams()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "30");
            throw new HttpError(503, "the server holds its most open streams (" + limits.maxStreams()
                    + "); retry later");
        }
        long mine = clients.stream().filter(c -> c.principal.tokenId().equals(principal.tokenId())).count()
                + nudgeClients.stream().filter(c -> c.principal.tokenId().equals(principal.tokenId())).count();
        if (mine >= limits.maxStreamsPerToken()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "30");
            throw new HttpError(429, "this token holds its most open streams (" + limits.maxStreamsPerToken() + ")");
        }
    }

    private void openStream(Exchange x) throws HttpError {
        StreamClient client;
        synchronized (this) {
            admit(x.principal(), x.response());
            x.startEventStream();
            client = new StreamClient(x.principal(), x.token(), x.remoteAddress(), x.response(), x.callback());
            clients.add(client);
        }
        // a client that went away is forgotten as soon as Jetty notices, not at the next failed write
        x.request().addFailureListener(client::close);
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
            // fails closed: a store that cannot answer ends the stream rather than serve a revoked token
            if (router.authentication().stillAccepted(c.token, c.address)) {
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

    private void openNudgeStream(Exchange x) throws HttpError {
        String agent = x.pathVar("agentId");
        Access.requireNudgeStream(x.principal(), agent, floor.teamOf(agent));
        long lastSeen = lastEventId(x.request());
        NudgeClient client;
        synchronized (this) {
            admit(x.principal(), x.response());
            x.startEventStream();
            // a fresh page starts from now; a reconnecting one from what it saw last
            client = new NudgeClient(agent, x.principal(), x.token(), x.remoteAddress(), x.response(), x.callback(),
                    lastSeen >= 0 ? lastSeen : floor.lastNudgeSeq());
            nudgeClients.add(client);
        }
        x.request().addFailureListener(client::close);
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
            Boolean inFlight = markClosed();
            if (inFlight == null) {
                return;
            }
            unregister();
            if (inFlight) {
                done.failed(new IOException("stream ended: " + reason));
            } else {
                Content.Sink.write(response, true, "event: end\ndata: {\"reason\":\"" + reason + "\"}\n\n", done);
            }
        }

        void close(Throwable why) {
            if (markClosed() != null) {
                fail(why);
            }
        }

        private void fail(Throwable why) {
            unregister();
            done.failed(why);
        }

        /** On shutdown: completes the response normally when nothing is being written. */
        void shutdown() {
            Boolean inFlight = markClosed();
            if (inFlight == null) {
                return;
            }
            unregister();
            if (inFlight) {
                done.failed(new IOException("server stopping"));
            } else {
                done.succeeded();
            }
        }

        /**
         * Marks the stream closed and drops its queue; null if it was closed already, else
         * whether a write is in flight (then the response can only be aborted). No write starts
         * after this.
         */
        private synchronized Boolean markClosed() {
            if (closed) {
                return null;
            }
            closed = true;
            boolean inFlight = writing;
            writing = true;
            queue.clear();
            return inFlight;
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
