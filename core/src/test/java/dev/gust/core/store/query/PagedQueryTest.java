package dev.gust.core.store.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.store.Params;
import dev.gust.core.store.secrets.SecretCipher;
import dev.gust.core.store.variables.Variable;
import dev.gust.core.store.variables.VariableQuery;
import dev.gust.core.store.variables.VariableRepository;
import dev.gust.core.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pages and totals on a real PostgreSQL, and order_by only through the whitelist. */
class PagedQueryTest {

    static TestDatabase db;

    @BeforeAll
    static void fiveVariables() {
        db = TestDatabase.create();
        db.jdbc().update("DELETE FROM variable", Params.none());
        VariableRepository variables =
                new VariableRepository(db.jdbc(), SecretCipher.fromBase64Key(SecretCipher.generateKey()));
        for (String key : new String[] {"c", "a", "e", "b", "d"}) {
            variables.set(key, "v", null);
        }
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void everyPageKnowsTheTotal() {
        VariableQuery query = new VariableQuery(db.jdbc());
        Page<Variable> first = query.list(VariableQuery.orderBy(null), 2, 0);
        assertThat(first.items()).extracting(Variable::key).containsExactly("a", "b");
        assertThat(first.totalEntries()).isEqualTo(5);
        Page<Variable> last = query.list(VariableQuery.orderBy("-key"), 2, 4);
        assertThat(last.items()).extracting(Variable::key).containsExactly("a");
        assertThat(last.totalEntries()).isEqualTo(5);
        Page<Variable> exact = query.list(VariableQuery.orderBy("key"), 5, 0);
        assertThat(exact.totalEntries()).isEqualTo(5);
        Page<Variable> past = query.list(VariableQuery.orderBy("key"), 2, 10);
        assertThat(past.items()).isEmpty();
        assertThat(past.totalEntries()).isEqualTo(5);
    }

    @Test
    void orderByAcceptsOnlyWhitelistedFields() {
        Map<String, String> columns = Map.of("name", "p.pool");
        assertThat(OrderBy.parse("-name", columns, "name", "p.pool").sql()).isEqualTo("p.pool DESC NULLS LAST");
        assertThat(OrderBy.parse(null, Map.of("when", "dttm"), "when", "id").sql())
                .isEqualTo("dttm ASC NULLS FIRST, id ASC");
        assertThatThrownBy(() -> OrderBy.parse("name; DROP TABLE dag", columns, "name", "p.pool"))
                .isInstanceOf(OrderBy.InvalidOrderByException.class)
                .hasMessageContaining("use one of name");
    }

    @Test
    void anErrorListsTheWhitelistInTheOrderItWasGiven() {
        Map<String, String> columns =
                OrderBy.columns(Map.entry("when", "dttm"), Map.entry("owner", "owner"), Map.entry("event", "event"));
        assertThatThrownBy(() -> OrderBy.parse("extra", columns, "when", "id"))
                .isInstanceOf(OrderBy.InvalidOrderByException.class)
                .hasMessageContaining("use one of when, owner, event (");
        assertThat(OrderBy.parse("-owner", columns, "when", "id").sql()).isEqualTo("owner DESC NULLS LAST, id DESC");
    }
}
