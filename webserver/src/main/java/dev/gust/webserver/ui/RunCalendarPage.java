package dev.gust.webserver.ui;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.schedule.DataInterval;
import dev.gust.core.schedule.TimeRestriction;
import dev.gust.core.schedule.Timetable;
import dev.gust.core.state.DagRunState;
import dev.gust.core.store.views.RunCalendarQuery;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The calendar tab (Airflow's Calendar view): a year of days, a week per column, each day coloured
 * by the state of its runs that matters most (failed, then running, then queued, then success),
 * days by their logical date in UTC; a day ahead on which the schedule will start a run is
 * "planned" (not while the DAG is paused). A day links to the DAG's runs up to it; the table under the
 * calendar lists the days that have runs, with their counts by state.
 */
public final class RunCalendarPage {

    static final int PLANNED_CAP = 2000;

    /** The order in which a day's runs colour it: trouble first, as Airflow's calendar. */
    static final List<DagRunState> PRIORITY =
            List.of(DagRunState.FAILED, DagRunState.RUNNING, DagRunState.QUEUED, DagRunState.SUCCESS);

    /**
     * One square: its day, the state it is coloured by ({@code none}: no run; {@code out}: a day of
     * the year before or after, drawn to fill the first and last week), its tooltip and link.
     */
    public record Day(LocalDate date, String state, String title, String href, int runs) {}

    /** A day with runs, for the table: its state and the counts by state in words. */
    public record DayRow(LocalDate date, String state, String counts) {}

    private final Pages pages;
    private final DagPage dagPage;
    private final RunCalendarQuery query;
    private final Clock clock;

    public RunCalendarPage(Pages pages, DagPage dagPage, WebServices services) {
        this.pages = pages;
        this.dagPage = dagPage;
        this.query = new RunCalendarQuery(services.jdbc());
        this.clock = services.clock();
    }

    public void show(Context ctx) {
        DagPage.Header header = dagPage.header(ctx);
        int thisYear = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).getYear();
        int year = Math.max(1970, Math.min(9999, DagListPage.intParam(ctx, "year", thisYear)));
        LocalDate first = LocalDate.of(year, 1, 1);
        LocalDate next = first.plusYears(1);
        Map<LocalDate, Map<String, Integer>> counts = new TreeMap<>();
        for (RunCalendarQuery.DayCount count : query.days(
                header.dag().dagId(),
                first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                next.atStartOfDay(ZoneOffset.UTC).toInstant())) {
            counts.computeIfAbsent(count.day(), d -> new TreeMap<>()).merge(count.state(), count.runs(), Integer::sum);
        }
        Set<LocalDate> planned = header.stored().paused()
                ? Set.of()
                : plannedDays(
                        header.dag(),
                        first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                        next.atStartOfDay(ZoneOffset.UTC).toInstant());
        LocalDate start = first.minusDays(first.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue());
        LocalDate end = next.minusDays(1);
        end = end.plusDays(DayOfWeek.SUNDAY.getValue() - end.getDayOfWeek().getValue());
        List<Day> days = new ArrayList<>();
        List<String> months = new ArrayList<>();
        for (LocalDate day = start; !day.isAfter(end); day = day.plusDays(1)) {
            if (day.getDayOfWeek() == DayOfWeek.MONDAY) {
                LocalDate sunday = day.plusDays(6);
                LocalDate firstOfMonth = sunday.withDayOfMonth(1);
                boolean starts = !firstOfMonth.isBefore(day) && firstOfMonth.getYear() == year;
                months.add(starts ? firstOfMonth.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH) : "");
            }
            if (day.getYear() != year) {
                days.add(new Day(day, "out", "", null, 0));
                continue;
            }
            Map<String, Integer> byState = counts.getOrDefault(day, Map.of());
            String state = byState.isEmpty() && planned.contains(day) ? "planned" : shownState(byState);
            int runs = byState.values().stream().mapToInt(Integer::intValue).sum();
            String title =
                    day + (runs > 0 ? ": " + words(byState) : state.equals("planned") ? ": planned" : ": no run");
            String href = runs == 0 ? null : header.base() + "/runs?base_date=" + day;
            days.add(new Day(day, state, title, href, runs));
        }
        List<DayRow> table = counts.entrySet().stream()
                .map(e -> new DayRow(e.getKey(), shownState(e.getValue()), words(e.getValue())))
                .toList();
        Map<String, Object> model = new HashMap<>();
        model.put("h", header);
        model.put("tab", "calendar");
        model.put("year", year);
        model.put("days", days);
        model.put("months", months);
        model.put("weeks", months.size());
        model.put("table", table);
        List<String> legend =
                new ArrayList<>(PRIORITY.stream().map(DagRunState::dbName).toList());
        legend.add("planned");
        model.put("legend", legend);
        pages.html(ctx, "dag_calendar", model);
    }

    /**
     * The days (UTC) in {@code [from, to)} on which the DAG's schedule will start a run, from now
     * on (Airflow's "planned"), at most {@link #PLANNED_CAP} runs ahead: a schedule of every
     * minute marks its next days, not a year of them.
     */
    private Set<LocalDate> plannedDays(Dag dag, Instant from, Instant to) {
        Instant earliest = latest(latest(from, clock.instant()), dag.startDate());
        Instant latest = dag.endDate() != null && dag.endDate().isBefore(to) ? dag.endDate() : to;
        Set<LocalDate> days = new HashSet<>();
        if (!earliest.isBefore(latest)) {
            return days;
        }
        Timetable timetable = Timetable.of(dag);
        TimeRestriction restriction = new TimeRestriction(earliest, latest, true);
        DataInterval last = null;
        for (int i = 0; i < PLANNED_CAP; i++) {
            Optional<DataInterval> interval = timetable.nextAfter(last, restriction, latest);
            if (interval.isEmpty()
                    || !interval.get().start().isBefore(latest)
                    || last != null && !interval.get().start().isAfter(last.start())) {
                break;
            }
            days.add(LocalDate.ofInstant(interval.get().start(), ZoneOffset.UTC));
            last = interval.get();
        }
        return days;
    }

    private static Instant latest(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }

    static String shownState(Map<String, Integer> byState) {
        return PRIORITY.stream()
                .map(DagRunState::dbName)
                .filter(byState::containsKey)
                .findFirst()
                .orElse("none");
    }

    private static String words(Map<String, Integer> byState) {
        return byState.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }
}
