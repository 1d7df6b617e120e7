package dev.gust.core.dag.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleDescriberTest {

    @Test
    void describesEachKindOfSchedule() {
        assertThat(ScheduleDescriber.describe(new Schedule.None())).isEqualTo("never (manual only)");
        assertThat(ScheduleDescriber.describe(new Schedule.Once())).isEqualTo("once, at the start date");
        assertThat(ScheduleDescriber.describe(new Schedule.FixedInterval(Duration.ofMinutes(30))))
                .isEqualTo("every 30 minutes");
        assertThat(ScheduleDescriber.describe(new Schedule.FixedInterval(Duration.ofHours(1))))
                .isEqualTo("every hour");
        assertThat(ScheduleDescriber.describe(new Schedule.FixedInterval(Duration.ofDays(2))))
                .isEqualTo("every 2 days");
        assertThat(ScheduleDescriber.describe(new Schedule.Datasets(List.of("s3://a"))))
                .isEqualTo("when dataset s3://a is updated");
        assertThat(ScheduleDescriber.describe(new Schedule.Datasets(
                        List.of("s3://a", "s3://b", "s3://c"),
                        new DatasetCondition.Any(List.of(
                                new DatasetCondition.All(List.of(
                                        new DatasetCondition.Uri("s3://a"), new DatasetCondition.Uri("s3://b"))),
                                new DatasetCondition.Uri("s3://c"))))))
                .isEqualTo("when datasets ((s3://a & s3://b) | s3://c) are updated");
        assertThat(ScheduleDescriber.describe(new Schedule.Cron("0 * * * *", "@hourly")))
                .isNotBlank()
                .doesNotStartWith("cron ");
    }

    @Test
    void describesAirflowsTimetables() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        String sixAm = ScheduleDescriber.describe(new Schedule.Cron("0 6 * * *", null));

        assertThat(ScheduleDescriber.describe(new Schedule.Cron("0 6 * * *", null, paris)))
                .isEqualTo(sixAm + " (Europe/Paris)");
        // a cron without its own zone runs in the DAG's, and says so
        assertThat(ScheduleDescriber.describe(new Schedule.Cron("0 6 * * *", null), ZoneId.of("UTC")))
                .isEqualTo(sixAm + " (UTC)");
        assertThat(ScheduleDescriber.describe(new Schedule.Cron("0 6 * * *", null), paris))
                .isEqualTo(sixAm + " (Europe/Paris)");
        assertThat(ScheduleDescriber.describe(
                        new Schedule.CronTrigger(List.of("0 6 * * *"), paris, Duration.ofHours(1), false, null)))
                .isEqualTo(sixAm + " (Europe/Paris), each run covering the hour before it");
        assertThat(ScheduleDescriber.describe(new Schedule.DeltaTrigger(Duration.ofMinutes(30), Duration.ZERO)))
                .isEqualTo("every 30 minutes");
        assertThat(ScheduleDescriber.describe(new Schedule.Events(
                        List.of(Instant.parse("2024-03-02T14:00:00Z"), Instant.parse("2024-03-01T08:00:00Z")),
                        false,
                        null)))
                .isEqualTo("2 events between 2024-03-01T08:00:00Z and 2024-03-02T14:00:00Z");
        assertThat(ScheduleDescriber.describe(new Schedule.Events(List.of(), false, "Baseball games")))
                .isEqualTo("Baseball games");
        assertThat(ScheduleDescriber.describe(new Schedule.DatasetsOrTime(
                        List.of("s3://a"), new Schedule.DeltaTrigger(Duration.ofHours(1), Duration.ZERO))))
                .isEqualTo("every hour, or when dataset s3://a is updated");
    }
}
