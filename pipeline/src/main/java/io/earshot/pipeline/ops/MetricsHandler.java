package io.earshot.pipeline.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /metrics}: the process's meters in the Prometheus text exposition format (0.0.4).
 * Open by default, like {@code /health}: the meters count calls, audio, queues and errors by
 * protocol and never name a call, an agent, a host or a credential. With a token configured
 * ({@code ingest.metricsToken}) a scrape must send {@code Authorization: Bearer TOKEN}; anything
 * else gets 401. The token is compared in constant time.
 */
public final class MetricsHandler extends Handler.Abstract {

    /** The path it answers. */
    public static final String PATH = "/metrics";
    /** The Prometheus text format's content type. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final byte[] expected;

    /** @param token the bearer token a scrape must send, or null for none */
    public MetricsHandler(PrometheusMeterRegistry registry, String token) {
        this.registry = registry;
        this.expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!PATH.equals(Request.getPathInContext(request))
                || !(HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod()))) {
            return false;
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (expected != null) {
            String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
                response.setStatus(401);
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
                response.write(true, ByteBuffer.allocate(0), callback);
                return true;
            }
        }
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
