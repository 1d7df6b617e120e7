package dev.gust.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamedSqlTest {

    @Test
    void namesBecomePositionalMarkersInOrderRepeatsIncluded() {
        NamedSql sql = NamedSql.parse("UPDATE t SET a = :a, b = :b_2 WHERE a <> :a");

        assertThat(sql.jdbcSql()).isEqualTo("UPDATE t SET a = ?, b = ? WHERE a <> ?");
        assertThat(sql.parameterNames()).containsExactly("a", "b_2", "a");
    }

    @Test
    void castsQuotesAndCommentsAreLeftAlone() {
        NamedSql sql = NamedSql.parse("""
                SELECT x::text, ':notAParam', "col:umn" -- :neither
                FROM t WHERE y = CAST(:y AS jsonb)""");

        assertThat(sql.jdbcSql()).isEqualTo("""
                SELECT x::text, ':notAParam', "col:umn" -- :neither
                FROM t WHERE y = CAST(? AS jsonb)""");
        assertThat(sql.parameterNames()).containsExactly("y");
    }
}
