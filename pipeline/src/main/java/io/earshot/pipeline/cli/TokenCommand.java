package io.earshot.pipeline.cli;

import io.earshot.pipeline.api.Principal;
import io.earshot.pipeline.api.TokenStore;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code earshot token create|list|revoke}: the API's tokens in the store, straight through
 * the database, for the first admin token (after which {@code POST /api/tokens} does the
 * same over HTTP). The token is printed once by {@code create}; the store keeps only its hash.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Create, list and revoke API tokens in the store (for the first admin token).",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand {

    /** Where the store is: a JDBC URL and optional credentials. */
    static final class Db {
        @Option(names = "--db", required = true, paramLabel = "JDBC_URL",
                description = "The store's JDBC URL, e.g. jdbc:postgresql://localhost:5432/earshot.")
        String url;

        @Option(names = "--db-user", description = "Database user (default: from the URL).")
        String user;

        @Option(names = "--db-password", description = "Database password (default: EARSHOT_DB_PASSWORD, or from the URL).",
                defaultValue = "${env:EARSHOT_DB_PASSWORD}")
        String password;

        DataSource dataSource() {
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("--db must be a jdbc:postgresql: URL, was " + url);
            }
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(url);
            if (user != null) {
                ds.setUser(user);
            }
            if (password != null && !password.isEmpty()) {
                ds.setPassword(password);
            }
            return ds;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token and print it (once).")
    static final class Create implements Callable<Integer> {
        @Mixin
        Db db;

        @Option(names = "--role", required = true, description = "SUPERVISOR, ANALYST, ADMIN or AGENT.")
        Principal.Role role;

        @Option(names = "--team", paramLabel = "TEAM", description = "A team a SUPERVISOR sees (repeatable).")
        List<String> teams = List.of();

        @Option(names = "--agent", paramLabel = "ID",
                description = "The agent an AGENT token belongs to: it opens that agent's nudges only.")
        String agent;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws SQLException {
            TokenStore.IssuedToken issued = new TokenStore(db.dataSource()).create(role, new LinkedHashSet<>(teams),
                    agent);
            PrintWriter out = spec.commandLine().getOut();
            out.println(issued.token());
            spec.commandLine().getErr().println("token " + issued.info().tokenId() + " (" + role
                    + (issued.info().teams().isEmpty() ? "" : " of " + String.join(",", issued.info().teams()))
                    + (issued.info().agentId() == null ? "" : " of agent " + issued.info().agentId())
                    + ") created; it is shown only this once");
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        Db db;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws SQLException {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-14s %-10s %-24s %-30s %s%n", "ID", "ROLE", "TEAMS/AGENT", "CREATED", "REVOKED");
            for (TokenStore.TokenInfo t : new TokenStore(db.dataSource()).list()) {
                out.printf("%-14s %-10s %-24s %-30s %s%n", t.tokenId(), t.role(),
                        t.agentId() != null ? "agent " + t.agentId()
                                : t.teams().isEmpty() ? "-" : String.join(",", t.teams()), t.createdAt(),
                        t.revokedAt() == null ? "-" : t.revokedAt());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by its id.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        Db db;

        @Parameters(paramLabel = "ID", description = "The token's id (the part after esk_, before the next _).")
        String tokenId;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws SQLException {
            if (!new TokenStore(db.dataSource()).revoke(tokenId)) {
                throw new IllegalArgumentException("no token " + tokenId);
            }
            spec.commandLine().getOut().println("token " + tokenId + " revoked");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
