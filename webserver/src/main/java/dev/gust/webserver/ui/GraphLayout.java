package dev.gust.webserver.ui;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.state.TaskGroupState;
import dev.gust.core.state.TaskState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Lays out a DAG's tasks for the graph view. Each level of the {@link TaskTree} is laid out on
 * its own: a unit's layer is the length of the longest path to it from the level's first units
 * (so most edges point the DAG's way: its {@code orientation}, Airflow's graph direction, left to
 * right unless set), and within a layer units are ordered by the average place of their upstreams
 * (one barycentre pass). Layers follow one another along the main axis (x for LR and RL, y for TB
 * and BT); a reversed direction (RL, BT) mirrors each level within its own extent, so an open
 * group's frame keeps its name on top. A closed task group is one box like a task, coloured by its
 * aggregate state; an open one is a frame around its own level's layout. Edges join the boxes
 * drawn, so an edge into a closed group ends at the group. The result is coordinates only; the
 * template draws it as SVG.
 */
public final class GraphLayout {

    static final int NODE_WIDTH = 170;
    static final int NODE_HEIGHT = 34;
    static final int COLUMN_GAP = 60;
    static final int ROW_GAP = 18;
    static final int MARGIN = 10;
    /** Space inside an open group's frame around its content, and above it for the group's name. */
    static final int GROUP_PADDING = 12;

    static final int GROUP_HEADER = 22;

    /** A box: a task, or a closed group ({@code group} true, {@code href} then opens it). */
    public record Node(
            String taskId,
            String label,
            String operator,
            int x,
            int y,
            String state,
            String href,
            boolean group,
            String tooltip,
            String fill,
            String textColor) {

        /** Longest label that fits a box; longer ones are cut (the full id is in the tooltip). */
        static final int MAX_LABEL = 22;

        public String shortLabel() {
            return label.length() <= MAX_LABEL ? label : label.substring(0, MAX_LABEL - 1) + "…";
        }

        public int textX() {
            return x + 8;
        }

        public int textY() {
            return y + 21;
        }
    }

    /** The frame of an open group; {@code href} closes it. */
    public record Frame(
            String groupId,
            String label,
            String tooltip,
            int x,
            int y,
            int width,
            int height,
            String href,
            String fill,
            String textColor) {

        public int textX() {
            return x + 8;
        }

        public int textY() {
            return y + 16;
        }
    }

    /** An edge from the side of one box facing downstream to the facing side of another, as an SVG path. */
    public record Edge(String from, String to, String path) {}

    /** {@code orientation} is the direction drawn: LR, TB, RL or BT. */
    public record Graph(
            List<Node> nodes, List<Frame> frames, List<Edge> edges, int width, int height, String orientation) {}

    /** Airflow's graph directions: layers along x or y, in increasing or decreasing order. */
    enum Direction {
        LR(false, false),
        TB(true, false),
        RL(false, true),
        BT(true, true);

        final boolean vertical;
        final boolean reversed;

        Direction(boolean vertical, boolean reversed) {
            this.vertical = vertical;
            this.reversed = reversed;
        }

        /** The DAG's orientation; the loader validated it, so anything else is the default LR. */
        static Direction of(String orientation) {
            for (Direction direction : values()) {
                if (direction.name().equals(orientation)) {
                    return direction;
                }
            }
            return LR;
        }
    }

    /** A unit of one level placed relative to the level's corner; {@code inner} for an open group. */
    private record Placed(TaskTree.Item item, int x, int y, Block inner) {}

    private record Block(List<Placed> placed, int width, int height) {}

    private final Dag dag;
    private final Direction direction;
    private final TaskTree tree;
    private final Set<String> expanded;
    private final Map<String, String> states;
    private final Map<String, String> hrefs;
    private final Function<String, String> toggleHref;

    private GraphLayout(
            Dag dag,
            Set<String> expanded,
            Map<String, String> states,
            Map<String, String> hrefs,
            Function<String, String> toggleHref) {
        this.dag = dag;
        this.direction = Direction.of(dag.orientation());
        this.tree = TaskTree.of(dag);
        this.expanded = expanded;
        this.states = states;
        this.hrefs = hrefs;
        this.toggleHref = toggleHref;
    }

    /**
     * @param states state of each task in the selected run (absent: no state)
     * @param hrefs link of each task's box (absent: none)
     * @param expanded ids of the open groups; the others are drawn closed
     * @param toggleHref the link that opens a closed group or closes an open one
     */
    public static Graph layout(
            Dag dag,
            Map<String, String> states,
            Map<String, String> hrefs,
            Set<String> expanded,
            Function<String, String> toggleHref) {
        return new GraphLayout(dag, expanded, states, hrefs, toggleHref).layout();
    }

    private Graph layout() {
        Block block = block(tree.top());
        List<Node> nodes = new ArrayList<>();
        List<Frame> frames = new ArrayList<>();
        flatten(block, MARGIN, MARGIN, nodes, frames);
        Map<String, Node> byId = new HashMap<>();
        nodes.forEach(node -> byId.put(node.taskId(), node));
        List<Edge> edges = new ArrayList<>();
        Set<String> drawn = new HashSet<>();
        for (TaskSpec task : dag.tasks()) {
            Node to = byId.get(tree.visibleNode(task.taskId(), expanded));
            for (String upstream : task.upstream()) {
                Node from = byId.get(tree.visibleNode(upstream, expanded));
                if (from == null || to == null || from == to || !drawn.add(from.taskId() + "\n" + to.taskId())) {
                    continue;
                }
                edges.add(edge(from, to));
            }
        }
        int width = 2 * MARGIN + Math.max(block.width(), NODE_WIDTH);
        int height = 2 * MARGIN + Math.max(block.height(), NODE_HEIGHT);
        return new Graph(nodes, frames, edges, width, height, direction.name());
    }

    /** A curve leaving and entering the boxes along the main axis; it stops short for the arrow head. */
    private Edge edge(Node from, Node to) {
        String path;
        if (direction.vertical) {
            int x1 = from.x() + NODE_WIDTH / 2;
            int x2 = to.x() + NODE_WIDTH / 2;
            int y1 = direction.reversed ? from.y() : from.y() + NODE_HEIGHT;
            int y2 = direction.reversed ? to.y() + NODE_HEIGHT + 4 : to.y() - 4;
            int mid = (y1 + y2) / 2;
            path = "M%d %d C%d %d %d %d %d %d".formatted(x1, y1, x1, mid, x2, mid, x2, y2);
        } else {
            int y1 = from.y() + NODE_HEIGHT / 2;
            int y2 = to.y() + NODE_HEIGHT / 2;
            int x1 = direction.reversed ? from.x() : from.x() + NODE_WIDTH;
            int x2 = direction.reversed ? to.x() + NODE_WIDTH + 4 : to.x() - 4;
            int mid = (x1 + x2) / 2;
            path = "M%d %d C%d %d %d %d %d %d".formatted(x1, y1, mid, y1, mid, y2, x2, y2);
        }
        return new Edge(from.taskId(), to.taskId(), path);
    }

    /** Lays out one level: its units in layers, an open group's content laid out first. */
    private Block block(List<TaskTree.Item> items) {
        int count = items.size();
        Map<String, Integer> unitOf = new HashMap<>();
        List<Block> inner = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            TaskTree.Item item = items.get(i);
            switch (item) {
                case TaskTree.Task task -> {
                    unitOf.put(task.spec().taskId(), i);
                    inner.add(null);
                }
                case TaskTree.Group group -> {
                    for (String id : group.taskIds()) {
                        unitOf.put(id, i);
                    }
                    inner.add(expanded.contains(group.group().groupId()) ? block(group.children()) : null);
                }
            }
        }
        List<Set<Integer>> upstreamUnits = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            upstreamUnits.add(new LinkedHashSet<>());
        }
        for (Map.Entry<String, Integer> unit : unitOf.entrySet()) {
            for (String upstream :
                    dag.task(unit.getKey()).map(TaskSpec::upstream).orElse(List.of())) {
                Integer from = unitOf.get(upstream);
                if (from != null && !from.equals(unit.getValue())) {
                    upstreamUnits.get(unit.getValue()).add(from);
                }
            }
        }
        int[] layer = new int[count];
        java.util.Arrays.fill(layer, -1);
        for (int i = 0; i < count; i++) {
            layerOf(i, upstreamUnits, layer, new HashSet<>());
        }
        int layers = java.util.Arrays.stream(layer).max().orElse(-1) + 1;
        List<List<Integer>> columns = new ArrayList<>();
        for (int c = 0; c < layers; c++) {
            columns.add(new ArrayList<>());
        }
        for (int i = 0; i < count; i++) {
            columns.get(layer[i]).add(i);
        }
        // main: along the layers (the direction of the edges); cross: along one layer
        Map<Integer, Integer> row = new HashMap<>();
        List<Integer> order = new ArrayList<>(count);
        int[] mainOf = new int[count];
        int[] crossOf = new int[count];
        int main = 0;
        int crossExtent = 0;
        for (List<Integer> column : columns) {
            List<Integer> ordered = new ArrayList<>(column);
            ordered.sort(Comparator.comparingDouble(unit -> upstreamUnits.get(unit).stream()
                    .filter(row::containsKey)
                    .mapToInt(row::get)
                    .average()
                    .orElse(column.indexOf(unit))));
            int cross = 0;
            int layerDepth = 0;
            for (int r = 0; r < ordered.size(); r++) {
                int unit = ordered.get(r);
                row.put(unit, r);
                order.add(unit);
                mainOf[unit] = main;
                crossOf[unit] = cross;
                cross += crossSize(inner.get(unit)) + siblingGap();
                layerDepth = Math.max(layerDepth, mainSize(inner.get(unit)));
            }
            crossExtent = Math.max(crossExtent, cross - siblingGap());
            main += layerDepth + COLUMN_GAP;
        }
        int mainExtent = Math.max(0, main - COLUMN_GAP);
        List<Placed> placed = new ArrayList<>(count);
        for (int unit : order) {
            Block content = inner.get(unit);
            int at = direction.reversed ? mainExtent - mainOf[unit] - mainSize(content) : mainOf[unit];
            placed.add(
                    direction.vertical
                            ? new Placed(items.get(unit), crossOf[unit], at, content)
                            : new Placed(items.get(unit), at, crossOf[unit], content));
        }
        return direction.vertical
                ? new Block(placed, crossExtent, mainExtent)
                : new Block(placed, mainExtent, crossExtent);
    }

    /** Gap between neighbours in one layer: boxes side by side (TB, BT) need more than stacked ones. */
    private int siblingGap() {
        return direction.vertical ? COLUMN_GAP / 2 : ROW_GAP;
    }

    private int mainSize(Block content) {
        return direction.vertical ? unitHeight(content) : unitWidth(content);
    }

    private int crossSize(Block content) {
        return direction.vertical ? unitWidth(content) : unitHeight(content);
    }

    /** Longest path from a unit without upstreams; an edge back into the path (units of a level may loop) is ignored. */
    private static int layerOf(int unit, List<Set<Integer>> upstreamUnits, int[] layer, Set<Integer> path) {
        if (layer[unit] >= 0) {
            return layer[unit];
        }
        path.add(unit);
        int result = 0;
        for (int upstream : upstreamUnits.get(unit)) {
            if (!path.contains(upstream)) {
                result = Math.max(result, layerOf(upstream, upstreamUnits, layer, path) + 1);
            }
        }
        path.remove(unit);
        layer[unit] = result;
        return result;
    }

    private static int unitWidth(Block content) {
        return content == null ? NODE_WIDTH : Math.max(NODE_WIDTH, content.width()) + 2 * GROUP_PADDING;
    }

    private static int unitHeight(Block content) {
        return content == null ? NODE_HEIGHT : content.height() + GROUP_HEADER + 2 * GROUP_PADDING;
    }

    /** Turns a level's relative places into boxes and frames at absolute coordinates. */
    private void flatten(Block block, int originX, int originY, List<Node> nodes, List<Frame> frames) {
        for (Placed placed : block.placed()) {
            int x = originX + placed.x();
            int y = originY + placed.y();
            switch (placed.item()) {
                case TaskTree.Task task -> {
                    String id = task.spec().taskId();
                    nodes.add(new Node(
                            id,
                            task.label(),
                            task.spec().operator(),
                            x,
                            y,
                            states.getOrDefault(id, "none"),
                            hrefs.get(id),
                            false,
                            id + " (" + task.spec().operator() + ")",
                            null,
                            null));
                }
                case TaskTree.Group group -> {
                    String id = group.group().groupId();
                    String tooltip = group.group().tooltip() == null
                                    || group.group().tooltip().isBlank()
                            ? "task group " + id
                            : group.group().tooltip();
                    if (placed.inner() == null) {
                        nodes.add(new Node(
                                id,
                                group.group().label(),
                                "group",
                                x,
                                y,
                                state(group),
                                toggleHref.apply(id),
                                true,
                                tooltip,
                                group.group().uiColor(),
                                group.group().uiFgcolor()));
                    } else {
                        frames.add(new Frame(
                                id,
                                group.group().label(),
                                tooltip,
                                x,
                                y,
                                unitWidth(placed.inner()),
                                unitHeight(placed.inner()),
                                toggleHref.apply(id),
                                group.group().uiColor(),
                                group.group().uiFgcolor()));
                        flatten(placed.inner(), x + GROUP_PADDING, y + GROUP_HEADER + GROUP_PADDING, nodes, frames);
                    }
                }
            }
        }
    }

    /** The closed group's state in the selected run, by Airflow's rule. */
    private String state(TaskTree.Group group) {
        List<TaskState> taskStates = new ArrayList<>();
        for (String id : group.taskIds()) {
            String state = states.get(id);
            if (state != null) {
                TaskState.parse(state).ifPresent(taskStates::add);
            }
        }
        return TaskGroupState.of(taskStates).map(TaskState::dbName).orElse("none");
    }
}
