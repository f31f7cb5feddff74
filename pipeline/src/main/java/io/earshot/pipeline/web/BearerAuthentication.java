package io.earshot.pipeline.web;

import io.earshot.pipeline.api.Authenticator;
import io.earshot.pipeline.api.Principal;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Resolves the caller of a request, for the API and the dashboard alike: the token from
 * {@code Authorization: Bearer TOKEN} (the only place a token is read; the {@link Router}
 * refuses one in the URL before it gets here), looked up through the {@link Authenticator}
 * with the client's address, so that the address's failures are counted and limited.
 *
 * <p>Answers: no token, or one the authenticator does not accept, is 401 with
 * {@code WWW-Authenticate: Bearer realm="earshot"} (plus {@code error="invalid_token"} when
 * one was presented); an address that failed too often is 429 with {@code Retry-After}.
 */
public final class BearerAuthentication {

    private static final System.Logger LOG = System.getLogger(BearerAuthentication.class.getName());

    private final Authenticator authenticator;

    public BearerAuthentication(Authenticator authenticator) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    }

    /** The bearer token of {@code request}, or null without one. */
    public static String token(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        return null;
    }

    /** The caller of {@code request}; refuses with 401 or 429 (headers set on {@code response}). */
    public Principal authenticate(Request request, Response response) throws HttpError {
        String token = token(request);
        Optional<Principal> principal;
        try {
            principal = authenticator.authenticate(token, Request.getRemoteAddr(request));
        } catch (Authenticator.Throttled e) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
            throw new HttpError(429, e.getMessage());
        }
        if (principal.isEmpty()) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, token == null
                    ? "Bearer realm=\"earshot\""
                    : "Bearer realm=\"earshot\", error=\"invalid_token\"");
            throw new HttpError(401, token == null ? "a bearer token is required" : "invalid or revoked token");
        }
        return principal.get();
    }

    /**
     * Whether {@code token}, presented earlier from {@code address}, is still accepted (an open
     * stream's periodic check). Fails closed: a throttled address or a store that cannot answer
     * is a no.
     */
    public boolean stillAccepted(String token, String address) {
        try {
            return authenticator.authenticate(token, address).isPresent();
        } catch (Authenticator.Throttled e) {
            return false;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a token could not be checked again; refusing it", e);
            return false;
        }
    }

    /** Forgets what is remembered of the token {@code tokenId} (it was just revoked). */
    public void forget(String tokenId) {
        authenticator.forget(tokenId);
    }
}
