package dev.gust.webserver.ui;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.state.TaskGroupState;
import dev.gust.core.state.TaskState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Lays out a DAG's tasks for the graph view, layered as Sugiyama's method (what dagre and ELK do
 * in a browser; done here so the page is a picture without JavaScript). Each level of the
 * {@link TaskTree} is laid out on its own: a unit's layer is the length of the longest path to it
 * from the level's first units (so edges point the DAG's way: its {@code orientation}, Airflow's
 * graph direction, left to right unless set); an edge over several layers passes through a
 * reserved slot in each layer between (a dummy unit), so that no edge runs across a box; units
 * are ordered within their layer by a few sweeps of the average place of their neighbours, and
 * each layer is centred. An edge runs straight along the main axis inside a layer, in its own
 * unit's or dummy's slot, and curves only in the gaps between layers, where there are no boxes.
 * Labels wrap rather than being cut, and each box names its operator. A closed task group is one
 * box like a task, coloured by its aggregate state; an open one is a frame around its own level's
 * layout, and an edge between a task inside it and one outside ends at the frame, as Airflow's
 * graph joins a group's edges at its border. A reversed direction (RL, BT) mirrors each level
 * within its own extent, so an open group's frame keeps its name on top. The result is
 * coordinates only; the template draws it as SVG.
 */
public final class GraphLayout {

    static final int NODE_WIDTH = 180;
    /** Above the first line of a box's label, and below its operator. */
    static final int NODE_PADDING = 7;

    static final int LINE_HEIGHT = 15;
    /** A box with a one-line label: the label, then the operator. */
    static final int NODE_HEIGHT = 2 * NODE_PADDING + 2 * LINE_HEIGHT;
    /** Characters of a label that fit one line of a box. */
    static final int LINE_CHARS = 22;

    static final int COLUMN_GAP = 64;
    static final int ROW_GAP = 18;
    /** The slot an edge passing a layer takes in it. */
    static final int DUMMY_SIZE = 6;

    static final int MARGIN = 10;
    /** Space inside an open group's frame around its content, and above it for the group's name. */
    static final int GROUP_PADDING = 12;

    static final int GROUP_HEADER = 22;
    /** How far short of its box an edge stops, for the arrow head. */
    static final int ARROW = 4;

    private static final int SWEEPS = 4;

    /** A box: a task, or a closed group ({@code group} true, {@code href} then opens it). */
    public record Node(
            String taskId,
            String label,
            String operator,
            int x,
            int y,
            int width,
            int height,
            List<String> lines,
            String state,
            String href,
            boolean group,
            String tooltip,
            String fill,
            String textColor) {

        public int textX() {
            return x + 8;
        }

        /** The baseline of the label's first line. */
        public int textY() {
            return y + NODE_PADDING + LINE_HEIGHT - 3;
        }

        /** The baseline of the operator's line, under the label. */
        public int operatorY() {
            return textY() + lines.size() * LINE_HEIGHT;
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

    /**
     * An edge from the side of one box facing downstream to the facing side of another, as an SVG
     * path; between a task inside an open group and one outside it, the frame is the box.
     */
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

    /** A point of an edge; {@code curve}: the piece arriving here bends across a gap between layers. */
    private record Point(int x, int y, boolean curve) {}

    /** An edge of one level, relative to the level's corner. */
    private record Route(String from, String to, List<Point> points) {}

    /** A unit of one level placed relative to the level's corner; {@code inner} for an open group. */
    private record Placed(TaskTree.Item item, int x, int y, Block inner) {}

    private record Block(List<Placed> placed, List<Route> routes, int width, int height) {}

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
        List<Edge> edges = new ArrayList<>();
        flatten(block, MARGIN, MARGIN, nodes, frames, edges);
        int width = 2 * MARGIN + Math.max(block.width(), NODE_WIDTH);
        int height = 2 * MARGIN + Math.max(block.height(), NODE_HEIGHT);
        return new Graph(nodes, frames, edges, width, height, direction.name());
    }

    /** A label broken into lines of at most {@link #LINE_CHARS}, after a separator where it can. */
    static List<String> wrap(String label) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i <= label.length(); i++) {
            boolean end = i == label.length();
            if (!end) {
                word.append(label.charAt(i));
            }
            boolean cut = end || "_.-/ ".indexOf(label.charAt(i)) >= 0;
            if (!cut) {
                continue;
            }
            if (line.length() + word.length() > LINE_CHARS && !line.isEmpty()) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(word);
            word.setLength(0);
            while (line.length() > LINE_CHARS) {
                lines.add(line.substring(0, LINE_CHARS));
                line.delete(0, LINE_CHARS);
            }
        }
        if (!line.isEmpty() || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    static int nodeHeight(List<String> lines) {
        return 2 * NODE_PADDING + (lines.size() + 1) * LINE_HEIGHT;
    }

    /** The label a unit's box shows (its place in the tree left out: a group's frame says it). */
    private static String label(TaskTree.Item item) {
        return switch (item) {
            case TaskTree.Task task -> task.label();
            case TaskTree.Group group -> group.group().label();
        };
    }

    private static String unitId(TaskTree.Item item) {
        return switch (item) {
            case TaskTree.Task task -> task.spec().taskId();
            case TaskTree.Group group -> group.group().groupId();
        };
    }

    /**
     * Lays out one level: its units (an open group's content laid out first) in layers, with a
     * dummy slot wherever an edge passes a layer, then the edges between its units.
     */
    private Block block(List<TaskTree.Item> items) {
        int real = items.size();
        Map<String, Integer> unitOf = new HashMap<>();
        List<Block> inner = new ArrayList<>(real);
        List<Integer> widths = new ArrayList<>();
        List<Integer> heights = new ArrayList<>();
        for (int i = 0; i < real; i++) {
            TaskTree.Item item = items.get(i);
            Block content = null;
            switch (item) {
                case TaskTree.Task task -> unitOf.put(task.spec().taskId(), i);
                case TaskTree.Group group -> {
                    for (String id : group.taskIds()) {
                        unitOf.put(id, i);
                    }
                    content = expanded.contains(group.group().groupId()) ? block(group.children()) : null;
                }
            }
            inner.add(content);
            widths.add(content == null ? NODE_WIDTH : Math.max(NODE_WIDTH, content.width()) + 2 * GROUP_PADDING);
            heights.add(
                    content == null
                            ? nodeHeight(wrap(label(item)))
                            : content.height() + GROUP_HEADER + 2 * GROUP_PADDING);
        }
        // the edges between this level's units, each once, in the DAG's order
        List<Set<Integer>> upstreamUnits = new ArrayList<>(real);
        for (int i = 0; i < real; i++) {
            upstreamUnits.add(new LinkedHashSet<>());
        }
        List<int[]> unitEdges = new ArrayList<>();
        for (TaskSpec task : dag.tasks()) {
            Integer to = unitOf.get(task.taskId());
            if (to == null) {
                continue;
            }
            for (String upstream : task.upstream()) {
                Integer from = unitOf.get(upstream);
                if (from != null && !from.equals(to) && upstreamUnits.get(to).add(from)) {
                    unitEdges.add(new int[] {from, to});
                }
            }
        }
        int[] realLayer = new int[real];
        Arrays.fill(realLayer, -1);
        for (int i = 0; i < real; i++) {
            layerOf(i, upstreamUnits, realLayer, new HashSet<>());
        }
        int layers = Arrays.stream(realLayer).max().orElse(-1) + 1;
        // units 0..real-1 are the items, the rest dummies; each edge is a chain of units
        List<Integer> layer = new ArrayList<>();
        for (int l : realLayer) {
            layer.add(l);
        }
        List<List<Integer>> chains = new ArrayList<>(unitEdges.size());
        List<List<Integer>> before = new ArrayList<>();
        List<List<Integer>> after = new ArrayList<>();
        for (int i = 0; i < real; i++) {
            before.add(new ArrayList<>());
            after.add(new ArrayList<>());
        }
        for (int[] edge : unitEdges) {
            List<Integer> chain = new ArrayList<>();
            chain.add(edge[0]);
            for (int l = realLayer[edge[0]] + 1; l < realLayer[edge[1]]; l++) {
                layer.add(l);
                before.add(new ArrayList<>());
                after.add(new ArrayList<>());
                chain.add(layer.size() - 1);
            }
            chain.add(edge[1]);
            for (int c = 0; c + 1 < chain.size(); c++) {
                after.get(chain.get(c)).add(chain.get(c + 1));
                before.get(chain.get(c + 1)).add(chain.get(c));
            }
            chains.add(chain);
        }
        int units = layer.size();
        List<List<Integer>> columns = new ArrayList<>();
        for (int c = 0; c < layers; c++) {
            columns.add(new ArrayList<>());
        }
        for (int u = 0; u < units; u++) {
            columns.get(layer.get(u)).add(u);
        }
        double[] place = new double[units];
        for (List<Integer> column : columns) {
            for (int r = 0; r < column.size(); r++) {
                place[column.get(r)] = r;
            }
        }
        // ordering: sweeps down (by upstream places) and up (by downstream places)
        for (int sweep = 0; sweep < SWEEPS; sweep++) {
            boolean down = sweep % 2 == 0;
            for (int k = 0; k < layers; k++) {
                List<Integer> column = columns.get(down ? k : layers - 1 - k);
                List<List<Integer>> neighbours = down ? before : after;
                Map<Integer, Double> key = new HashMap<>();
                for (int u : column) {
                    key.put(
                            u,
                            neighbours.get(u).stream()
                                    .mapToDouble(n -> place[n])
                                    .average()
                                    .orElse(place[u]));
                }
                column.sort(Comparator.comparingDouble(key::get));
                for (int r = 0; r < column.size(); r++) {
                    place[column.get(r)] = r;
                }
            }
        }
        int[] mainSize = new int[units];
        int[] crossSize = new int[units];
        for (int u = 0; u < units; u++) {
            if (u < real) {
                mainSize[u] = direction.vertical ? heights.get(u) : widths.get(u);
                crossSize[u] = direction.vertical ? widths.get(u) : heights.get(u);
            } else {
                crossSize[u] = DUMMY_SIZE;
            }
        }
        int gap = siblingGap();
        int[] columnStart = new int[layers];
        int[] columnEnd = new int[layers];
        int crossExtent = 0;
        int[] layerCross = new int[layers];
        int main = 0;
        for (int c = 0; c < layers; c++) {
            int depth = 0;
            int cross = 0;
            for (int u : columns.get(c)) {
                depth = Math.max(depth, mainSize[u]);
                cross += crossSize[u] + gap;
            }
            layerCross[c] = Math.max(0, cross - gap);
            crossExtent = Math.max(crossExtent, layerCross[c]);
            columnStart[c] = main;
            columnEnd[c] = main + depth;
            main += depth + COLUMN_GAP;
        }
        int mainExtent = Math.max(0, main - COLUMN_GAP);
        int[] mainOf = new int[units];
        int[] crossOf = new int[units];
        for (int c = 0; c < layers; c++) {
            // each layer centred across the widest one
            int cross = (crossExtent - layerCross[c]) / 2;
            for (int u : columns.get(c)) {
                crossOf[u] = cross;
                mainOf[u] = columnStart[c] + (columnEnd[c] - columnStart[c] - mainSize[u]) / 2;
                cross += crossSize[u] + gap;
            }
        }
        List<Placed> placed = new ArrayList<>(real);
        for (List<Integer> column : columns) {
            for (int u : column) {
                if (u >= real) {
                    continue;
                }
                int at = direction.reversed ? mainExtent - mainOf[u] - mainSize[u] : mainOf[u];
                placed.add(
                        direction.vertical
                                ? new Placed(items.get(u), crossOf[u], at, inner.get(u))
                                : new Placed(items.get(u), at, crossOf[u], inner.get(u)));
            }
        }
        List<Route> routes = new ArrayList<>(chains.size());
        for (List<Integer> chain : chains) {
            int from = chain.getFirst();
            int to = chain.getLast();
            List<Point> points = new ArrayList<>();
            int centreFrom = crossOf[from] + crossSize[from] / 2;
            point(points, mainOf[from] + mainSize[from], centreFrom, false, mainExtent);
            if (layer.get(to) <= layer.get(from)) {
                // an edge back against the layers (units of one level may loop): drawn as it comes
                point(points, mainOf[to] - ARROW, crossOf[to] + crossSize[to] / 2, true, mainExtent);
            } else {
                if (columnEnd[layer.get(from)] > mainOf[from] + mainSize[from]) {
                    point(points, columnEnd[layer.get(from)], centreFrom, false, mainExtent);
                }
                for (int c = 1; c < chain.size(); c++) {
                    int unit = chain.get(c);
                    int column = layer.get(unit);
                    int centre = crossOf[unit] + crossSize[unit] / 2;
                    if (unit == to) {
                        if (mainOf[to] - ARROW > columnStart[column]) {
                            point(points, columnStart[column], centre, true, mainExtent);
                            point(points, mainOf[to] - ARROW, centre, false, mainExtent);
                        } else {
                            point(points, mainOf[to] - ARROW, centre, true, mainExtent);
                        }
                    } else {
                        point(points, columnStart[column], centre, true, mainExtent);
                        point(points, columnEnd[column], centre, false, mainExtent);
                    }
                }
            }
            routes.add(new Route(unitId(items.get(from)), unitId(items.get(to)), points));
        }
        return direction.vertical
                ? new Block(placed, routes, crossExtent, mainExtent)
                : new Block(placed, routes, mainExtent, crossExtent);
    }

    /** Adds a point given along the layers ({@code main}) and across them, mirrored and turned as drawn. */
    private void point(List<Point> points, int main, int cross, boolean curve, int mainExtent) {
        int along = direction.reversed ? mainExtent - main : main;
        points.add(direction.vertical ? new Point(cross, along, curve) : new Point(along, cross, curve));
    }

    /** Gap between neighbours in one layer: boxes side by side (TB, BT) need more than stacked ones. */
    private int siblingGap() {
        return direction.vertical ? COLUMN_GAP / 2 : ROW_GAP;
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

    /** An SVG path through the points, offset to the level's place; a curve bends along the layers' axis. */
    private String path(List<Point> points, int originX, int originY) {
        StringBuilder path = new StringBuilder();
        Point previous = null;
        for (Point point : points) {
            int x = originX + point.x();
            int y = originY + point.y();
            if (previous == null) {
                path.append('M').append(x).append(' ').append(y);
            } else if (!point.curve()) {
                path.append(" L").append(x).append(' ').append(y);
            } else {
                int px = originX + previous.x();
                int py = originY + previous.y();
                if (direction.vertical) {
                    int mid = (py + y) / 2;
                    path.append(" C%d %d %d %d %d %d".formatted(px, mid, x, mid, x, y));
                } else {
                    int mid = (px + x) / 2;
                    path.append(" C%d %d %d %d %d %d".formatted(mid, py, mid, y, x, y));
                }
            }
            previous = point;
        }
        return path.toString();
    }

    /** Turns a level's relative places into boxes, frames and edges at absolute coordinates. */
    private void flatten(
            Block block, int originX, int originY, List<Node> nodes, List<Frame> frames, List<Edge> edges) {
        for (Route route : block.routes()) {
            edges.add(new Edge(route.from(), route.to(), path(route.points(), originX, originY)));
        }
        for (Placed placed : block.placed()) {
            int x = originX + placed.x();
            int y = originY + placed.y();
            switch (placed.item()) {
                case TaskTree.Task task -> {
                    String id = task.spec().taskId();
                    List<String> lines = wrap(task.label());
                    nodes.add(new Node(
                            id,
                            task.label(),
                            task.spec().operator(),
                            x,
                            y,
                            NODE_WIDTH,
                            nodeHeight(lines),
                            lines,
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
                        List<String> lines = wrap(group.group().label());
                        nodes.add(new Node(
                                id,
                                group.group().label(),
                                "task group, " + group.taskIds().size() + " tasks",
                                x,
                                y,
                                NODE_WIDTH,
                                nodeHeight(lines),
                                lines,
                                state(group),
                                toggleHref.apply(id),
                                true,
                                tooltip,
                                group.group().uiColor(),
                                group.group().uiFgcolor()));
                    } else {
                        Block inner = placed.inner();
                        frames.add(new Frame(
                                id,
                                group.group().label(),
                                tooltip,
                                x,
                                y,
                                Math.max(NODE_WIDTH, inner.width()) + 2 * GROUP_PADDING,
                                inner.height() + GROUP_HEADER + 2 * GROUP_PADDING,
                                toggleHref.apply(id),
                                group.group().uiColor(),
                                group.group().uiFgcolor()));
                        flatten(inner, x + GROUP_PADDING, y + GROUP_HEADER + GROUP_PADDING, nodes, frames, edges);
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
