package dev.gust.core.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.DefaultFilter;
import java.util.List;
import java.util.Map;

/**
 * Jinja's {@code default} filter, made to work under Gust's strict undefined names:
 * {@code {{ params.x | default('y') }}} is how DAG authors say "x is optional", so the problem
 * the missing value just raised is withdrawn when {@code default} replaces it.
 */
final class LenientDefaultFilter extends DefaultFilter {

    @Override
    public Object filter(Object object, JinjavaInterpreter interpreter, Map<String, Object> parsedArgs) {
        if (object == null) {
            List<TemplateError> errors = interpreter.getErrorsCopy();
            if (!errors.isEmpty() && TemplateRenderer.isUndefinedVariable(errors.getLast())) {
                interpreter.removeLastError();
            } else if (RenderProblems.current() != null) {
                RenderProblems.current().forgetLast();
            }
        }
        return super.filter(object, interpreter, parsedArgs);
    }
}
