package io.earshot.pipeline.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * API tokens over the store's {@code api_tokens} table. A token reads
 * {@code esk_<id>_<secret>}: the id (12 hex digits) is public and names the row, the secret is
 * 32 random bytes in base64url. Only the SHA-256 of the whole token is stored (hex), so a copy
 * of the database lets nobody in; a presented token is hashed and compared in constant time
 * with the stored hash of its id. Revoked tokens authenticate no more.
 *
 * <p>An AGENT token belongs to one agent (column {@code agent_id}): it opens that agent's nudges
 * on the dashboard and nothing else.
 */
public final class TokenStore implements Authenticator {

    /** What every token starts with, so a leaked one is recognisable in logs and scanners. */
    public static final String PREFIX = "esk_";
    private static final int ID_BYTES = 6;
    private static final int SECRET_BYTES = 32;
    private static final java.util.regex.Pattern WELL_FORMED =
            java.util.regex.Pattern.compile("esk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");

    /**
     * A token as listed: never its secret or hash.
     *
     * @param agentId the agent of an AGENT token, null for the other roles
     */
    public record TokenInfo(String tokenId, Principal.Role role, Set<String> teams, String agentId,
            Instant createdAt, Instant revokedAt) {
    }

    /** A token just created: {@code token} is shown this once and never stored. */
    public record IssuedToken(TokenInfo info, String token) {
    }

    private final DataSource dataSource;
    private final SecureRandom random = new SecureRandom();

    public TokenStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Creates a supervisor's, analyst's or admin's token. A supervisor's token names at least one
     * team; analysts and admins see all teams, so their teams must be empty.
     */
    public IssuedToken create(Principal.Role role, Set<String> teams) throws SQLException {
        return create(role, teams, null);
    }

    /** Creates the token of an agent's desk: the nudges of {@code agentId} and nothing else. */
    public IssuedToken createForAgent(String agentId) throws SQLException {
        return create(Principal.Role.AGENT, Set.of(), agentId);
    }

    /**
     * Creates a token of any role. A supervisor's token names at least one team and no agent; an
     * agent's token names its agent and no team; analysts' and admins' tokens name neither.
     *
     * @throws IllegalArgumentException when the teams or the agent do not fit the role
     */
    public IssuedToken create(Principal.Role role, Set<String> teams, String agentId) throws SQLException {
        Objects.requireNonNull(role, "role");
        Set<String> sortedTeams = new TreeSet<>(teams);
        if (role == Principal.Role.SUPERVISOR && sortedTeams.isEmpty()) {
            throw new IllegalArgumentException("a SUPERVISOR token needs at least one team");
        }
        if (role == Principal.Role.AGENT && !sortedTeams.isEmpty()) {
            throw new IllegalArgumentException("an AGENT token names its agent, not teams");
        }
        if (role != Principal.Role.SUPERVISOR && role != Principal.Role.AGENT && !sortedTeams.isEmpty()) {
            throw new IllegalArgumentException("only SUPERVISOR tokens are limited to teams; " + role + " sees all");
        }
        if (sortedTeams.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw new IllegalArgumentException("a team must not be blank");
        }
        if (role == Principal.Role.AGENT && (agentId == null || agentId.isBlank())) {
            throw new IllegalArgumentException("an AGENT token needs the agent's id");
        }
        if (role != Principal.Role.AGENT && agentId != null) {
            throw new IllegalArgumentException("only AGENT tokens name an agent; " + role + " does not");
        }
        String id = HexFormat.of().formatHex(bytes(ID_BYTES));
        String token = PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(SECRET_BYTES));
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO api_tokens (token_id, token_sha256, role, teams,"
                        + " agent_id) VALUES (?, ?, ?, ?, ?) RETURNING created_at")) {
            s.setString(1, id);
            s.setString(2, sha256Hex(token));
            s.setString(3, role.name());
            s.setArray(4, c.createArrayOf("text", sortedTeams.toArray()));
            s.setString(5, agentId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                Instant created = rs.getObject(1, OffsetDateTime.class).toInstant();
                return new IssuedToken(new TokenInfo(id, role, new LinkedHashSet<>(sortedTeams), agentId, created,
                        null), token);
            }
        }
    }

    /** All tokens, oldest first, revoked ones included (with when). */
    public List<TokenInfo> list() throws SQLException {
        List<TokenInfo> tokens = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT token_id, role, teams, agent_id, created_at,"
                        + " revoked_at FROM api_tokens ORDER BY created_at, token_id");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                tokens.add(info(rs));
            }
        }
        return tokens;
    }

    /** One token's description, or empty if there is no such id. */
    public Optional<TokenInfo> find(String tokenId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT token_id, role, teams, agent_id, created_at,"
                        + " revoked_at FROM api_tokens WHERE token_id = ?")) {
            s.setString(1, tokenId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(info(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Revokes a token (idempotent: an already revoked token keeps its first revocation time).
     *
     * @return false if there is no token with this id
     */
    public boolean revoke(String tokenId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE token_id = ?")) {
            s.setString(1, tokenId);
            return s.executeUpdate() == 1;
        }
    }

    /**
     * The principal of a valid, unrevoked token; empty for anything else. A store failure is
     * not a refusal: it propagates (as {@link IllegalStateException}) so the caller answers 500,
     * not 401.
     */
    @Override
    public Optional<Principal> authenticate(String token) {
        if (!wellFormed(token)) {
            return Optional.empty();
        }
        String id = token.substring(PREFIX.length(), PREFIX.length() + ID_BYTES * 2);
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT token_sha256, role, teams, revoked_at, agent_id FROM api_tokens WHERE token_id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                boolean matches = MessageDigest.isEqual(
                        rs.getString(1).getBytes(StandardCharsets.US_ASCII),
                        sha256Hex(token).getBytes(StandardCharsets.US_ASCII));
                if (!matches || rs.getObject(4) != null) {
                    return Optional.empty();
                }
                return Optional.of(new Principal(id, Principal.Role.valueOf(rs.getString(2)), teams(rs.getArray(3)),
                        rs.getString(5)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the token store cannot be read", e);
        }
    }

    /**
     * Whether {@code token} has the shape of a token this store issues ({@code esk_}, 12 lower-case
     * hex digits, {@code _}, 43 base64url characters). Anything else cannot match a row, so it is
     * refused without asking the database.
     */
    public static boolean wellFormed(String token) {
        return token != null && WELL_FORMED.matcher(token).matches();
    }

    /** The hex SHA-256 of a token's UTF-8 bytes: what the table keeps. */
    static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static TokenInfo info(ResultSet rs) throws SQLException {
        OffsetDateTime revoked = rs.getObject("revoked_at", OffsetDateTime.class);
        return new TokenInfo(rs.getString("token_id"), Principal.Role.valueOf(rs.getString("role")),
                teams(rs.getArray("teams")), rs.getString("agent_id"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                revoked == null ? null : revoked.toInstant());
    }

    private static Set<String> teams(Array array) throws SQLException {
        Set<String> teams = new LinkedHashSet<>();
        for (Object o : (Object[]) array.getArray()) {
            teams.add((String) o);
        }
        return teams;
    }
}
