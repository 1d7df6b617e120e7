package dev.gust.webserver.ui;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out a DAG's tasks for the graph view: a task's column is the length of the longest path
 * from a root to it (so every edge points right), and within a column tasks are ordered by the
 * average row of their upstreams (one barycentre pass, enough to keep most edges short). The
 * result is coordinates only; the template draws it as SVG.
 */
public final class GraphLayout {

    static final int NODE_WIDTH = 170;
    static final int NODE_HEIGHT = 34;
    static final int COLUMN_GAP = 60;
    static final int ROW_GAP = 18;
    static final int MARGIN = 10;

    /** A task's box. */
    public record Node(String taskId, String operator, int x, int y, String state, String href) {

        /** Longest label that fits a box; longer task ids are cut (the full id is in the tooltip). */
        static final int MAX_LABEL = 22;

        public String label() {
            return taskId.length() <= MAX_LABEL ? taskId : taskId.substring(0, MAX_LABEL - 1) + "…";
        }

        public int textX() {
            return x + 8;
        }

        public int textY() {
            return y + 21;
        }
    }

    /** An edge from the right middle of one box to the left middle of another, as an SVG path. */
    public record Edge(String from, String to, String path) {}

    public record Graph(List<Node> nodes, List<Edge> edges, int width, int height) {}

    private GraphLayout() {}

    /**
     * @param states state of each task in the selected run (absent: no state)
     * @param hrefs link of each task's box (absent: none)
     */
    public static Graph layout(Dag dag, Map<String, String> states, Map<String, String> hrefs) {
        Map<String, Integer> layer = new HashMap<>();
        for (TaskSpec task : dag.tasks()) {
            layerOf(dag, task.taskId(), layer);
        }
        int layers = layer.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        List<List<String>> columns = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            columns.add(new ArrayList<>());
        }
        for (TaskSpec task : dag.tasks()) {
            columns.get(layer.get(task.taskId())).add(task.taskId());
        }
        Map<String, Integer> row = new HashMap<>();
        for (List<String> column : columns) {
            List<String> ordered = new ArrayList<>(column);
            Map<String, Double> fileOrder = new HashMap<>();
            for (int i = 0; i < column.size(); i++) {
                fileOrder.put(column.get(i), (double) i);
            }
            ordered.sort(Comparator.comparingDouble(id -> dag.task(id).orElseThrow().upstream().stream()
                    .filter(row::containsKey)
                    .mapToInt(row::get)
                    .average()
                    .orElse(fileOrder.get(id))));
            for (int i = 0; i < ordered.size(); i++) {
                row.put(ordered.get(i), i);
            }
        }
        List<Node> nodes = new ArrayList<>();
        Map<String, Node> byId = new HashMap<>();
        for (TaskSpec task : dag.tasks()) {
            int x = MARGIN + layer.get(task.taskId()) * (NODE_WIDTH + COLUMN_GAP);
            int y = MARGIN + row.get(task.taskId()) * (NODE_HEIGHT + ROW_GAP);
            Node node = new Node(
                    task.taskId(),
                    task.operator(),
                    x,
                    y,
                    states.getOrDefault(task.taskId(), "none"),
                    hrefs.get(task.taskId()));
            nodes.add(node);
            byId.put(task.taskId(), node);
        }
        List<Edge> edges = new ArrayList<>();
        for (TaskSpec task : dag.tasks()) {
            Node to = byId.get(task.taskId());
            for (String upstream : task.upstream()) {
                Node from = byId.get(upstream);
                if (from == null) {
                    continue;
                }
                int x1 = from.x() + NODE_WIDTH;
                int y1 = from.y() + NODE_HEIGHT / 2;
                int x2 = to.x();
                int y2 = to.y() + NODE_HEIGHT / 2;
                int mid = (x1 + x2) / 2;
                edges.add(new Edge(
                        upstream,
                        task.taskId(),
                        "M%d %d C%d %d %d %d %d %d".formatted(x1, y1, mid, y1, mid, y2, x2 - 4, y2)));
            }
        }
        int maxRows = columns.stream().mapToInt(List::size).max().orElse(0);
        int width = 2 * MARGIN + Math.max(1, layers) * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP;
        int height = 2 * MARGIN + Math.max(1, maxRows) * (NODE_HEIGHT + ROW_GAP) - ROW_GAP;
        return new Graph(nodes, edges, width, height);
    }

    /** Longest path from a root; the loader rejected cycles, so the recursion ends. */
    private static int layerOf(Dag dag, String taskId, Map<String, Integer> layer) {
        Integer known = layer.get(taskId);
        if (known != null) {
            return known;
        }
        int result = 0;
        for (String upstream : dag.task(taskId).map(TaskSpec::upstream).orElse(List.of())) {
            if (dag.task(upstream).isPresent()) {
                result = Math.max(result, layerOf(dag, upstream, layer) + 1);
            }
        }
        layer.put(taskId, result);
        return result;
    }
}
