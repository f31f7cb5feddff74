package io.earshot.pipeline.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.pipeline.web.Access;
import io.earshot.pipeline.web.BearerAuthentication;
import io.earshot.pipeline.web.Exchange;
import io.earshot.pipeline.web.HttpError;
import io.earshot.pipeline.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The analysts' REST/JSON API: a Jetty core {@link Handler} for everything under
 * {@code /api/}; it declines (returns false for) every other path, so it can sit in one
 * server beside the dashboard's handler. The routes are {@link #routes()}; the OpenAPI
 * document {@code /api/openapi.json} describes exactly those (a test holds them together).
 *
 * <p>Access: the dashboard's rules, as both are dispatched by one {@link Router} (token only in
 * {@code Authorization: Bearer TOKEN}, 400 for one in the URL, 401, 429, 404, 405, 403, 400 for an
 * unknown parameter, 500 with an id) and scoped by one {@link Access}. Every route but the
 * OpenAPI document needs a token. ADMIN may do everything; ANALYST every query
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

    private static final String JSON = "application/json";
    private static final String CSV = "text/csv; charset=utf-8";
    private static final String PARQUET = "application/vnd.apache.parquet";

    /**
     * One endpoint: method, path template ({@code {name}} segments), the query parameters it
     * accepts, and who may call it (empty: no token needed).
     */
    public record Route(String method, String path, Set<String> parameters, Set<Principal.Role> roles)
            implements io.earshot.pipeline.web.Route {
        public Route {
            parameters = Set.copyOf(parameters);
            roles = roles.isEmpty() ? Set.of() : EnumSet.copyOf(roles);
        }
    }

    private final CallQueries queries;
    private final TokenStore tokens;
    private final BearerAuthentication authentication;
    private final Router router;
    private final List<Route> routes;

    /** An API whose tokens are the store's: the production set-up. */
    public ApiHandler(CallQueries queries, TokenStore tokens) {
        this(queries, tokens, tokens);
    }

    /** An API with another authenticator (the demo's open one). */
    public ApiHandler(CallQueries queries, TokenStore tokens, Authenticator authenticator) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.authentication = new BearerAuthentication(authenticator);
        Set<String> range = Set.of("from", "to");
        Set<String> series = Set.of("window", "from", "to", "format");
        List<Router.Bound> bound = List.of(
                bind("GET", "/api/openapi.json", Set.of(), Access.PUBLIC, this::openApi),
                bind("GET", "/api/calls", Set.of("agent", "team", "queue", "from", "to", "minInterruptionsPer10Min",
                        "maxInterruptionsPer10Min", "talkShare", "minDurationMs", "endReason", "minScore",
                        "maxScore", "limit", "offset", "sort", "format"), Access.READERS, this::calls),
                bind("GET", "/api/calls/{callId}", Set.of(), Access.READERS, this::timeline),
                bind("GET", "/api/agents/{agentId}/aggregate", range, Access.READERS, this::agentAggregate),
                bind("GET", "/api/teams/{team}/aggregate", range, Access.READERS, this::teamAggregate),
                bind("GET", "/api/agents/{agentId}/series", series, Access.READERS, this::agentSeries),
                bind("GET", "/api/teams/{team}/series", series, Access.READERS, this::teamSeries),
                bind("GET", "/api/agents/{agentId}/coaching", range, Access.READERS, this::agentCoaching),
                bind("GET", "/api/ranking", Set.of("scope", "window", "from", "to", "team", "limit"), Access.READERS,
                        this::ranking),
                bind("GET", "/api/tokens", Set.of(), Access.ADMINS, this::listTokens),
                bind("POST", "/api/tokens", Set.of(), Access.ADMINS, this::createToken),
                bind("DELETE", "/api/tokens/{tokenId}", Set.of(), Access.ADMINS, this::revokeToken));
        this.router = new Router("API", path -> path.startsWith(PREFIX), bound, authentication, null);
        this.routes = bound.stream().map(b -> (Route) b.route()).toList();
    }

    private static Router.Bound bind(String method, String path, Set<String> parameters, Set<Principal.Role> roles,
            Router.Action action) {
        return new Router.Bound(new Route(method, path, parameters, roles), action);
    }

    /** Every route this handler serves. */
    public List<Route> routes() {
        return routes;
    }

    /** The JSON mapping of the API: instants as ISO-8601 strings, nulls kept. */
    static ObjectMapper objectMapper() {
        return Router.objectMapper();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        return router.handle(request, response, callback);
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
        Format format = format(x);
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
                throw HttpError.badParameter("sort", e.getMessage() + "; one of "
                        + java.util.Arrays.stream(CallFilter.SortField.values()).map(CallFilter.SortField::apiName)
                                .collect(Collectors.joining(", ")) + ", with - for descending");
            }
        }
        Instant[] range = x.range();
        Double minScore = x.scoreParam("minScore");
        Double maxScore = x.scoreParam("maxScore");
        if (minScore != null && maxScore != null && minScore > maxScore) {
            throw HttpError.badParameter("maxScore", "must not be below minScore (" + minScore + "), was " + maxScore);
        }
        CallFilter filter = new CallFilter(x.param("agent"), x.param("team"), x.param("queue"), range[0], range[1],
                x.doubleParam("minInterruptionsPer10Min"), x.doubleParam("maxInterruptionsPer10Min"),
                x.enumParam("talkShare", CallFilter.TalkShareBand.class, Set.of("inside", "outside")),
                x.longParam("minDurationMs"), x.choice("endReason", Set.of("ended", "inactivity")), minScore, maxScore,
                Access.teamFilter(x.principal()), sort, limit, offset == null ? 0 : offset);
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
            case CSV -> csv(x, "calls.csv", Export.CALL_COLUMNS, sink -> queries.streamCalls(filter, sink));
            case PARQUET -> parquet(x, "calls.parquet", Export.CALL_COLUMNS, sink -> queries.streamCalls(filter, sink));
        }
    }

    private void timeline(Exchange x) throws Exception {
        String callId = x.pathVar("callId");
        x.sendJson(200, Access.requireVisible(x.principal(), queries.timeline(callId), t -> t.call().team(),
                "no call " + callId));
    }

    private void agentAggregate(Exchange x) throws Exception {
        String agentId = x.pathVar("agentId");
        Instant[] range = x.range();
        Access.requireAgent(x.principal(), agentId, queries::agentWorksFor);
        x.sendJson(200, queries.agentAggregate(agentId, range[0], range[1], Access.teamFilter(x.principal())));
    }

    private void teamAggregate(Exchange x) throws Exception {
        String team = x.pathVar("team");
        Instant[] range = x.range();
        Access.requireTeam(x.principal(), team);
        x.sendJson(200, queries.teamAggregate(team, range[0], range[1]));
    }

    private void agentSeries(Exchange x) throws Exception {
        String agentId = x.pathVar("agentId");
        Access.requireAgent(x.principal(), agentId, queries::agentWorksFor);
        series(x, WindowPoint.Scope.AGENT, agentId);
    }

    private void teamSeries(Exchange x) throws Exception {
        String team = x.pathVar("team");
        Access.requireTeam(x.principal(), team);
        series(x, WindowPoint.Scope.TEAM, team);
    }

    private void series(Exchange x, WindowPoint.Scope scope, String key) throws Exception {
        Format format = format(x);
        WindowPoint.Kind kind = x.enumParam("window", WindowPoint.Kind.class, Set.of("hourly", "daily"));
        if (kind == null) {
            throw HttpError.badParameter("window", "required: HOURLY or DAILY");
        }
        Instant[] range = x.range();
        List<WindowPoint> points = queries.series(scope, key, kind, range[0], range[1],
                Access.teamFilter(x.principal()));
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
            case CSV -> csv(x, key + "-" + kind.name().toLowerCase(Locale.ROOT) + ".csv", Export.WINDOW_COLUMNS,
                    sink -> points.forEach(sink));
            case PARQUET -> parquet(x, key + "-" + kind.name().toLowerCase(Locale.ROOT) + ".parquet",
                    Export.WINDOW_COLUMNS, sink -> points.forEach(sink));
        }
    }

    private void agentCoaching(Exchange x) throws Exception {
        String agentId = x.pathVar("agentId");
        Instant[] range = x.range();
        Access.requireAgent(x.principal(), agentId, queries::agentWorksFor);
        x.sendJson(200, queries.agentCoaching(agentId, range[0], range[1], Access.teamFilter(x.principal())));
    }

    private void ranking(Exchange x) throws Exception {
        WindowPoint.Scope scope = x.enumParam("scope", WindowPoint.Scope.class, Set.of("agent", "team"));
        scope = scope == null ? WindowPoint.Scope.AGENT : scope;
        WindowPoint.Kind kind = x.enumParam("window", WindowPoint.Kind.class, Set.of("hourly", "daily"));
        kind = kind == null ? WindowPoint.Kind.DAILY : kind;
        Instant[] range = x.range();
        String team = x.param("team");
        Integer limit = x.intParam("limit", 1, MAX_LIMIT);
        Set<String> teams = Access.teamFilter(x.principal());
        if (team != null) {
            Access.requireTeam(x.principal(), team);
            teams = Set.of(team);
        }
        List<Ranking.Entry> entries = queries.ranking(scope, kind, range[0], range[1], teams,
                Access.teamFilter(x.principal()), limit == null ? DEFAULT_LIMIT : limit);
        x.sendJson(200, new Ranking(scope.name(), kind.name(), range[0], range[1], team, entries));
    }

    private void listTokens(Exchange x) throws Exception {
        x.sendJson(200, Map.of("tokens", tokens.list()));
    }

    private void createToken(Exchange x) throws Exception {
        JsonNode body;
        try {
            body = router.json().readTree(Content.Source.asString(x.request(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw HttpError.badParameter("body", "not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw HttpError.badParameter("body", "expected {\"role\": ..., \"teams\": [...], \"agentId\": ...}");
        }
        Principal.Role role;
        try {
            role = Principal.Role.valueOf(body.path("role").asText("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw HttpError.badParameter("role", "one of SUPERVISOR, ANALYST, ADMIN, AGENT");
        }
        Set<String> teams = new LinkedHashSet<>();
        JsonNode teamsNode = body.path("teams");
        if (!teamsNode.isMissingNode() && !teamsNode.isNull()) {
            if (!teamsNode.isArray()) {
                throw HttpError.badParameter("teams", "expected an array of team names");
            }
            for (JsonNode t : teamsNode) {
                if (!t.isTextual()) {
                    throw HttpError.badParameter("teams", "expected an array of team names");
                }
                teams.add(t.asText());
            }
        }
        JsonNode agentNode = body.path("agentId");
        if (!agentNode.isMissingNode() && !agentNode.isNull() && !agentNode.isTextual()) {
            throw HttpError.badParameter("agentId", "expected the agent's id as a string");
        }
        String agentId = agentNode.isTextual() ? agentNode.asText() : null;
        TokenStore.IssuedToken issued;
        try {
            issued = tokens.create(role, teams, agentId);
        } catch (IllegalArgumentException e) {
            boolean agentAtFault = role == Principal.Role.AGENT ? teams.isEmpty() : agentId != null;
            throw HttpError.badParameter(agentAtFault ? "agentId" : "teams", e.getMessage());
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
        String tokenId = x.pathVar("tokenId");
        if (!tokens.revoke(tokenId)) {
            throw new HttpError(404, "no token " + tokenId);
        }
        authentication.forget(tokenId);
        x.send(204, null, null);
    }

    // ---- exports

    private enum Format { JSON, CSV, PARQUET }

    @FunctionalInterface
    private interface RowSource<T> {
        void feed(java.util.function.Consumer<T> sink) throws Exception;
    }

    /** The answer's format: {@code format=}, else the {@code Accept} header; an export needs an analyst. */
    private static Format format(Exchange x) throws HttpError {
        String value = x.param("format");
        Format format;
        if (value != null) {
            try {
                format = Format.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw HttpError.badParameter("format", "one of json, csv, parquet, was " + value);
            }
        } else {
            String accept = Objects.requireNonNullElse(x.request().getHeaders().get(HttpHeader.ACCEPT), "");
            if (accept.contains("text/csv")) {
                format = Format.CSV;
            } else if (accept.contains(PARQUET) || accept.contains("application/x-parquet")) {
                format = Format.PARQUET;
            } else {
                format = Format.JSON;
            }
        }
        if (format != Format.JSON) {
            Access.requireExport(x.principal());
        }
        return format;
    }

    private static <T> void csv(Exchange x, String filename, List<Export.Column<T>> columns, RowSource<T> rows)
            throws Exception {
        x.attachment(CSV, filename, out -> {
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

    private static <T> void parquet(Exchange x, String filename, List<Export.Column<T>> columns, RowSource<T> rows)
            throws Exception {
        try (Export.Parquet<T> parquet = new Export.Parquet<>(columns)) {
            rows.feed(parquet);
            x.attachment(PARQUET, filename, parquet::finishTo);
        }
    }
}
