package io.earshot.pipeline.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The one dispatcher of the query API and the dashboard: each side's handler claims its paths
 * and hands them here with its routes, so both answer by the same rules in the same order:
 *
 * <ol>
 * <li>a query string that cannot be decoded is 400;</li>
 * <li>a {@code token} query parameter is 400, before anything is looked up (URLs end up in
 *     proxy logs and browser history), even on a path no route serves;</li>
 * <li>a public route ({@link Access#PUBLIC}) is served without a token;</li>
 * <li>every other request needs a token ({@link BearerAuthentication}: 401, 429), before the
 *     caller learns whether the path or method exists;</li>
 * <li>no route for the path is 404, another method 405 with {@code Allow};</li>
 * <li>a role the route does not admit is 403 ({@link Access#requireRole});</li>
 * <li>an unknown query parameter is 400;</li>
 * <li>the route's action answers; an {@link HttpError} it throws is its error body, any other
 *     exception a 500 {@code {"error": "internal error", "id": ...}} whose id the log line with
 *     the cause carries too.</li>
 * </ol>
 */
public final class Router {

    /** What a route does with its request. */
    @FunctionalInterface
    public interface Action {
        void run(Exchange exchange) throws Exception;
    }

    /** A route and its action. */
    public record Bound(Route route, Action action) {
        public Bound {
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(action, "action");
        }
    }

    private final String name;
    private final Predicate<String> claims;
    private final List<Bound> bound;
    private final BearerAuthentication authentication;
    private final String agentRefusal;
    private final ObjectMapper json;
    private final System.Logger log;

    /**
     * @param name           what the log calls this side ({@code API}, {@code dashboard})
     * @param claims         the paths this side answers (every other is left to the next handler)
     * @param bound          its routes
     * @param authentication how callers are resolved
     * @param agentRefusal   the 403 message for an AGENT token on a route not open to it (saying
     *                       what it does open), or null for the general one
     */
    public Router(String name, Predicate<String> claims, List<Bound> bound, BearerAuthentication authentication,
            String agentRefusal) {
        this.name = Objects.requireNonNull(name, "name");
        this.claims = Objects.requireNonNull(claims, "claims");
        this.bound = List.copyOf(bound);
        this.authentication = Objects.requireNonNull(authentication, "authentication");
        this.agentRefusal = agentRefusal;
        this.json = objectMapper();
        this.log = System.getLogger(Router.class.getName() + "." + name);
    }

    /** The JSON mapping of every answer: instants as ISO-8601 strings, nulls kept. */
    public static ObjectMapper objectMapper() {
        SimpleModule instants = new SimpleModule("instants");
        instants.addSerializer(Instant.class, ToStringSerializer.instance);
        return new ObjectMapper().registerModule(instants);
    }

    /** The mapper answers are written with (event streams write theirs with it too). */
    public ObjectMapper json() {
        return json;
    }

    /** Every route, in order. */
    public List<Route> routes() {
        return bound.stream().map(Bound::route).toList();
    }

    /** How this side resolves callers. */
    public BearerAuthentication authentication() {
        return authentication;
    }

    /** Answers {@code request} if its path is claimed; false otherwise. */
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!claims.test(path)) {
            return false;
        }
        Exchange exchange = new Exchange(request, response, callback, json);
        try {
            dispatch(path, exchange);
        } catch (HttpError e) {
            exchange.error(e);
        } catch (Error e) {
            throw e;
        } catch (Exception e) {
            // a store failure (or a bug): the caller gets a 500 with an id to quote and the log the
            // cause under that id; the body never carries the exception's text (SQL, table names)
            String id = UUID.randomUUID().toString().substring(0, 8);
            log.log(System.Logger.Level.ERROR, name + " request " + request.getMethod() + " " + path + " failed ["
                    + id + "]", e);
            if (!exchange.committed()) {
                exchange.errorId = id;
                exchange.error(new HttpError(500, "internal error"));
            } else {
                callback.failed(e);
            }
        }
        return true;
    }

    private void dispatch(String path, Exchange exchange) throws Exception {
        try {
            exchange.query = Request.extractQueryParameters(exchange.request(), StandardCharsets.UTF_8);
        } catch (RuntimeException malformed) {
            // a broken percent-encoding is the client's mistake, not a failure of the server
            throw new HttpError(400, "the query string is not valid URL encoding");
        }
        if (exchange.query.get("token") != null) {
            // a token in a URL ends up in proxy logs and browser history: refuse it before looking at it
            throw HttpError.badParameter("token", "tokens are not accepted in URLs; send Authorization: Bearer TOKEN");
        }
        String method = exchange.request().getMethod();
        Bound match = null;
        Map<String, String> vars = null;
        Set<String> allowed = new TreeSet<>();
        for (Bound b : bound) {
            Map<String, String> v = b.route().match(path);
            if (v != null) {
                allowed.add(b.route().method());
                if (match == null && b.route().method().equals(method)) {
                    match = b;
                    vars = v;
                }
            }
        }
        if (match == null || !match.route().roles().isEmpty()) {
            exchange.principal = authentication.authenticate(exchange.request(), exchange.response());
        }
        if (match == null) {
            if (allowed.isEmpty()) {
                throw new HttpError(404, "no such endpoint: " + path);
            }
            exchange.response().getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed));
            throw new HttpError(405, method + " is not allowed on " + path);
        }
        exchange.pathVars = vars;
        if (exchange.principal != null) {
            Access.requireRole(exchange.principal, match.route().roles(), agentRefusal);
        }
        for (String parameter : exchange.query.getNames()) {
            if (!match.route().parameters().contains(parameter)) {
                throw HttpError.badParameter(parameter, "unknown parameter");
            }
        }
        match.action().run(exchange);
    }
}
