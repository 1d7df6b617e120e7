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

    private final Set<TemplateProblem> problems = new LinkedHashSet<>();

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
