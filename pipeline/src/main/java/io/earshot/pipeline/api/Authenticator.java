package io.earshot.pipeline.api;

import java.util.Optional;

/**
 * Turns the token a request carries ({@code Authorization: Bearer TOKEN}, or {@code ?token=}
 * where a browser cannot set headers, as for server-sent events) into a {@link Principal}.
 * Production checks it against the hashed tokens of the store; the demo lets everyone in as
 * an administrator.
 */
@FunctionalInterface
public interface Authenticator {

    /** @param token the presented token, or null if the request carried none */
    Optional<Principal> authenticate(String token);

    /** The demo's: no token needed, full access. Never used outside {@code earshot demo}. */
    static Authenticator openDemo() {
        return token -> Optional.of(new Principal("demo", Principal.Role.ADMIN, java.util.Set.of()));
    }
}
