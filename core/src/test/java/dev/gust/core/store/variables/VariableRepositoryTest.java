package dev.gust.core.store.variables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VariableRepositoryTest {

    static TestDatabase db;

    @BeforeAll
    static void setUp() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    @Test
    void setGetListOverwriteAndDelete() {
        VariableRepository variables = new VariableRepository(db.jdbc());

        variables.set("env", "prod", "where we run");
        variables.set("bucket", "s3://data", null);
        variables.set("env", "staging", "where we run now");

        assertThat(variables.find("env")).contains(new Variable("env", "staging", "where we run now"));
        assertThat(variables.list()).extracting(Variable::key).containsExactly("bucket", "env");
        assertThat(variables.delete("env")).isTrue();
        assertThat(variables.delete("env")).isFalse();
        assertThat(variables.find("env")).isEmpty();
    }
}
