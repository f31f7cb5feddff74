package io.earshot.pipeline.api;

import java.util.Optional;

/**
 * Turns the token a request carries ({@code Authorization: Bearer TOKEN}; never a URL
 * parameter, which would end up in proxy logs and browser history) into a {@link Principal}.
 * Production checks it against the hashed tokens of the store through a {@link CachingAuthenticator};
 * the demo lets everyone in as an administrator.
 */
@FunctionalInterface
public interface Authenticator {

    /** @param token the presented token, or null if the request carried none */
    Optional<Principal> authenticate(String token);

    /**
     * As {@link #authenticate(String)} for a request from {@code clientAddress}, so that an
     * implementation can limit the failures one address may cause.
     *
     * @throws Throttled when the address has failed too often and is refused for a while
     */
    default Optional<Principal> authenticate(String token, String clientAddress) {
        return authenticate(token);
    }

    /** Drops whatever is remembered about the token {@code tokenId} (it was just revoked). */
    default void forget(String tokenId) {
    }

    /** The demo's: no token needed, full access. Never used outside {@code earshot demo}. */
    static Authenticator openDemo() {
        return token -> Optional.of(new Principal("demo", Principal.Role.ADMIN, java.util.Set.of()));
    }

    /** A refusal without a lookup: the client's address failed too often; retry after {@link #retryAfterSeconds}. */
    final class Throttled extends RuntimeException {
        private final long retryAfterSeconds;

        public Throttled(long retryAfterSeconds) {
            super("too many failed authentications from this address; retry in " + retryAfterSeconds + " s");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
