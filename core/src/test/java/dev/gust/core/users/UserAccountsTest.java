package dev.gust.core.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.store.Params;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.core.store.users.ApiTokenInfo;
import dev.gust.core.store.users.ApiTokenRepository;
import dev.gust.core.store.users.AppUser;
import dev.gust.core.store.users.LoginFailureRepository;
import dev.gust.core.store.users.UserRepository;
import dev.gust.core.store.users.WebSessionRepository;
import dev.gust.core.testing.SettableClock;
import dev.gust.core.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Users, tokens, sessions and failed logins on a real PostgreSQL. */
class UserAccountsTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    UserAccounts accounts;

    @BeforeEach
    void empty() {
        db.jdbc().update("DELETE FROM app_user", Params.none());
        db.jdbc().update("DELETE FROM log", Params.none());
        db.jdbc().update("DELETE FROM login_failure", Params.none());
        accounts = new UserAccounts(db.stores(), clock);
    }

    @Test
    void createStoresABcryptHashAndLogsWithoutThePassword() {
        AppUser alice = accounts.create("alice", "Op", "alice@example.com", "correct horse", "tester");
        assertThat(alice.role()).isEqualTo("op");
        assertThat(alice.passwordHash()).startsWith("$2").doesNotContain("correct horse");
        assertThat(Passwords.verify("correct horse", alice.passwordHash())).isTrue();
        assertThat(Passwords.verify("wrong horse", alice.passwordHash())).isFalse();
        assertThat(Passwords.verify("anything", null)).isFalse();
        var events = new EventLogRepository(db.jdbc()).recent(10);
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().event().event()).isEqualTo("user.create");
        assertThat(events.getFirst().event().owner()).isEqualTo("tester");
        assertThat(events.getFirst().event().extra()).doesNotContain("correct horse");
    }

    @Test
    void refusesBadInputWithAMessageSayingWhatToDo() {
        assertThatThrownBy(() -> accounts.create("bob", "superuser", null, "long enough", "t"))
                .hasMessage("unknown role 'superuser'; use one of admin, op, user, viewer");
        assertThatThrownBy(() -> accounts.create("bob", "viewer", null, "short", "t"))
                .hasMessage("the password must have at least 10 characters");
        assertThatThrownBy(() -> accounts.create("bad name", "viewer", null, "long enough", "t"))
                .hasMessageStartingWith("the username 'bad name' is not valid");
        accounts.create("bob", "viewer", null, "long enough", "t");
        assertThatThrownBy(() -> accounts.create("bob", "viewer", null, "long enough", "t"))
                .hasMessageStartingWith("user 'bob' already exists");
        assertThatThrownBy(() -> accounts.delete("nobody", "t")).hasMessageStartingWith("no user 'nobody'");
    }

    @Test
    void theLastActiveAdminStays() {
        accounts.create("root", "admin", null, "long enough", "t");
        assertThatThrownBy(() -> accounts.delete("root", "t")).hasMessageContaining("last active admin");
        assertThatThrownBy(() -> accounts.changeRole("root", "viewer", "t")).hasMessageContaining("last active admin");
        assertThatThrownBy(() -> accounts.setActive("root", false, "t")).hasMessageContaining("last active admin");
        accounts.create("second", "admin", null, "long enough", "t");
        accounts.delete("root", "t");
        assertThat(new UserRepository(db.jdbc()).find("root")).isEmpty();
    }

    @Test
    void tokensAreStoredHashedAndExpire() {
        AppUser carol = accounts.create("carol", "user", null, "long enough", "t");
        String token = accounts.issueToken("carol", "ci", Duration.ofDays(30), "t");
        assertThat(token).startsWith("gust_");
        String stored = db.jdbc()
                .queryOne("SELECT token_hash FROM api_token", Params.none(), row -> row.getString(1))
                .orElseThrow();
        assertThat(stored).isEqualTo(SecretTokens.sha256(token)).doesNotContain(token);
        ApiTokenRepository tokens = new ApiTokenRepository(db.jdbc());
        assertThat(tokens.owner(SecretTokens.sha256(token), clock.instant()))
                .get()
                .satisfies(owner -> assertThat(owner.id()).isEqualTo(carol.id()));
        assertThat(tokens.owner(SecretTokens.sha256(token + "x"), clock.instant()))
                .isEmpty();
        assertThat(tokens.owner(SecretTokens.sha256(token), clock.instant().plus(Duration.ofDays(31))))
                .isEmpty();
        accounts.setActive("carol", false, "t");
        assertThat(tokens.owner(SecretTokens.sha256(token), clock.instant())).isEmpty();
    }

    @Test
    void tokensAreListedWithoutSecretsAndRevokedByName() {
        accounts.create("erin", "user", null, "long enough", "t");
        String ci = accounts.issueToken("erin", "ci", null, "t");
        accounts.issueToken("erin", "laptop", Duration.ofDays(1), "t");
        assertThat(accounts.tokens("erin")).extracting(ApiTokenInfo::name).containsExactlyInAnyOrder("ci", "laptop");
        assertThat(accounts.tokens("erin"))
                .filteredOn(t -> t.name().equals("ci"))
                .first()
                .satisfies(t -> assertThat(t.expiresAt()).isNull());

        accounts.revokeToken("erin", "ci", "t");
        assertThat(new ApiTokenRepository(db.jdbc()).owner(SecretTokens.sha256(ci), clock.instant()))
                .isEmpty();
        assertThat(accounts.tokens("erin")).extracting(ApiTokenInfo::name).containsExactly("laptop");
        assertThat(db.jdbc()
                        .query(
                                "SELECT extra FROM log WHERE event = 'token.revoke'",
                                Params.none(),
                                row -> row.getString(1)))
                .containsExactly("username=erin name=ci");
        assertThatThrownBy(() -> accounts.revokeToken("erin", "ci", "t"))
                .hasMessage("user 'erin' has no API token named 'ci'; 'gust users tokens --username erin' lists them");
    }

    @Test
    void sessionsExpireWhenIdleOrOldAndEndWithAPasswordReset() {
        AppUser dave = accounts.create("dave", "viewer", null, "long enough", "t");
        WebSessionRepository sessions = new WebSessionRepository(db.jdbc());
        Instant now = clock.instant();
        sessions.create("h1", dave.id(), "csrf1", now, now.plus(Duration.ofHours(10)));
        Duration idle = Duration.ofHours(1);
        assertThat(sessions.find("h1", now.plus(Duration.ofMinutes(50)), idle))
                .get()
                .satisfies(s -> assertThat(s.csrfToken()).isEqualTo("csrf1"));
        // Seen at +50m, so still alive at +100m; idle since then, gone at +111m.
        assertThat(sessions.find("h1", now.plus(Duration.ofMinutes(100)), idle)).isPresent();
        assertThat(sessions.find("h1", now.plus(Duration.ofMinutes(161)), idle)).isEmpty();
        sessions.create("h2", dave.id(), "csrf2", now, now.plus(Duration.ofHours(2)));
        assertThat(sessions.find("h2", now.plus(Duration.ofMinutes(59)), idle)).isPresent();
        assertThat(sessions.find("h2", now.plus(Duration.ofMinutes(118)), idle)).isPresent();
        assertThat(sessions.find("h2", now.plus(Duration.ofMinutes(121)), idle))
                .as("absolute expiry")
                .isEmpty();
        sessions.create("h3", dave.id(), "csrf3", now, now.plus(Duration.ofHours(2)));
        accounts.resetPassword("dave", "another password", "t");
        assertThat(sessions.find("h3", now, idle)).isEmpty();
    }

    @Test
    void passwordsAreLongAndUncommonAndGeneratedOnesPass() {
        assertThatThrownBy(() -> Passwords.checkPolicy("nine-char"))
                .hasMessage("the password must have at least 10 characters");
        for (String common :
                new String[] {"password123", "Password123", "QWERTYUIOP", "1234567890", "iloveyou123", "letmein123"}) {
            assertThatThrownBy(() -> Passwords.checkPolicy(common))
                    .as(common)
                    .hasMessageContaining("one of the most common ones");
        }
        for (int i = 0; i < 100; i++) {
            Passwords.checkPolicy(Passwords.generate());
        }
        Passwords.checkPolicy("correct horse battery");
    }

    @Test
    void nobodyDeletesDeactivatesOrDemotesThemselves() {
        accounts.create("selfie", "admin", null, "long enough", "t");
        accounts.create("other-admin", "admin", null, "long enough", "t");
        assertThatThrownBy(() -> accounts.delete("selfie", "selfie"))
                .hasMessage("you cannot delete yourself while signed in as 'selfie'; ask another admin to do it");
        assertThatThrownBy(() -> accounts.setActive("selfie", false, "selfie"))
                .hasMessageContaining("you cannot deactivate yourself");
        assertThatThrownBy(() -> accounts.changeRole("selfie", "viewer", "selfie"))
                .hasMessageContaining("you cannot change your own role");
        accounts.changeRole("selfie", "admin", "selfie"); // no change, nothing to refuse
        accounts.setActive("selfie", true, "selfie");
        accounts.delete("selfie", "other-admin");
    }

    @Test
    void loginFailuresAreCountedPerUserAndPerAddressWithinTheWindow() {
        LoginFailureRepository failures = new LoginFailureRepository(db.jdbc());
        Instant now = clock.instant();
        failures.record("eve", "10.0.0.1", now.minus(Duration.ofMinutes(20)));
        failures.record("eve", "10.0.0.1", now);
        failures.record("eve", "10.0.0.2", now);
        failures.record("frank", "10.0.0.1", now);
        var counts = failures.countSince("eve", "10.0.0.1", now.minus(Duration.ofMinutes(15)));
        assertThat(counts.byUserFromIp()).isEqualTo(1);
        assertThat(counts.byUser()).isEqualTo(2);
        assertThat(counts.byIp()).isEqualTo(2);
        failures.clearUserFrom("eve", "10.0.0.1");
        var cleared = failures.countSince("eve", "10.0.0.1", now.minus(Duration.ofMinutes(15)));
        assertThat(cleared.byUserFromIp()).isZero();
        assertThat(cleared.byUser()).as("failures from other addresses stay").isEqualTo(1);
    }
}
