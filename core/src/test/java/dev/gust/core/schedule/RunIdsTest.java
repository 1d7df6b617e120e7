package dev.gust.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunIdsTest {

    @Test
    void formatsLikeAirflow() {
        Instant newYear = Instant.parse("2024-01-01T00:00:00Z");

        assertThat(RunIds.scheduled(newYear)).isEqualTo("scheduled__2024-01-01T00:00:00+00:00");
        assertThat(RunIds.manual(newYear)).isEqualTo("manual__2024-01-01T00:00:00+00:00");
        assertThat(RunIds.backfill(newYear)).isEqualTo("backfill__2024-01-01T00:00:00+00:00");
        assertThat(RunIds.generate(RunType.DATASET_TRIGGERED, newYear))
                .isEqualTo("dataset_triggered__2024-01-01T00:00:00+00:00");
    }

    @Test
    void writesMicrosecondsOnlyWhenThereAreSome() {
        assertThat(RunIds.manual(Instant.parse("2024-05-06T07:08:09.123456789Z")))
                .isEqualTo("manual__2024-05-06T07:08:09.123456+00:00");
        assertThat(RunIds.manual(Instant.parse("2024-05-06T07:08:09.100Z")))
                .isEqualTo("manual__2024-05-06T07:08:09.100000+00:00");
        assertThat(RunIds.manual(Instant.parse("2024-05-06T07:08:09.000000900Z")))
                .isEqualTo("manual__2024-05-06T07:08:09+00:00");
    }

    @Test
    void readsTheTypeBack() {
        assertThat(RunIds.typeOf("scheduled__2024-01-01T00:00:00+00:00")).contains(RunType.SCHEDULED);
        assertThat(RunIds.typeOf("dataset_triggered__2024-01-01T00:00:00+00:00"))
                .contains(RunType.DATASET_TRIGGERED);
        assertThat(RunIds.typeOf("my_own_run")).isEmpty();
        assertThat(RunIds.typeOf("nightly__rerun")).isEmpty();
    }
}
