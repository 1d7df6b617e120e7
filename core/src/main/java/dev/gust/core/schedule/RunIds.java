package dev.gust.core.schedule;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Run ids in Airflow's format, {@code <run type>__<logical date>} such as
 * {@code scheduled__2024-01-01T00:00:00+00:00}, so that scripts parsing Airflow run ids keep
 * working. The date is written like Python's {@code datetime.isoformat()} in UTC: microseconds
 * only when there are some, and {@code +00:00} rather than {@code Z}.
 */
public final class RunIds {

    private static final String SEPARATOR = "__";
    /**
     * Airflow's default {@code allowed_run_id_pattern}: what a client may choose as a run id. Run
     * ids reach templates ({@code {{ run_id }}}, often in bash commands), so they must not carry
     * anything a shell reads specially.
     */
    private static final java.util.regex.Pattern ALLOWED_CHOSEN =
            java.util.regex.Pattern.compile("[A-Za-z0-9_.~:+-]{1,250}");

    private static final DateTimeFormatter WHOLE_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MICROSECONDS = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true)
            .appendPattern("xxx")
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private RunIds() {}

    /** Why a run id chosen by a client is refused, or null when it may be used. */
    public static String problemWithChosen(String runId) {
        return ALLOWED_CHOSEN.matcher(runId).matches()
                ? null
                : "may only hold letters, digits and _ . ~ : + - (at most 250 characters, as Airflow's allowed_run_id_pattern)";
    }

    public static String generate(RunType type, Instant logicalDate) {
        return type.prefix() + SEPARATOR + isoformat(logicalDate);
    }

    public static String scheduled(Instant logicalDate) {
        return generate(RunType.SCHEDULED, logicalDate);
    }

    public static String manual(Instant logicalDate) {
        return generate(RunType.MANUAL, logicalDate);
    }

    public static String backfill(Instant logicalDate) {
        return generate(RunType.BACKFILL, logicalDate);
    }

    /** The type a run id was generated for; empty for ids users chose themselves. */
    public static Optional<RunType> typeOf(String runId) {
        int separator = runId.indexOf(SEPARATOR);
        return separator < 0 ? Optional.empty() : RunType.fromPrefix(runId.substring(0, separator));
    }

    /**
     * An instant as Python's {@code datetime.isoformat()} writes it in UTC, as Airflow writes every
     * date: {@code 2024-01-01T00:00:00+00:00}, with six digits of microseconds when there are some.
     */
    public static String isoformat(Instant instant) {
        // Python drops the fraction when it is zero, and Airflow keeps microseconds at most
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        return (micros.getNano() == 0 ? WHOLE_SECONDS : MICROSECONDS).format(micros);
    }
}
