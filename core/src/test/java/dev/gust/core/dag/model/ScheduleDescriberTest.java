package dev.gust.core.dag.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
        assertThat(ScheduleDescriber.describe(new Schedule.Cron("0 * * * *", "@hourly")))
                .isNotBlank()
                .doesNotStartWith("cron ");
    }
}
