package dev.gust.cli.admin;

import dev.gust.cli.common.DurationConverter;
import dev.gust.cli.common.OutputOption;
import dev.gust.cli.common.Table;
import dev.gust.cli.common.UserError;
import dev.gust.cli.context.CliContext;
import dev.gust.cli.context.MetadataAccess;
import dev.gust.core.store.users.ApiTokenInfo;
import dev.gust.core.store.users.AppUser;
import dev.gust.core.users.Passwords;
import dev.gust.core.users.UserAccounts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gust users ...}: the people who sign in to the web UI and the REST API, as Airflow's
 * command of the same name, plus {@code token} for API tokens. Passwords come from
 * {@code --password}, from {@code --password-stdin} (kept out of the shell history), or are
 * generated and printed once; a token is printed once and only its hash is kept. Every change is
 * in the audit log under the operating-system user who ran the command.
 */
@Command(
        name = "users",
        mixinStandardHelpOptions = true,
        description = "Manage users of the web UI and the REST API.",
        subcommands = {
            UsersCommand.Create.class,
            UsersCommand.ListUsers.class,
            UsersCommand.Delete.class,
            UsersCommand.ResetPassword.class,
            UsersCommand.Token.class,
            UsersCommand.Tokens.class,
            UsersCommand.RevokeToken.class
        })
public final class UsersCommand {

    private UsersCommand() {}

    private static <T> T withAccounts(MetadataAccess metadata, Function<UserAccounts, T> work) {
        try (CliContext cli = metadata.open()) {
            return work.apply(cli.userAccounts());
        }
    }

    private static void changeAccounts(MetadataAccess metadata, Consumer<UserAccounts> change) {
        withAccounts(metadata, accounts -> {
            change.accept(accounts);
            return null;
        });
    }

    /** Who did it, for the audit log: the operating-system user, as Airflow's CLI records it. */
    static String actor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    /** Where a password comes from: at most one of the two options; neither means "generate one". */
    static final class PasswordSource {
        @Option(
                names = "--password",
                paramLabel = "PASSWORD",
                description =
                        "The password (it lands in your shell history and the process list; prefer --password-stdin).")
        String password;

        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean fromStdin;

        /** The chosen password, or null when it is to be generated; warns on {@code err} about --password. */
        String read(PrintWriter err) {
            if (password != null) {
                // Any local user sees the arguments of running processes (ps, /proc/PID/cmdline).
                err.println("gust: warning: --password is visible to other local users in the process list while gust "
                        + "runs, and stays in your shell history; use --password-stdin instead");
                err.flush();
            }
            if (fromStdin) {
                try {
                    String line =
                            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                    if (line == null || line.isEmpty()) {
                        throw new UserError(
                                "--password-stdin got no password; pipe one in, e.g. echo \"$PW\" | gust users ...");
                    }
                    return line;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return password;
        }
    }

    /** What every subcommand about one user takes: the metadata database and the user's name. */
    abstract static class OneUserCommand {
        @Mixin
        MetadataAccess metadata;

        @Option(
                names = {"-u", "--username"},
                required = true,
                paramLabel = "USERNAME")
        String username;
    }

    /** Prints a generated password once, with the reminder that nothing else will show it again. */
    private static void printGenerated(PrintWriter out, String username, String password) {
        out.println("Generated password for " + username + " (shown only now): " + password);
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a user with a role (admin, op, user, viewer).")
    static final class Create extends OneUserCommand implements Runnable {
        @Option(
                names = {"-r", "--role"},
                required = true,
                paramLabel = "ROLE",
                description = "admin, op, user or viewer.")
        String role;

        @Option(
                names = {"-e", "--email"},
                paramLabel = "EMAIL")
        String email;

        // Airflow's `users create` requires both; Gust takes them so that the same scripts run.
        @Option(
                names = {"-f", "--firstname"},
                paramLabel = "FIRST_NAME",
                description = "The user's first name (as Airflow's CLI; shown by the REST API).")
        String firstName = "";

        @Option(
                names = {"-l", "--lastname"},
                paramLabel = "LAST_NAME",
                description = "The user's last name (as Airflow's CLI; shown by the REST API).")
        String lastName = "";

        @ArgGroup(exclusive = true)
        PasswordSource passwordSource = new PasswordSource();

        @Override
        public void run() {
            UserAccounts.checkRole(role);
            String given = passwordSource.read(metadata.err());
            String password = given != null ? given : Passwords.generate();
            AppUser user = withAccounts(
                    metadata,
                    accounts -> accounts.create(username, role, email, password, firstName, lastName, actor()));
            PrintWriter out = metadata.out();
            out.println("User " + user.username() + " created with role " + user.role());
            if (given == null) {
                printGenerated(out, user.username(), password);
            }
            out.flush();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users and their roles.")
    static final class ListUsers implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Mixin
        OutputOption output;

        @Override
        public void run() {
            Table table = new Table("username", "email", "role", "active", "last login");
            for (AppUser user : withAccounts(metadata, UserAccounts::list)) {
                table.add(
                        user.username(),
                        user.email(),
                        user.role(),
                        String.valueOf(user.active()),
                        user.lastLogin() == null ? "" : user.lastLogin().toString());
            }
            table.printOrHint(
                    metadata.out(),
                    metadata.err(),
                    output.format(),
                    "No users yet; create one with 'gust users create --username NAME --role admin'");
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Delete a user with their sessions and API tokens.")
    static final class Delete extends OneUserCommand implements Runnable {
        @Override
        public void run() {
            changeAccounts(metadata, accounts -> accounts.delete(username, actor()));
            metadata.out().println("User " + username + " deleted");
        }
    }

    @Command(
            name = "reset-password",
            mixinStandardHelpOptions = true,
            description = "Set a user's password (generated and printed once when none is given); ends their sessions.")
    static final class ResetPassword extends OneUserCommand implements Runnable {
        @ArgGroup(exclusive = true)
        PasswordSource passwordSource = new PasswordSource();

        @Override
        public void run() {
            String given = passwordSource.read(metadata.err());
            String password = given != null ? given : Passwords.generate();
            changeAccounts(metadata, accounts -> accounts.resetPassword(username, password, actor()));
            PrintWriter out = metadata.out();
            out.println("Password of " + username + " reset");
            if (given == null) {
                printGenerated(out, username, password);
            }
            out.flush();
        }
    }

    @Command(
            name = "tokens",
            mixinStandardHelpOptions = true,
            description = "List a user's API tokens: names and dates, never the tokens.")
    static final class Tokens extends OneUserCommand implements Runnable {
        @Mixin
        OutputOption output;

        @Override
        public void run() {
            Table table = new Table("name", "created", "expires", "last used");
            for (ApiTokenInfo token : withAccounts(metadata, accounts -> accounts.tokens(username))) {
                table.add(
                        token.name(),
                        String.valueOf(token.createdAt()),
                        token.expiresAt() == null ? "never" : token.expiresAt().toString(),
                        token.lastUsedAt() == null ? "" : token.lastUsedAt().toString());
            }
            table.printOrHint(
                    metadata.out(),
                    metadata.err(),
                    output.format(),
                    username + " has no API tokens; 'gust users token --username " + username + "' makes one");
        }
    }

    @Command(
            name = "revoke-token",
            mixinStandardHelpOptions = true,
            description = "Revoke a user's API tokens with this name (when a token leaked or is no longer needed).")
    static final class RevokeToken extends OneUserCommand implements Runnable {
        @Option(
                names = {"-n", "--name"},
                required = true,
                paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            changeAccounts(metadata, accounts -> accounts.revokeToken(username, name, actor()));
            metadata.out().println("API token '" + name + "' of " + username + " revoked");
        }
    }

    @Command(
            name = "token",
            mixinStandardHelpOptions = true,
            description =
                    "Create an API token for a user (Authorization: Bearer TOKEN); printed once, only its hash is kept.")
    static final class Token extends OneUserCommand implements Runnable {
        @Option(
                names = {"-n", "--name"},
                defaultValue = "cli",
                paramLabel = "NAME",
                description = "What the token is for (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(
                names = "--expires-in",
                defaultValue = "90d",
                paramLabel = "DURATION",
                converter = DurationConverter.Lifetime.class,
                description = "Lifetime such as 30d, 12h or 45m, or 'never' (default: ${DEFAULT-VALUE}).")
        Duration lifetime;

        @Override
        public void run() {
            String token = withAccounts(metadata, accounts -> accounts.issueToken(username, name, lifetime, actor()));
            PrintWriter out = metadata.out();
            out.println(token);
            out.flush();
            metadata.err()
                    .println("API token '" + name + "' for " + username
                            + (lifetime == null
                                    ? ", never expires"
                                    : ", expires at "
                                            + Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS))
                            + "; it is shown only now. Use it as: Authorization: Bearer TOKEN");
            metadata.err().flush();
        }
    }
}
