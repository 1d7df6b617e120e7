package dev.gust.core.template;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An operator argument could not be rendered: an undefined name, a missing Variable or
 * Connection, a syntax error. The message names the argument, every problem and where it is,
 * e.g. {@code argument 'bash_command': undefined variable 'dss'; did you mean 'ds'? (line 1, column 4)}.
 */
public final class TemplateException extends RuntimeException {

    private final String argument;
    private final List<TemplateProblem> problems;

    public TemplateException(String argument, List<TemplateProblem> problems) {
        super("argument '" + argument + "': "
                + problems.stream().map(TemplateProblem::toString).collect(Collectors.joining("; also ")));
        this.argument = argument;
        this.problems = List.copyOf(problems);
    }

    public String argument() {
        return argument;
    }

    public List<TemplateProblem> problems() {
        return problems;
    }
}
