package dev.gust.webserver.ui;

import dev.gust.core.schedule.RunType;
import dev.gust.core.state.DagRunState;
import dev.gust.core.store.views.RunGridQuery;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which runs the grid and the Runs tab show, from the page's address as Airflow's filters:
 * {@code runs} (how many), {@code base_date} (the newest logical date shown; a day means up to
 * its end), {@code state} and {@code run_type}. A value that is not one of the known ones is
 * ignored rather than refused, so an old bookmark still opens.
 */
public record RunFilter(int limit, DagRunState state, RunType runType, String baseDate, Instant before) {

    /** The states and run types the filters offer. */
    public static final List<String> STATES =
            Arrays.stream(DagRunState.values()).map(DagRunState::dbName).toList();

    public static final List<String> RUN_TYPES =
            Arrays.stream(RunType.values()).map(RunType::prefix).toList();

    static RunFilter of(Context ctx, String limitParam, int defaultLimit, int maxLimit) {
        int limit = Math.clamp(DagListPage.intParam(ctx, limitParam, defaultLimit), 1, maxLimit);
        DagRunState state = Arrays.stream(DagRunState.values())
                .filter(s -> s.dbName().equals(ctx.queryParam("state")))
                .findFirst()
                .orElse(null);
        RunType type =
                RunType.fromPrefix(String.valueOf(ctx.queryParam("run_type"))).orElse(null);
        String baseDate = ctx.queryParam("base_date");
        Instant before = null;
        if (baseDate != null && !baseDate.isBlank()) {
            try {
                String text = baseDate.trim();
                before = text.length() == 10
                        ? LocalDate.parse(text)
                                .plusDays(1)
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant()
                                .minusNanos(1000)
                        : RunActions.parseDate(text);
            } catch (RuntimeException e) {
                baseDate = null; // not a date: shown as if unset
            }
        } else {
            baseDate = null;
        }
        return new RunFilter(limit, state, type, baseDate == null ? "" : baseDate.trim(), before);
    }

    public String stateName() {
        return state == null ? "" : state.dbName();
    }

    public String runTypeName() {
        return runType == null ? "" : runType.prefix();
    }

    RunGridQuery.Filter gridFilter() {
        return new RunGridQuery.Filter(limit, state, runTypeName().isEmpty() ? null : runTypeName(), before);
    }

    /** The filters that differ from the defaults, as query parameters ({@code limitParam} first). */
    Map<String, String> params(String limitParam, int defaultLimit) {
        Map<String, String> params = new LinkedHashMap<>();
        if (limit != defaultLimit) {
            params.put(limitParam, String.valueOf(limit));
        }
        if (!baseDate.isEmpty()) {
            params.put("base_date", baseDate);
        }
        if (state != null) {
            params.put("state", stateName());
        }
        if (runType != null) {
            params.put("run_type", runTypeName());
        }
        return params;
    }

    /** {@link #params} as an encoded query string (no leading '?'). */
    static String query(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
