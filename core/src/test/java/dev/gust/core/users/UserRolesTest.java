package dev.gust.core.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.store.Params;
import dev.gust.core.store.users.AppUser;
import dev.gust.core.testing.SettableClock;
import dev.gust.core.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Roles by name, as the REST API gives them: the built-in ones include each other as Airflow's
 * do, a user's access is one built-in role, and a custom role never grants more than it lists.
 */
class UserRolesTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    UserAccounts accounts;
    CustomRoles roles;

    @BeforeEach
    void empty() {
        db.jdbc().update("DELETE FROM app_user", Params.none());
        db.jdbc().update("DELETE FROM custom_role", Params.none());
        accounts = new UserAccounts(db.stores(), new SettableClock(Instant.parse("2026-01-01T00:00:00Z")));
        roles = new CustomRoles(db.stores());
    }

    @Test
    void eachBuiltInRoleHoldsEverythingOfTheOneBefore() {
        for (int i = 1; i < BuiltInRoles.NAMES.size(); i++) {
            assertThat(BuiltInRoles.permissions(BuiltInRoles.NAMES.get(i)))
                    .containsAll(BuiltInRoles.permissions(BuiltInRoles.NAMES.get(i - 1)))
                    .hasSizeGreaterThan(BuiltInRoles.permissions(BuiltInRoles.NAMES.get(i - 1))
                            .size());
        }
        assertThat(BuiltInRoles.coveredBy(BuiltInRoles.permissions("Op"))).contains("Op");
        List<Permission> almostUser = new ArrayList<>(BuiltInRoles.permissions("User"));
        almostUser.remove(new Permission("can_delete", "DAG Runs"));
        assertThat(BuiltInRoles.coveredBy(almostUser)).contains("Viewer");
        assertThat(BuiltInRoles.coveredBy(List.of(new Permission("can_read", "DAGs"))))
                .isEmpty();
    }

    @Test
    void theMostAllowedBuiltInRoleDecidesAndCustomRolesAreKept() {
        roles.create("auditors", List.of(new Permission("can_read", "Audit Logs")), "tester");
        AppUser ann = accounts.create(
                new UserAccounts.NewUser(
                        "ann", List.of("viewer", "Op", "auditors"), null, "long-enough-password", "Ann", "Lee"),
                "tester");
        assertThat(ann.role()).isEqualTo("op");
        assertThat(ann.customRoles()).containsExactly("auditors");
        assertThat(ann.firstName()).isEqualTo("Ann");

        roles.update("auditors", "reviewers", List.of(), "tester");
        AppUser renamed = db.stores().users().find("ann").orElseThrow();
        assertThat(renamed.customRoles()).containsExactly("reviewers");
        roles.delete("reviewers", "tester");
        assertThat(db.stores().users().find("ann").orElseThrow().customRoles()).isEmpty();
    }

    @Test
    void customRolesAloneGrantTheBuiltInRoleTheyCoverAndNeverLessThanViewer() {
        roles.create("readers", List.copyOf(BuiltInRoles.permissions("Viewer")), "tester");
        roles.create("narrow", List.of(new Permission("can_read", "DAGs")), "tester");
        AppUser reader = accounts.create(
                new UserAccounts.NewUser("rita", List.of("readers"), null, "long-enough-password", "", ""), "tester");
        assertThat(reader.role()).isEqualTo("viewer");
        assertThatThrownBy(() -> accounts.create(
                        new UserAccounts.NewUser("nina", List.of("narrow"), null, "long-enough-password", "", ""),
                        "tester"))
                .isInstanceOf(UserAccountException.class)
                .hasMessageContaining("grant less than Viewer");
        assertThatThrownBy(() -> accounts.update(
                        "rita", new UserAccounts.UserChange(null, null, null, null, List.of("Wizard")), "tester"))
                .hasMessageContaining("unknown roles: Wizard");
        assertThatThrownBy(() -> roles.create("admin", List.of(), "tester"))
                .isInstanceOf(CustomRoles.RoleConflictException.class);
        assertThatThrownBy(() -> roles.delete("Viewer", "tester")).hasMessageContaining("built-in role Viewer");
    }

    @Test
    void anUpdateNeverDemotesTheSignedInAdminOrTheLastAdmin() {
        accounts.create("root", "admin", null, "long-enough-password", "tester");
        assertThatThrownBy(() -> accounts.update(
                        "root", new UserAccounts.UserChange(null, null, null, null, List.of("Viewer")), "root"))
                .hasMessageContaining("change your own role");
        assertThatThrownBy(() -> accounts.update(
                        "root", new UserAccounts.UserChange(null, null, null, null, List.of("Viewer")), "other"))
                .hasMessageContaining("last active admin");
        AppUser changed = accounts.update(
                "root", new UserAccounts.UserChange("root@example.com", "Ro", "Ot", null, null), "root");
        assertThat(changed.email()).isEqualTo("root@example.com");
        assertThat(changed.lastName()).isEqualTo("Ot");
        assertThat(changed.role()).isEqualTo("admin");
    }
}
