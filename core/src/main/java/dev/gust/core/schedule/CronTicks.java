package dev.gust.core.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The instants at which a 5-field cron expression fires in a time zone. cron-utils finds the
 * matching wall-clock times (evaluated as if in UTC, so that its own DST handling never applies),
 * and this class turns them into instants the way Airflow does with croniter:
 * <ul>
 * <li>an expression whose hour field is {@code *} fires at every instant whose wall-clock time
 * matches, so {@code 30 * * * *} fires twice in the repeated hour when clocks go back and an
 * hourly DAG keeps one run per real hour through both DST changes;</li>
 * <li>any other expression fires once per matching wall-clock time: a time skipped when clocks go
 * forward fires as much later as the clocks jumped ({@code 0 2 * * *} in Europe/Paris fires at
 * 03:00 CEST that day), and a time that occurs twice fires at its second occurrence (Airflow's
 * {@code make_aware} sets {@code fold=1}).</li>
 * </ul>
 */
final class CronTicks {

    // Longer than any change of UTC offset a zone makes at once, so searching this far around a
    // time finds every wall-clock time that can map to an instant next to it.
    private static final Duration REACH = Duration.ofHours(3);
    private static final Set<String> EVERY_HOUR = Set.of("*", "*/1", "0-23", "0-23/1");

    private final ExecutionTime executionTime;
    private final ZoneId zone;
    private final ZoneRules rules;
    private final boolean everyHour;

    CronTicks(String expression, ZoneId zone) {
        CronParser parser = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
        this.executionTime = ExecutionTime.forCron(parser.parse(expression));
        this.zone = zone;
        this.rules = zone.getRules();
        String[] fields = expression.trim().split("\\s+");
        this.everyHour = fields.length > 1 && EVERY_HOUR.contains(fields[1]);
    }

    /** The first tick strictly after {@code instant}; empty if the expression never fires again. */
    Optional<Instant> next(Instant instant) {
        LocalDateTime wallClock = wallClock(instant);
        Optional<LocalDateTime> candidate = wallClockAfter(wallClock);
        if (candidate.isEmpty()) {
            return Optional.empty();
        }
        List<Instant> simple = instantsOf(candidate.get());
        ZoneOffsetTransition transition = rules.nextTransition(instant.minus(REACH));
        if (simple.size() == 1
                && (transition == null
                        || transition.getInstant().isAfter(simple.getFirst().plus(REACH)))) {
            return Optional.of(simple.getFirst());
        }
        return nextNearTransition(instant);
    }

    /** The last tick strictly before {@code instant}; empty if the expression never fired before. */
    Optional<Instant> previous(Instant instant) {
        LocalDateTime wallClock = wallClock(instant);
        Optional<LocalDateTime> candidate = wallClockBefore(wallClock);
        if (candidate.isEmpty()) {
            return Optional.empty();
        }
        List<Instant> simple = instantsOf(candidate.get());
        ZoneOffsetTransition transition =
                rules.previousTransition(instant.plus(REACH).plusSeconds(1));
        if (simple.size() == 1
                && (transition == null
                        || transition.getInstant().isBefore(simple.getFirst().minus(REACH)))) {
            return Optional.of(simple.getFirst());
        }
        return previousNearTransition(instant);
    }

    /** The first tick at or after {@code instant}. */
    Optional<Instant> atOrAfter(Instant instant) {
        return next(instant.minusNanos(1));
    }

    /** The last tick at or before {@code instant}. */
    Optional<Instant> atOrBefore(Instant instant) {
        return previous(instant.plusNanos(1));
    }

    // Near a change of offset, wall-clock order and instant order can differ (a skipped 02:30
    // fires after a real 03:00), so every wall-clock time within reach is a candidate.
    private Optional<Instant> nextNearTransition(Instant instant) {
        Instant best = null;
        LocalDateTime wallClock = wallClock(instant).minus(REACH);
        while (true) {
            Optional<LocalDateTime> candidate = wallClockAfter(wallClock);
            if (candidate.isEmpty()) {
                break;
            }
            wallClock = candidate.get();
            if (best != null && wallClock.isAfter(wallClock(best).plus(REACH))) {
                break;
            }
            for (Instant tick : instantsOf(wallClock)) {
                if (tick.isAfter(instant) && (best == null || tick.isBefore(best))) {
                    best = tick;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private Optional<Instant> previousNearTransition(Instant instant) {
        Instant best = null;
        LocalDateTime wallClock = wallClock(instant).plus(REACH);
        while (true) {
            Optional<LocalDateTime> candidate = wallClockBefore(wallClock);
            if (candidate.isEmpty()) {
                break;
            }
            wallClock = candidate.get();
            if (best != null && wallClock.isBefore(wallClock(best).minus(REACH))) {
                break;
            }
            for (Instant tick : instantsOf(wallClock)) {
                if (tick.isBefore(instant) && (best == null || tick.isAfter(best))) {
                    best = tick;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private List<Instant> instantsOf(LocalDateTime wallClock) {
        if (everyHour) {
            return rules.getValidOffsets(wallClock).stream()
                    .map(offset -> wallClock.toInstant(offset))
                    .sorted()
                    .toList();
        }
        return List.of(ZonedDateTime.ofLocal(wallClock, zone, null)
                .withLaterOffsetAtOverlap()
                .toInstant());
    }

    private LocalDateTime wallClock(Instant instant) {
        return LocalDateTime.ofInstant(instant, zone);
    }

    private Optional<LocalDateTime> wallClockAfter(LocalDateTime wallClock) {
        return executionTime.nextExecution(wallClock.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
    }

    private Optional<LocalDateTime> wallClockBefore(LocalDateTime wallClock) {
        return executionTime.lastExecution(wallClock.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
    }
}
