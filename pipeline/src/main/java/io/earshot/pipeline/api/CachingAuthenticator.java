package io.earshot.pipeline.api;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Puts a memory in front of a token lookup that costs a database round trip ({@link TokenStore}):
 *
 * <ul>
 * <li>a token that authenticated is trusted again without a lookup for {@code positiveTtl},
 *     so a token revoked elsewhere stops working at most that long after (a revocation through
 *     this process's API is forgotten at once, see {@link #forget});</li>
 * <li>a token that was refused is refused again without a lookup for {@code negativeTtl};</li>
 * <li>each client address may cause {@code failuresPerWindow} refusals per {@code failureWindow};
 *     beyond that every token it presents that is not in the positive memory is refused with
 *     {@link Authenticator.Throttled} until the window ends, without a lookup. So a stream of
 *     made-up tokens from one address costs at most that many lookups per window.</li>
 * </ul>
 *
 * <p>Both memories and the table of addresses hold at most {@code maxEntries} entries each (the
 * least recently used go first), so made-up tokens or addresses cannot grow them without bound.
 * Tokens are remembered by their SHA-256, never as presented.
 */
public final class CachingAuthenticator implements Authenticator {

    /**
     * @param positiveTtl       how long an accepted token is trusted without a lookup (0: never)
     * @param negativeTtl       how long a refused token is refused without a lookup (0: never)
     * @param failuresPerWindow refusals one client address may cause per window
     * @param failureWindow     the window of {@code failuresPerWindow}
     * @param maxEntries        the most tokens (and addresses) remembered
     */
    public record Settings(Duration positiveTtl, Duration negativeTtl, int failuresPerWindow, Duration failureWindow,
                           int maxEntries) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(10), Duration.ofMinutes(5), 20,
                Duration.ofMinutes(1), 10_000);

        public Settings {
            Objects.requireNonNull(positiveTtl, "positiveTtl");
            Objects.requireNonNull(negativeTtl, "negativeTtl");
            Objects.requireNonNull(failureWindow, "failureWindow");
            if (positiveTtl.isNegative() || negativeTtl.isNegative()) {
                throw new IllegalArgumentException("cache times must not be negative");
            }
            if (failuresPerWindow < 1 || failureWindow.isNegative() || failureWindow.isZero()) {
                throw new IllegalArgumentException("at least one failure per positive window is required");
            }
            if (maxEntries < 1) {
                throw new IllegalArgumentException("maxEntries must be at least 1");
            }
        }
    }

    private record Accepted(Principal principal, long until) {
    }

    private static final class Failures {
        long windowStart;
        int count;
    }

    private final Authenticator delegate;
    private final Settings settings;
    private final Clock clock;
    private final Map<String, Accepted> accepted;
    private final Map<String, Long> refused;
    private final Map<String, Failures> failures;

    public CachingAuthenticator(Authenticator delegate, Settings settings, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.accepted = lru(settings.maxEntries());
        this.refused = lru(settings.maxEntries());
        this.failures = lru(settings.maxEntries());
    }

    @Override
    public Optional<Principal> authenticate(String token) {
        return authenticate(token, "unknown");
    }

    @Override
    public Optional<Principal> authenticate(String token, String clientAddress) {
        if (token == null) {
            return delegate.authenticate(null);
        }
        String key = TokenStore.sha256Hex(token);
        String address = clientAddress == null ? "unknown" : clientAddress;
        long now = clock.millis();
        synchronized (this) {
            Accepted hit = accepted.get(key);
            if (hit != null && hit.until > now) {
                return Optional.of(hit.principal);
            }
            accepted.remove(key);
            throttle(address, now);
            Long refusedUntil = refused.get(key);
            if (refusedUntil != null && refusedUntil > now) {
                fail(address, now);
                return Optional.empty();
            }
            refused.remove(key);
        }
        // the lookup runs outside the lock: a slow database holds up only its own caller
        Optional<Principal> principal = delegate.authenticate(token);
        synchronized (this) {
            if (principal.isPresent()) {
                if (!settings.positiveTtl().isZero()) {
                    accepted.put(key, new Accepted(principal.get(), now + settings.positiveTtl().toMillis()));
                }
            } else {
                if (!settings.negativeTtl().isZero()) {
                    refused.put(key, now + settings.negativeTtl().toMillis());
                }
                fail(address, now);
            }
        }
        return principal;
    }

    @Override
    public synchronized void forget(String tokenId) {
        accepted.values().removeIf(a -> a.principal.tokenId().equals(tokenId));
        delegate.forget(tokenId);
    }

    private void throttle(String address, long now) {
        Failures f = failures.get(address);
        long window = settings.failureWindow().toMillis();
        if (f != null && now - f.windowStart < window && f.count >= settings.failuresPerWindow()) {
            throw new Throttled(Math.max(1, (f.windowStart + window - now + 999) / 1000));
        }
    }

    private void fail(String address, long now) {
        Failures f = failures.computeIfAbsent(address, a -> new Failures());
        if (now - f.windowStart >= settings.failureWindow().toMillis()) {
            f.windowStart = now;
            f.count = 0;
        }
        f.count++;
    }

    private static <V> Map<String, V> lru(int maxEntries) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > maxEntries;
            }
        };
    }
}
