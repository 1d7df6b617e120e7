package dev.gust.core.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Problems found by Gust's own template objects (a missing Variable, an unknown params key)
 * while one string renders. Jinjava's resolvers swallow exceptions into warnings, so the
 * objects report here instead of throwing. One per render call, used by one thread.
 */
final class RenderProblems {

    private static final ThreadLocal<RenderProblems> CURRENT = new ThreadLocal<>();

    private final Set<TemplateProblem> problems = new LinkedHashSet<>();

    /** The problems of the render running on this thread, for filters, which are shared. */
    static RenderProblems current() {
        return CURRENT.get();
    }

    void enter() {
        CURRENT.set(this);
    }

    void leave() {
        CURRENT.remove();
    }

    /** The {@code default} filter forgives the missing value it replaces. */
    void forgetLast() {
        TemplateProblem last = null;
        for (TemplateProblem p : problems) {
            last = p;
        }
        if (last != null) {
            problems.remove(last);
        }
    }

    void report(String message) {
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        int line = interpreter == null ? 0 : interpreter.getLineNumber();
        int column = interpreter == null ? 0 : interpreter.getPosition();
        // a Set: Jinjava's map resolver asks a map twice for a key it lacks
        problems.add(new TemplateProblem(message, line, column));
    }

    List<TemplateProblem> drain() {
        List<TemplateProblem> drained = new ArrayList<>(problems);
        problems.clear();
        return drained;
    }
}
