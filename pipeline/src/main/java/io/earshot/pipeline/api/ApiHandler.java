package io.earshot.pipeline.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The analysts' REST/JSON API: a Jetty core {@link Handler} for everything under
 * {@code /api/}; it declines (returns false for) every other path, so it can sit in one
 * server beside the dashboard's handler. The routes are {@link #routes()}; the OpenAPI
 * document {@code /api/openapi.json} describes exactly those (a test holds them together).
 *
 * <p>Access: every route but the OpenAPI document needs a token in {@code Authorization: Bearer
 * TOKEN}; a {@code ?token=} parameter is refused (400) on every route, as URLs end up in proxy
 * logs and browser history. Without a valid token the answer is 401 with {@code WWW-Authenticate:
 * Bearer}; an address that failed too often is refused with 429 and {@code Retry-After}
 * (see {@link CachingAuthenticator}). A failure of the server is a 500 whose body says
 * {@code internal error} and an id that the log line with the cause carries too. ADMIN may do everything; ANALYST every query
 * and export but no token administration; SUPERVISOR only the data of their teams (other
 * teams' calls are left out of lists and are 404 one by one, other teams' and their agents'
 * aggregates, series and coaching are 403; rankings hold only their teams and agents who took
 * calls for them) and no exports, which are bulk data for analysts (403). An AGENT token (an
 * agent's desk, for its nudges on the dashboard) may use no route of the API (403).
 *
 * <p>The handler blocks on the database: Jetty runs it on a pool thread.
 */
public final class ApiHandler extends Handler.Abstract {

    /** Everything this handler serves starts with this. */
    public static final String PREFIX = "/api/";

    /** The OpenAPI document served at {@code /api/openapi.json}, a class-path resource. */
    public static final String OPENAPI_RESOURCE = "/io/earshot/pipeline/api/openapi.json";

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());
    /** Everyone who reads the store: an agent's token opens only its nudges, on the dashboard. */
    private static final Set<Principal.Role> ANYONE = EnumSet.of(Principal.Role.SUPERVISOR, Principal.Role.ANALYST,
            Principal.Role.ADMIN);
    private static final Set<Principal.Role> ADMINS = EnumSet.of(Principal.Role.ADMIN);
    private static final String JSON = "application/json";
    private static final String CSV = "text/csv; charset=utf-8";
    private static final String PARQUET = "application/vnd.apache.parquet";

    /**
     * One endpoint: method, path template ({@code {name}} segments), the query parameters it
     * accepts, and who may call it (empty: no token needed).
     */
    public record Route(String method, String path, Set<String> parameters, Set<Principal.Role> roles) {
        public Route {
            parameters = Set.copyOf(parameters);
            roles = roles.isEmpty() ? Set.of() : EnumSet.copyOf(roles);
        }

        /** The names of the template's {@code {name}} segments, in order. */
        public List<String> pathParameters() {
            List<String> names = new ArrayList<>();
            for (String segment : path.split("/")) {
                if (segment.startsWith("{") && segment.endsWith("}")) {
                    names.add(segment.substring(1, segment.length() - 1));
                }
            }
            return names;
        }

        Map<String, String> match(String requestPath) {
            String[] template = path.split("/", -1);
            String[] actual = requestPath.split("/", -1);
            if (template.length != actual.length) {
                return null;
            }
            Map<String, String> vars = new HashMap<>();
            for (int i = 0; i < template.length; i++) {
                if (template[i].startsWith("{")) {
                    if (actual[i].isEmpty()) {
                        return null;
                    }
                    // Jetty's path in context is already percent-decoded
                    vars.put(template[i].substring(1, template[i].length() - 1), actual[i]);
                } else if (!template[i].equals(actual[i])) {
                    return null;
                }
            }
            return vars;
        }
    }

    @FunctionalInterface
    private interface Action {
        void run(Exchange exchange) throws Exception;
    }

    private record Bound(Route route, Action action) {
    }

    private final CallQueries queries;
    private final TokenStore tokens;
    private final Authenticator authenticator;
    private final ObjectMapper json;
    private final List<Bound> bound;

    /** An API whose tokens are the store's: the production set-up. */
    public ApiHandler(CallQueries queries, TokenStore tokens) {
        this(queries, tokens, tokens);
    }

    /** An API with another authenticator (the demo's open one). */
    public ApiHandler(CallQueries queries, TokenStore tokens, Authenticator authenticator) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.json = objectMapper();
        Set<String> range = Set.of("from", "to");
        Set<String> series = Set.of("window", "from", "to", "format");
        this.bound = List.of(
                new Bound(new Route("GET", "/api/openapi.json", Set.of(), Set.of()), this::openApi),
                new Bound(new Route("GET", "/api/calls", Set.of("agent", "team", "queue", "from", "to",
                        "minInterruptionsPer10Min", "maxInterruptionsPer10Min", "talkShare", "minDurationMs",
                        "endReason", "minScore", "maxScore", "limit", "offset", "sort", "format"), ANYONE),
                        this::calls),
                new Bound(new Route("GET", "/api/calls/{callId}", Set.of(), ANYONE), this::timeline),
                new Bound(new Route("GET", "/api/agents/{agentId}/aggregate", range, ANYONE), this::agentAggregate),
                new Bound(new Route("GET", "/api/teams/{team}/aggregate", range, ANYONE), this::teamAggregate),
                new Bound(new Route("GET", "/api/agents/{agentId}/series", series, ANYONE), this::agentSeries),
                new Bound(new Route("GET", "/api/teams/{team}/series", series, ANYONE), this::teamSeries),
                new Bound(new Route("GET", "/api/agents/{agentId}/coaching", range, ANYONE), this::agentCoaching),
                new Bound(new Route("GET", "/api/ranking", Set.of("scope", "window", "from", "to", "team", "limit"),
                        ANYONE), this::ranking),
                new Bound(new Route("GET", "/api/tokens", Set.of(), ADMINS), this::listTokens),
                new Bound(new Route("POST", "/api/tokens", Set.of(), ADMINS), this::createToken),
                new Bound(new Route("DELETE", "/api/tokens/{tokenId}", Set.of(), ADMINS), this::revokeToken));
    }

    /** Every route this handler serves. */
    public List<Route> routes() {
        return bound.stream().map(Bound::route).toList();
    }

    /** The JSON mapping of the API: instants as ISO-8601 strings, nulls kept. */
    static ObjectMapper objectMapper() {
        SimpleModule instants = new SimpleModule("instants");
        instants.addSerializer(Instant.class, ToStringSerializer.instance);
        return new ObjectMapper().registerModule(instants);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(PREFIX)) {
            return false;
        }
        Exchange exchange = new Exchange(request, response, callback);
        try {
            dispatch(path, exchange);
        } catch (ApiException e) {
            exchange.error(e);
        } catch (Error e) {
            throw e;
        } catch (Exception e) {
            // a store failure (or a bug): the caller gets a 500 with an id to quote and the log the
            // cause under that id; the body never carries the exception's text (SQL, table names)
            String id = java.util.UUID.randomUUID().toString().substring(0, 8);
            LOG.log(System.Logger.Level.ERROR, "API request " + request.getMethod() + " " + path + " failed [" + id
                    + "]", e);
            if (!exchange.committed) {
                exchange.errorId = id;
                exchange.error(new ApiException(500, null, "internal error"));
            } else {
                callback.failed(e);
            }
        }
        return true;
    }

    private void dispatch(String path, Exchange exchange) throws Exception {
        Bound match = null;
        Set<String> allowed = new TreeSet<>();
        for (Bound b : bound) {
            Map<String, String> vars = b.route.match(path);
            if (vars != null) {
                allowed.add(b.route.method);
                if (b.route.method.equals(exchange.request.getMethod())) {
                    match = b;
                    exchange.pathVars = vars;
                }
            }
        }
        if (match == null) {
            if (allowed.isEmpty()) {
                throw new ApiException(404, null, "no such endpoint: " + path);
            }
            exchange.response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed));
            throw new ApiException(405, null, exchange.request.getMethod() + " is not allowed on " + path);
        }
        exchange.query = Request.extractQueryParameters(exchange.request, StandardCharsets.UTF_8);
        if (exchange.query.get("token") != null) {
            // a token in a URL ends up in proxy logs and browser history: refuse it before looking at it
            throw ApiException.badParameter("token", "tokens are not accepted in URLs; send Authorization: Bearer TOKEN");
        }
        if (!match.route.roles.isEmpty()) {
            exchange.principal = authenticate(exchange);
            if (!match.route.roles.contains(exchange.principal.role())) {
                throw new ApiException(403, null, "a " + exchange.principal.role() + " token may not use this endpoint");
            }
        }
        for (String name : exchange.query.getNames()) {
            if (!match.route.parameters.contains(name)) {
                throw ApiException.badParameter(name, "unknown parameter");
            }
        }
        match.action.run(exchange);
    }

    private Principal authenticate(Exchange exchange) throws ApiException {
        String token = null;
        String header = exchange.request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
        }
        Optional<Principal> principal;
        try {
            principal = authenticator.authenticate(token, Request.getRemoteAddr(exchange.request));
        } catch (Authenticator.Throttled e) {
            exchange.response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
            throw new ApiException(429, null, e.getMessage());
        }
        if (principal.isEmpty()) {
            exchange.response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, token == null
                    ? "Bearer realm=\"earshot\""
                    : "Bearer realm=\"earshot\", error=\"invalid_token\"");
            throw new ApiException(401, null, token == null ? "a bearer token is required" : "invalid or revoked token");
        }
        return principal.get();
    }

    // ---- endpoints

    private void openApi(Exchange x) throws IOException {
        try (InputStream in = ApiHandler.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the class path");
            }
            x.send(200, JSON, in.readAllBytes());
        }
    }

    private void calls(Exchange x) throws Exception {
        Format format = x.format();
        Integer limit = x.intParam("limit", 1, MAX_LIMIT);
        if (limit == null && format == Format.JSON) {
            limit = DEFAULT_LIMIT;
        }
        Integer offset = x.intParam("offset", 0, Integer.MAX_VALUE);
        CallFilter.Sort sort = CallFilter.Sort.DEFAULT;
        String sortText = x.param("sort");
        if (sortText != null) {
            try {
                sort = CallFilter.Sort.parse(sortText);
            } catch (IllegalArgumentException e) {
                throw ApiException.badParameter("sort", e.getMessage() + "; one of "
                        + java.util.Arrays.stream(CallFilter.SortField.values()).map(CallFilter.SortField::apiName)
                                .collect(Collectors.joining(", ")) + ", with - for descending");
            }
        }
        Instant[] range = x.range();
        Double minScore = x.scoreParam("minScore");
        Double maxScore = x.scoreParam("maxScore");
        if (minScore != null && maxScore != null && minScore > maxScore) {
            throw ApiException.badParameter("maxScore", "must not be below minScore (" + minScore + "), was " + maxScore);
        }
        CallFilter filter = new CallFilter(x.param("agent"), x.param("team"), x.param("queue"), range[0], range[1],
                x.doubleParam("minInterruptionsPer10Min"), x.doubleParam("maxInterruptionsPer10Min"),
                x.enumParam("talkShare", CallFilter.TalkShareBand.class, Set.of("inside", "outside")),
                x.longParam("minDurationMs"), x.choice("endReason", Set.of("ended", "inactivity")), minScore, maxScore,
                visibleTeams(x.principal), sort, limit, offset == null ? 0 : offset);
        switch (format) {
            case JSON -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("calls", queries.calls(filter));
                body.put("total", queries.countCalls(filter));
                body.put("limit", filter.limit());
                body.put("offset", filter.offset());
                body.put("sort", filter.sort().toString());
                x.sendJson(200, body);
            }
            case CSV -> x.csv("calls.csv", Export.CALL_COLUMNS, sink -> queries.streamCalls(filter, sink));
            case PARQUET -> x.parquet("calls.parquet", Export.CALL_COLUMNS, sink -> queries.streamCalls(filter, sink));
        }
    }

    private void timeline(Exchange x) throws Exception {
        String callId = x.pathVars.get("callId");
        Optional<CallTimeline> timeline = queries.timeline(callId);
        if (timeline.isEmpty() || !x.principal.canSeeTeam(timeline.get().call().team())) {
            throw new ApiException(404, null, "no call " + callId);
        }
        x.sendJson(200, timeline.get());
    }

    private void agentAggregate(Exchange x) throws Exception {
        String agentId = x.pathVars.get("agentId");
        Instant[] range = x.range();
        requireAgentVisible(x.principal, agentId);
        x.sendJson(200, queries.agentAggregate(agentId, range[0], range[1], visibleTeams(x.principal)));
    }

    private void teamAggregate(Exchange x) throws Exception {
        String team = x.pathVars.get("team");
        Instant[] range = x.range();
        requireTeamVisible(x.principal, team);
        x.sendJson(200, queries.teamAggregate(team, range[0], range[1]));
    }

    private void agentSeries(Exchange x) throws Exception {
        String agentId = x.pathVars.get("agentId");
        requireAgentVisible(x.principal, agentId);
        series(x, WindowPoint.Scope.AGENT, agentId);
    }

    private void teamSeries(Exchange x) throws Exception {
        String team = x.pathVars.get("team");
        requireTeamVisible(x.principal, team);
        series(x, WindowPoint.Scope.TEAM, team);
    }

    private void series(Exchange x, WindowPoint.Scope scope, String key) throws Exception {
        Format format = x.format();
        WindowPoint.Kind kind = x.enumParam("window", WindowPoint.Kind.class, Set.of("hourly", "daily"));
        if (kind == null) {
            throw ApiException.badParameter("window", "required: HOURLY or DAILY");
        }
        Instant[] range = x.range();
        List<WindowPoint> points = queries.series(scope, key, kind, range[0], range[1], visibleTeams(x.principal));
        switch (format) {
            case JSON -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("scope", scope.name());
                body.put("key", key);
                body.put("window", kind.name());
                body.put("from", range[0]);
                body.put("to", range[1]);
                body.put("points", points);
                x.sendJson(200, body);
            }
            case CSV -> x.csv(key + "-" + kind.name().toLowerCase(Locale.ROOT) + ".csv", Export.WINDOW_COLUMNS,
                    sink -> points.forEach(sink));
            case PARQUET -> x.parquet(key + "-" + kind.name().toLowerCase(Locale.ROOT) + ".parquet",
                    Export.WINDOW_COLUMNS, sink -> points.forEach(sink));
        }
    }

    private void agentCoaching(Exchange x) throws Exception {
        String agentId = x.pathVars.get("agentId");
        Instant[] range = x.range();
        requireAgentVisible(x.principal, agentId);
        x.sendJson(200, queries.agentCoaching(agentId, range[0], range[1], visibleTeams(x.principal)));
    }

    private void ranking(Exchange x) throws Exception {
        WindowPoint.Scope scope = x.enumParam("scope", WindowPoint.Scope.class, Set.of("agent", "team"));
        scope = scope == null ? WindowPoint.Scope.AGENT : scope;
        WindowPoint.Kind kind = x.enumParam("window", WindowPoint.Kind.class, Set.of("hourly", "daily"));
        kind = kind == null ? WindowPoint.Kind.DAILY : kind;
        Instant[] range = x.range();
        String team = x.param("team");
        Integer limit = x.intParam("limit", 1, MAX_LIMIT);
        Set<String> teams = visibleTeams(x.principal);
        if (team != null) {
            requireTeamVisible(x.principal, team);
            teams = Set.of(team);
        }
        List<Ranking.Entry> entries = queries.ranking(scope, kind, range[0], range[1], teams,
                visibleTeams(x.principal), limit == null ? DEFAULT_LIMIT : limit);
        x.sendJson(200, new Ranking(scope.name(), kind.name(), range[0], range[1], team, entries));
    }

    private void listTokens(Exchange x) throws Exception {
        x.sendJson(200, Map.of("tokens", tokens.list()));
    }

    private void createToken(Exchange x) throws Exception {
        JsonNode body;
        try {
            body = json.readTree(Content.Source.asString(x.request, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw ApiException.badParameter("body", "not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw ApiException.badParameter("body", "expected {\"role\": ..., \"teams\": [...], \"agentId\": ...}");
        }
        Principal.Role role;
        try {
            role = Principal.Role.valueOf(body.path("role").asText("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("role", "one of SUPERVISOR, ANALYST, ADMIN, AGENT");
        }
        Set<String> teams = new LinkedHashSet<>();
        JsonNode teamsNode = body.path("teams");
        if (!teamsNode.isMissingNode() && !teamsNode.isNull()) {
            if (!teamsNode.isArray()) {
                throw ApiException.badParameter("teams", "expected an array of team names");
            }
            for (JsonNode t : teamsNode) {
                if (!t.isTextual()) {
                    throw ApiException.badParameter("teams", "expected an array of team names");
                }
                teams.add(t.asText());
            }
        }
        JsonNode agentNode = body.path("agentId");
        if (!agentNode.isMissingNode() && !agentNode.isNull() && !agentNode.isTextual()) {
            throw ApiException.badParameter("agentId", "expected the agent's id as a string");
        }
        String agentId = agentNode.isTextual() ? agentNode.asText() : null;
        TokenStore.IssuedToken issued;
        try {
            issued = tokens.create(role, teams, agentId);
        } catch (IllegalArgumentException e) {
            boolean agentAtFault = role == Principal.Role.AGENT ? teams.isEmpty() : agentId != null;
            throw ApiException.badParameter(agentAtFault ? "agentId" : "teams", e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tokenId", issued.info().tokenId());
        out.put("token", issued.token());
        out.put("role", issued.info().role());
        out.put("teams", issued.info().teams());
        out.put("agentId", issued.info().agentId());
        out.put("createdAt", issued.info().createdAt());
        x.sendJson(201, out);
    }

    private void revokeToken(Exchange x) throws Exception {
        String tokenId = x.pathVars.get("tokenId");
        if (!tokens.revoke(tokenId)) {
            throw new ApiException(404, null, "no token " + tokenId);
        }
        authenticator.forget(tokenId);
        x.send(204, null, null);
    }

    // ---- access

    private static Set<String> visibleTeams(Principal principal) {
        return principal.role() == Principal.Role.SUPERVISOR ? principal.teams() : null;
    }

    private static void requireTeamVisible(Principal principal, String team) throws ApiException {
        if (!principal.canSeeTeam(team)) {
            throw new ApiException(403, null, "team " + team + " is not one of this supervisor's teams");
        }
    }

    private void requireAgentVisible(Principal principal, String agentId) throws Exception {
        if (principal.role() == Principal.Role.SUPERVISOR && !queries.agentWorksFor(agentId, principal.teams())) {
            throw new ApiException(403, null, "agent " + agentId + " has taken no calls for this supervisor's teams");
        }
    }

    // ---- one request

    private enum Format { JSON, CSV, PARQUET }

    @FunctionalInterface
    private interface RowSource<T> {
        void feed(java.util.function.Consumer<T> sink) throws Exception;
    }

    private final class Exchange {
        final Request request;
        final Response response;
        final Callback callback;
        Map<String, String> pathVars = Map.of();
        Fields query;
        Principal principal;
        boolean committed;
        String errorId;

        Exchange(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        String param(String name) {
            String value = query.getValue(name);
            return value == null || value.isEmpty() ? null : value;
        }

        Integer intParam(String name, int min, int max) throws ApiException {
            String value = param(name);
            if (value == null) {
                return null;
            }
            try {
                int n = Integer.parseInt(value);
                if (n < min || n > max) {
                    throw ApiException.badParameter(name, "must be between " + min + " and " + max + ", was " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw ApiException.badParameter(name, "not an integer: " + value);
            }
        }

        Long longParam(String name) throws ApiException {
            String value = param(name);
            if (value == null) {
                return null;
            }
            try {
                long n = Long.parseLong(value);
                if (n < 0) {
                    throw ApiException.badParameter(name, "must not be negative, was " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw ApiException.badParameter(name, "not an integer: " + value);
            }
        }

        Double doubleParam(String name) throws ApiException {
            String value = param(name);
            if (value == null) {
                return null;
            }
            try {
                double d = Double.parseDouble(value);
                if (!Double.isFinite(d) || d < 0) {
                    throw ApiException.badParameter(name, "must be a non-negative number, was " + value);
                }
                return d;
            } catch (NumberFormatException e) {
                throw ApiException.badParameter(name, "not a number: " + value);
            }
        }

        /** A listening score bound: a number from 0 to 100. */
        Double scoreParam(String name) throws ApiException {
            String value = param(name);
            if (value == null) {
                return null;
            }
            double d;
            try {
                d = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw ApiException.badParameter(name, "not a number: " + value + " (a listening score from 0 to 100)");
            }
            if (!(d >= 0 && d <= 100)) {
                throw ApiException.badParameter(name, "a listening score is from 0 to 100, was " + value);
            }
            return d;
        }

        String choice(String name, Set<String> allowed) throws ApiException {
            String value = param(name);
            if (value == null) {
                return null;
            }
            String lower = value.toLowerCase(Locale.ROOT);
            if (!allowed.contains(lower)) {
                throw ApiException.badParameter(name, "one of " + new TreeSet<>(allowed) + ", was " + value);
            }
            return lower;
        }

        <E extends Enum<E>> E enumParam(String name, Class<E> type, Set<String> allowed) throws ApiException {
            String value = choice(name, allowed);
            return value == null ? null : Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        }

        Instant instantParam(String name) throws ApiException {
            String value = param(name);
            if (value == null) {
                return null;
            }
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException notInstant) {
                try {
                    return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    throw ApiException.badParameter(name, "expected an ISO-8601 instant (2026-01-05T09:00:00Z)"
                            + " or date (2026-01-05, midnight UTC), was " + value);
                }
            }
        }

        Instant[] range() throws ApiException {
            Instant from = instantParam("from");
            Instant to = instantParam("to");
            if (from != null && to != null && !to.isAfter(from)) {
                throw ApiException.badParameter("to", "must be after from");
            }
            return new Instant[] {from, to};
        }

        Format format() throws ApiException {
            String value = param("format");
            Format format;
            if (value != null) {
                try {
                    format = Format.valueOf(value.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badParameter("format", "one of json, csv, parquet, was " + value);
                }
            } else {
                String accept = Objects.requireNonNullElse(request.getHeaders().get(HttpHeader.ACCEPT), "");
                if (accept.contains("text/csv")) {
                    format = Format.CSV;
                } else if (accept.contains(PARQUET) || accept.contains("application/x-parquet")) {
                    format = Format.PARQUET;
                } else {
                    format = Format.JSON;
                }
            }
            if (format != Format.JSON && principal.role() == Principal.Role.SUPERVISOR) {
                throw new ApiException(403, "format", "exports are for analysts; a SUPERVISOR token may not export");
            }
            return format;
        }

        void sendJson(int status, Object body) throws JsonProcessingException {
            send(status, JSON, json.writeValueAsBytes(body));
        }

        void send(int status, String contentType, byte[] body) {
            committed = true;
            response.setStatus(status);
            if (contentType != null) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            }
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.write(true, body == null ? null : java.nio.ByteBuffer.wrap(body), callback);
        }

        void error(ApiException e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.getMessage());
            body.put("status", e.status());
            if (errorId != null) {
                body.put("id", errorId);
            }
            if (e.parameter() != null) {
                body.put("parameter", e.parameter());
            }
            byte[] bytes;
            try {
                bytes = json.writeValueAsBytes(body);
            } catch (JsonProcessingException impossible) {
                callback.failed(impossible);
                return;
            }
            committed = true;
            // drop what the client sent (a refused POST's body) before answering: an unread body
            // makes the server close the connection, and the client's next request on it fails
            Content.Source.consumeAll(request, Callback.from(() -> send(e.status(), JSON, bytes),
                    failure -> send(e.status(), JSON, bytes)));
        }

        <T> void csv(String filename, List<Export.Column<T>> columns, RowSource<T> rows) throws Exception {
            stream(CSV, filename, out -> {
                Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                Export.Csv<T> csv = new Export.Csv<>(columns, writer);
                try {
                    rows.feed(csv);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                writer.flush();
            });
        }

        <T> void parquet(String filename, List<Export.Column<T>> columns, RowSource<T> rows) throws Exception {
            try (Export.Parquet<T> parquet = new Export.Parquet<>(columns)) {
                rows.feed(parquet);
                stream(PARQUET, filename, parquet::finishTo);
            }
        }

        private void stream(String contentType, String filename, Body body) throws Exception {
            committed = true;
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION,
                    "attachment; filename=\"" + filename.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                body.write(out);
            }
            callback.succeeded();
        }
    }

    @FunctionalInterface
    private interface Body {
        void write(OutputStream out) throws Exception;
    }
}
