package dev.gust.webserver.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The UI's one formatter: every time says its zone and carries the instant for times.js; durations in words. */
class FmtTest {

    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    final Fmt fmt = new Fmt(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aTimeIsATimeElementInUtcThatSaysSo() {
        assertThat(fmt.when(Instant.parse("2024-01-31T06:00:00Z")).toString())
                .isEqualTo("<time class=\"ts\" datetime=\"2024-01-31T06:00:00Z\">2024-01-31 06:00:00 UTC</time>");
        assertThat(fmt.when(null).toString()).isEmpty();
        assertThat(fmt.utc(Instant.parse("2024-01-31T06:00:00Z"))).isEqualTo("2024-01-31 06:00:00 UTC");
    }

    @Test
    void relativeTimesCarryTheAbsoluteOneOnHover() {
        assertThat(fmt.ago(NOW.minusSeconds(180)).toString())
                .isEqualTo("<time class=\"ts ago\" datetime=\"2024-05-01T11:57:00Z\" title=\"2024-05-01 11:57:00 UTC\">"
                        + "3 min ago</time>");
        assertThat(fmt.relative(NOW.minusSeconds(3))).isEqualTo("just now");
        assertThat(fmt.relative(NOW.minusSeconds(45))).isEqualTo("45 s ago");
        assertThat(fmt.relative(NOW.minus(Duration.ofHours(5)))).isEqualTo("5 h ago");
        assertThat(fmt.relative(NOW.minus(Duration.ofDays(1)))).isEqualTo("1 day ago");
        assertThat(fmt.relative(NOW.plus(Duration.ofMinutes(20)))).isEqualTo("in 20 min");
    }

    @Test
    void durationsAreInWordsNeverIso() {
        assertThat(fmt.span(Duration.ofHours(2))).isEqualTo("2h 00m 00s").doesNotContain("PT");
        assertThat(fmt.span(Duration.ofMinutes(90))).isEqualTo("1h 30m 00s");
        assertThat(fmt.span(Duration.ofDays(3).plusHours(4))).isEqualTo("3d 04h 00m");
        assertThat(fmt.span(Duration.ofSeconds(42))).isEqualTo("42.0s");
        assertThat(fmt.span(null)).isEmpty();
        assertThat(fmt.duration(NOW.minusSeconds(125), null)).isEqualTo("2m 05s");
    }
}
