package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code gust pools ...} as users run it; one flow, since each start of gust costs a second or two. */
class PoolsIT extends IsolatedGustIT {

    @Test
    void setListGetDelete() throws Exception {
        GustProcess.Result set = gust("pools", "set", "warehouse", "4", "--description", "the data warehouse");
        assertThat(set.exitCode()).as(set.all()).isZero();
        assertThat(set.stdout()).contains("Pool warehouse created with 4 slots");
        assertThat(gust("pools", "set", "api", "-1").stdout()).contains("Pool api created with unlimited slots");
        assertOneLineError(
                gust("pools", "set", "broken", "-5"), "SLOTS must be 0 or more, or -1 for unlimited; got -5");

        GustProcess.Result list = gust("pools", "list", "-o", "json");
        assertThat(list.exitCode()).as(list.all()).isZero();
        JsonNode rows = JSON.readTree(list.stdout());
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).get("pool").asText()).isEqualTo("api");
        assertThat(rows.get(0).get("slots").asText()).isEqualTo("unlimited");
        assertThat(rows.get(1).get("pool").asText()).isEqualTo("default_pool");
        assertThat(rows.get(2)).isEqualTo(JSON.readTree("""
                {"pool": "warehouse", "slots": "4", "running": "0", "queued": "0", "open_slots": "4",
                 "description": "the data warehouse"}"""));

        GustProcess.Result get = gust("pools", "get", "warehouse");
        assertThat(get.exitCode()).as(get.all()).isZero();
        assertThat(get.stdout()).contains("open slots").contains("warehouse").contains("the data warehouse");
        assertOneLineError(gust("pools", "get", "missing"), "no pool 'missing'");

        assertOneLineError(gust("pools", "delete", "default_pool"), "default_pool cannot be deleted");
        assertThat(gust("pools", "delete", "warehouse").stdout()).contains("Pool warehouse deleted");
        assertOneLineError(gust("pools", "delete", "warehouse"), "no pool 'warehouse' to delete");
    }
}
