package io.earshot.pipeline.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.pipeline.api.Principal;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * One request the {@link Router} dispatched: its path variables, query parameters and caller,
 * the parsing of parameters (each refusal a 400 naming the parameter), and the one place that
 * writes answers: JSON, errors, attachments, event streams and pages, each with the
 * {@linkplain #securityHeaders security headers}.
 */
public final class Exchange {

    /** The content type of every JSON answer. */
    public static final String JSON = "application/json";
    /**
     * The pages' policy: their own scripts and styles only (inline style attributes are set by
     * the charts), no frames, no plugins, forms posting nowhere else.
     */
    static final String PAGE_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    /** Data answers are never rendered as a document. */
    static final String DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final ObjectMapper json;
    Map<String, String> pathVars = Map.of();
    Fields query;
    Principal principal;
    private boolean committed;
    String errorId;

    Exchange(Request request, Response response, Callback callback, ObjectMapper json) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.json = json;
    }

    /**
     * The headers every answer carries: no MIME sniffing, no referrer, no framing, and a
     * content policy; no CORS headers at all, so browsers keep other sites' pages from reading
     * any answer.
     */
    public static void securityHeaders(Response response, boolean page) {
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put("X-Frame-Options", "DENY");
        response.getHeaders().put("Content-Security-Policy", page ? PAGE_POLICY : DATA_POLICY);
    }

    public Request request() {
        return request;
    }

    public Response response() {
        return response;
    }

    public Callback callback() {
        return callback;
    }

    /** The caller; null on a public route. */
    public Principal principal() {
        return principal;
    }

    /** The bearer token the caller presented (an open stream checks it again later). */
    public String token() {
        return BearerAuthentication.token(request);
    }

    /** The client's address. */
    public String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    /** The value of the route template's segment {@code {name}}. */
    public String pathVar(String name) {
        return pathVars.get(name);
    }

    /** Whether an answer was started. */
    boolean committed() {
        return committed || response.isCommitted();
    }

    // ---- parameters

    /** The query parameter {@code name}; null when absent or empty. */
    public String param(String name) {
        String value = query.getValue(name);
        return value == null || value.isEmpty() ? null : value;
    }

    public Integer intParam(String name, int min, int max) throws HttpError {
        String value = param(name);
        if (value == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw HttpError.badParameter(name, "must be between " + min + " and " + max + ", was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw HttpError.badParameter(name, "not an integer: " + value);
        }
    }

    /** A non-negative long. */
    public Long longParam(String name) throws HttpError {
        String value = param(name);
        if (value == null) {
            return null;
        }
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw HttpError.badParameter(name, "must not be negative, was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw HttpError.badParameter(name, "not an integer: " + value);
        }
    }

    /** A finite non-negative number. */
    public Double doubleParam(String name) throws HttpError {
        String value = param(name);
        if (value == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(value);
            if (!Double.isFinite(d) || d < 0) {
                throw HttpError.badParameter(name, "must be a non-negative number, was " + value);
            }
            return d;
        } catch (NumberFormatException e) {
            throw HttpError.badParameter(name, "not a number: " + value);
        }
    }

    /** A listening score bound: a number from 0 to 100. */
    public Double scoreParam(String name) throws HttpError {
        String value = param(name);
        if (value == null) {
            return null;
        }
        double d;
        try {
            d = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw HttpError.badParameter(name, "not a number: " + value + " (a listening score from 0 to 100)");
        }
        if (!(d >= 0 && d <= 100)) {
            throw HttpError.badParameter(name, "a listening score is from 0 to 100, was " + value);
        }
        return d;
    }

    /** One of {@code allowed} (lower case), whatever the case it was sent in. */
    public String choice(String name, Set<String> allowed) throws HttpError {
        String value = param(name);
        if (value == null) {
            return null;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw HttpError.badParameter(name, "one of " + new TreeSet<>(allowed) + ", was " + value);
        }
        return lower;
    }

    public <E extends Enum<E>> E enumParam(String name, Class<E> type, Set<String> allowed) throws HttpError {
        String value = choice(name, allowed);
        return value == null ? null : Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    }

    /** An ISO-8601 instant, or a date meaning its midnight UTC. */
    public Instant instantParam(String name) throws HttpError {
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
                throw HttpError.badParameter(name, "expected an ISO-8601 instant (2026-01-05T09:00:00Z)"
                        + " or date (2026-01-05, midnight UTC), was " + value);
            }
        }
    }

    /** {@code from} and {@code to}, either may be null; {@code to} after {@code from}. */
    public Instant[] range() throws HttpError {
        Instant from = instantParam("from");
        Instant to = instantParam("to");
        if (from != null && to != null && !to.isAfter(from)) {
            throw HttpError.badParameter("to", "must be after from");
        }
        return new Instant[] {from, to};
    }

    // ---- answers

    public void sendJson(int status, Object body) throws JsonProcessingException {
        send(status, JSON, json.writeValueAsBytes(body));
    }

    /** A whole answer; {@code contentType} and {@code body} may be null (204). */
    public void send(int status, String contentType, byte[] body) {
        committed = true;
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        securityHeaders(response, false);
        response.write(true, body == null ? null : ByteBuffer.wrap(body), callback);
    }

    /** {@code {"error", "status"[, "id"][, "parameter"]}}, after dropping what the client sent. */
    void error(HttpError e) {
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

    /** What an attachment writes. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws Exception;
    }

    /** A 200 download named {@code filename}, written by {@code body} as it goes. */
    public void attachment(String contentType, String filename, Body body) throws Exception {
        committed = true;
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION,
                "attachment; filename=\"" + filename.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        securityHeaders(response, false);
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            body.write(out);
        }
        callback.succeeded();
    }

    /**
     * Starts a server-sent-event answer; the caller then owns {@link #response()} and
     * {@link #callback()} until the stream ends.
     */
    public void startEventStream() {
        committed = true;
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Accel-Buffering", "no");
        securityHeaders(response, false);
    }

    /** A page or its script or style: holds no data, so it may be cached if revalidated. */
    public static void sendPage(Response response, Callback callback, String contentType, byte[] body) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        securityHeaders(response, true);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
