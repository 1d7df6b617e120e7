package dev.gust.core.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import dev.gust.core.text.NameSuggester;

/**
 * The scope a template renders in; it reports an unknown filter ({@code {{ ds | dss }}}),
 * which Jinjava otherwise renders silently as an empty string.
 */
final class FilterCheckingContext extends Context {

    FilterCheckingContext(Context parent) {
        super(parent);
    }

    @Override
    public Filter getFilter(String name) {
        Filter filter = super.getFilter(name);
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        if (filter == null && interpreter != null) {
            interpreter.addError(new TemplateError(
                    TemplateError.ErrorType.FATAL,
                    TemplateError.ErrorReason.UNKNOWN,
                    TemplateError.ErrorItem.FILTER,
                    "unknown filter '" + name + "'"
                            + NameSuggester.hint(
                                    name,
                                    getAllFilters().stream()
                                            .map(Filter::getName)
                                            .toList()),
                    name,
                    interpreter.getLineNumber(),
                    interpreter.getPosition(),
                    null));
        }
        return filter;
    }
}
