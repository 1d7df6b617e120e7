package dev.gust.webserver.ui;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which task groups a grid or graph page shows open, and the links that open or close one. The
 * open groups are in the page's address ({@code ?expanded=a&expanded=a.b}), so a link opens a
 * group without any script, and the grid's refresh while runs are active keeps them open. Groups
 * start closed, as in Airflow's grid and graph.
 */
public final class GroupToggles {

    static final String PARAM = "expanded";

    private final String path;
    private final Map<String, String> keep;
    private final List<String> groupIds;
    private final Set<String> expanded;

    /**
     * @param path the page's path
     * @param keep other query parameters its links keep (the run shown, how many runs)
     * @param groupIds the DAG's shown groups, outer ones first
     */
    GroupToggles(String path, Map<String, String> keep, List<String> groupIds, Context ctx) {
        this.path = path;
        this.keep = keep;
        this.groupIds = groupIds;
        this.expanded = new LinkedHashSet<>(ctx.queryParams(PARAM));
        this.expanded.retainAll(groupIds);
    }

    public boolean any() {
        return !groupIds.isEmpty();
    }

    public boolean isExpanded(String groupId) {
        return expanded.contains(groupId);
    }

    Set<String> expanded() {
        return expanded;
    }

    /** Ids of the open groups, for a form that must keep them. */
    public List<String> expandedIds() {
        return List.copyOf(expanded);
    }

    /** The page with {@code groupId} opened if it is closed, closed if it is open. */
    public String toggleHref(String groupId) {
        Set<String> next = new LinkedHashSet<>(expanded);
        if (!next.remove(groupId)) {
            next.add(groupId);
        }
        return href(next);
    }

    public String expandAllHref() {
        return href(new LinkedHashSet<>(groupIds));
    }

    public String collapseAllHref() {
        return href(Set.of());
    }

    private String href(Set<String> open) {
        String query = keep.entrySet().stream()
                        .map(e -> e.getKey() + "=" + encode(e.getValue()))
                        .collect(Collectors.joining("&"))
                + groupIds.stream()
                        .filter(open::contains)
                        .map(id -> "&" + PARAM + "=" + encode(id))
                        .collect(Collectors.joining());
        query = query.startsWith("&") ? query.substring(1) : query;
        return query.isEmpty() ? path : path + "?" + query;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
