package dev.gust.core.template;

/** One thing wrong with a template; line and column are 1-based, 0 when unknown. */
public record TemplateProblem(String message, int line, int column) {

    @Override
    public String toString() {
        if (line <= 0) {
            return message;
        }
        return message + " (line " + line + (column > 0 ? ", column " + column : "") + ")";
    }
}
