package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code gust users ...} as people run it: one round trip, since each start of gust costs a second or two. */
class UsersIT extends IsolatedGustIT {

    @Test
    void createListResetTokenDelete() throws Exception {
        GustProcess.Result alice = gust(
                "users",
                "create",
                "--username",
                "alice",
                "--role",
                "Op",
                "--email",
                "alice@example.com",
                "--firstname",
                "Alice",
                "--lastname",
                "Liddell",
                "--password",
                "alice-password");
        assertThat(alice.exitCode()).as(alice.all()).isZero();
        assertThat(alice.stdout()).contains("User alice created with role op").doesNotContain("alice-password");
        assertThat(alice.stderr())
                .contains("--password is visible to other local users in the process list", "--password-stdin");

        GustProcess.Result bob = gust("users", "create", "--username", "bob", "--role", "viewer");
        assertThat(bob.exitCode()).as(bob.all()).isZero();
        assertThat(bob.stdout()).containsPattern("Generated password for bob \\(shown only now\\): [A-Za-z0-9]{20}");

        assertOneLineError(
                gust("users", "create", "--username", "carol", "--role", "superuser", "--password", "long-enough"),
                "unknown role 'superuser'; use one of admin, op, user, viewer");
        assertOneLineError(
                gust("users", "create", "--username", "carol", "--role", "user", "--password", "short"),
                "the password must have at least 10 characters");
        assertOneLineError(
                gust("users", "create", "--username", "alice", "--role", "user", "--password", "long-enough"),
                "user 'alice' already exists");
        assertOneLineError(
                gust("users", "create", "--username", "carol", "--role", "user", "--password", "Password123"),
                "the password is one of the most common ones");

        GustProcess.Result list = gust("users", "list", "-o", "json");
        assertThat(list.exitCode()).as(list.all()).isZero();
        JsonNode rows = JSON.readTree(list.stdout());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("username").asText()).isEqualTo("alice");
        assertThat(rows.get(0).get("role").asText()).isEqualTo("op");
        assertThat(rows.get(0).get("email").asText()).isEqualTo("alice@example.com");
        assertThat(rows.get(1).get("role").asText()).isEqualTo("viewer");
        assertThat(list.stdout()).doesNotContain("$2").doesNotContain("password");

        try (GustProcess reset = GustProcess.start(
                GustProcess.isolatedEnvironment(home),
                "users",
                "reset-password",
                "--username",
                "alice",
                "--password-stdin")) {
            reset.process().getOutputStream().write("a-brand-new-password\n".getBytes(StandardCharsets.UTF_8));
            reset.process().getOutputStream().close();
            assertThat(reset.process().waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(reset.process().exitValue()).as(reset.output()).isZero();
            assertThat(reset.stdout()).contains("Password of alice reset").doesNotContain("a-brand-new-password");
        }
        assertOneLineError(
                gust("users", "reset-password", "--username", "nobody", "--password", "long-enough"),
                "no user 'nobody'");

        GustProcess.Result token = gust("users", "token", "--username", "alice", "--name", "ci", "--expires-in", "30d");
        assertThat(token.exitCode()).as(token.all()).isZero();
        assertThat(token.stdout().strip()).matches("gust_[A-Za-z0-9_-]{43}");
        assertThat(token.stderr()).contains("shown only now").contains("expires at ");
        GustProcess.Result forever =
                gust("users", "token", "--username", "alice", "--name", "forever", "--expires-in", "never");
        assertThat(forever.exitCode()).as(forever.all()).isZero();
        assertThat(forever.stderr()).contains("never expires");
        // A bad lifetime is a usage error (exit 2), as a bad duration of gust jobs check --threshold is.
        GustProcess.Result soon = gust("users", "token", "--username", "alice", "--expires-in", "soon");
        assertThat(soon.exitCode()).as(soon.all()).isEqualTo(2);
        assertThat(soon.stderr()
                        .lines()
                        .filter(line -> line.startsWith("error: "))
                        .toList())
                .as(soon.all())
                .containsExactly(
                        "error: Invalid value for option '--expires-in': 'soon' is not a lifetime; write it as 30d, 12h, 45m or never");
        assertThat(soon.stderr()).doesNotContain("Exception");
        GustProcess.Result tokens = gust("users", "tokens", "--username", "alice", "-o", "json");
        assertThat(tokens.stdout())
                .as(tokens.all())
                .contains("ci")
                .doesNotContain(token.stdout().strip());
        assertThat(JSON.readTree(tokens.stdout()).findValuesAsText("expires"))
                .hasSize(2)
                .contains("never");
        assertThat(gust("users", "revoke-token", "--username", "alice", "--name", "ci")
                        .stdout())
                .contains("API token 'ci' of alice revoked");
        assertOneLineError(
                gust("users", "revoke-token", "--username", "alice", "--name", "ci"),
                "user 'alice' has no API token named 'ci'");

        assertThat(gust("users", "delete", "--username", "bob").stdout()).contains("User bob deleted");
        assertOneLineError(gust("users", "delete", "--username", "bob"), "no user 'bob'");
        assertThat(JSON.readTree(gust("users", "list", "-o", "json").stdout())).hasSize(1);
    }
}
