package dev.gust.core.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.features.FeatureConfig;
import com.hubspot.jinjava.features.FeatureStrategies;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import dev.gust.core.Lazy;
import dev.gust.core.text.NameSuggester;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders operator arguments with Jinja (Jinjava) before a task runs, as Airflow does: strings
 * are rendered, lists and maps recursively (map keys are left alone), anything else is returned
 * as it is. Strings without <code>&#123;&#123;</code>, <code>&#123;%</code> or
 * <code>&#123;#</code> are returned without being parsed, which is most arguments.
 *
 * <p>Unlike Airflow's default, rendering is strict: an undefined name, a missing params key, a
 * missing Variable, Connection or XCom fails with a {@link TemplateException} naming the
 * argument. One instance serves every thread; each call gets its own bindings.
 */
public final class TemplateRenderer {

    private static final Pattern UNDEFINED = Pattern.compile("Undefined variable: '(.+)'");
    // Jinjava prefixes messages with exception class names, which say nothing to a DAG author
    private static final Pattern EXCEPTION_PREFIX = Pattern.compile("(?:[a-z]\\w*\\.)*[A-Z]\\w*Exception: ");

    /** A template that is one expression and nothing around it: <code>&#123;&#123; params.ids &#125;&#125;</code>. */
    private static final Pattern SINGLE_EXPRESSION =
            Pattern.compile("\\{\\{-?((?:(?!}}|\\{\\{|\\{%|\\{#).)*?)-?}}", Pattern.DOTALL);

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Built on the first render, not with the renderer: a Jinjava engine loads some 400 classes
     * (Jinjava, Guava, JUEL), a tenth of a second that a scheduler's or web server's start-up
     * would otherwise spend before its first template.
     */
    private final Lazy<Jinjava> jinjava = Lazy.of(TemplateRenderer::newJinjava);

    public TemplateRenderer() {}

    private static Jinjava newJinjava() {
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withFeatureConfig(FeatureConfig.newBuilder()
                        .add(JinjavaInterpreter.OUTPUT_UNDEFINED_VARIABLES_ERROR, FeatureStrategies.ACTIVE)
                        .build())
                // a Variable's value is data: "{{" inside it must not be rendered again
                .withNestedInterpretationEnabled(false)
                .withInterperterFactory(new InterpreterFactory() {
                    @Override
                    public JinjavaInterpreter newInstance(JinjavaInterpreter orig) {
                        return new JinjavaInterpreter(orig);
                    }

                    @Override
                    public JinjavaInterpreter newInstance(Jinjava application, Context context, JinjavaConfig config) {
                        return new JinjavaInterpreter(application, new FilterCheckingContext(context), config);
                    }
                })
                .build();
        Jinjava jinjava = new Jinjava(config);
        // no {% include %} / {% import %}: templates must not read files from the classpath
        jinjava.setResourceLocator((name, encoding, interpreter) -> {
            throw new IOException("templates cannot include other files ('" + name + "')");
        });
        AirflowDateFilters.all().forEach(jinjava::registerFilter);
        jinjava.registerFilter(new LenientDefaultFilter());
        ShellQuoteFilter.all().forEach(jinjava::registerFilter);
        return jinjava;
    }

    /**
     * Renders a value; when it is a map of arguments, problems are reported under each key's
     * path ({@code env.TARGET}, {@code args[2]}).
     */
    public Object render(Object value, TemplateContext ctx) {
        return new Render(ctx, false).value(value instanceof Map<?, ?> ? "" : "value", value);
    }

    /** Renders one named argument ({@code bash_command}); problems name it. */
    public Object render(String argument, Object value, TemplateContext ctx) {
        return new Render(ctx, false).value(argument, value);
    }

    /**
     * Renders one named argument with {@code extra} names beside the context's (a callback's
     * {@code exception} and {@code reason}); an extra name hides a context name of the same spelling.
     */
    public Object render(String argument, Object value, TemplateContext ctx, Map<String, Object> extra) {
        Render render = new Render(ctx, false);
        render.extra = extra;
        return render.value(argument, value);
    }

    /**
     * Renders one named argument as Airflow's {@code render_template_as_native_obj} does (Jinja's
     * {@code NativeEnvironment}): a template that is one expression whose value is a list, a
     * mapping, a number or a boolean gives that value itself; any other template's output that
     * spells a Python literal ({@code [1, 2]}, <code>&#123;'a': 1&#125;</code>, {@code 42},
     * {@code True}, {@code 'text'}) gives the literal's value; everything else stays text. Strings
     * that are not templates are left as they are, as in {@link #render(String, Object, TemplateContext)}.
     */
    public Object renderNative(String argument, Object value, TemplateContext ctx) {
        return new Render(ctx, true).value(argument, value);
    }

    private static Object json(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static boolean isUndefinedVariable(TemplateError error) {
        return error.getMessage() != null
                && UNDEFINED.matcher(error.getMessage()).matches();
    }

    /** True when a string must go through Jinja at all. */
    public static boolean isTemplate(String s) {
        return s.contains("{{") || s.contains("{%") || s.contains("{#");
    }

    /** The state of one render call: its bindings are built at the first template met. */
    private final class Render {
        private final TemplateContext ctx;
        private final boolean nativeObjects;
        private final RenderProblems problems = new RenderProblems();
        private Map<String, Object> bindings;
        private Map<String, Object> extra = Map.of();

        Render(TemplateContext ctx, boolean nativeObjects) {
            this.ctx = ctx;
            this.nativeObjects = nativeObjects;
        }

        Object value(String path, Object value) {
            return switch (value) {
                case String s -> nativeObjects && isTemplate(s) ? nativeValue(path, s) : string(path, s);
                case Map<?, ?> map -> {
                    Map<Object, Object> rendered = new LinkedHashMap<>();
                    map.forEach(
                            (k, v) -> rendered.put(k, value(path.isEmpty() ? String.valueOf(k) : path + "." + k, v)));
                    yield rendered;
                }
                case List<?> list -> {
                    List<Object> rendered = new ArrayList<>(list.size());
                    for (int i = 0; i < list.size(); i++) {
                        rendered.add(value(path + "[" + i + "]", list.get(i)));
                    }
                    yield rendered;
                }
                case null, default -> value;
            };
        }

        private String string(String path, String template) {
            if (!isTemplate(template)) {
                return template;
            }
            if (bindings == null) {
                bindings = TemplateBindings.of(ctx, problems);
                if (!extra.isEmpty()) {
                    bindings = new java.util.HashMap<>(bindings);
                    bindings.putAll(extra);
                }
            }
            RenderResult result;
            problems.enter();
            try {
                result = jinjava.get().renderForResult(template, bindings);
            } finally {
                problems.leave();
            }
            List<TemplateProblem> found = new ArrayList<>();
            for (TemplateError error : result.getErrors()) {
                found.add(problem(error));
            }
            found.addAll(problems.drain());
            if (!found.isEmpty()) {
                throw new TemplateException(path, found);
            }
            return result.getOutput();
        }

        private Object nativeValue(String path, String template) {
            String output = string(path, template);
            Matcher single = SINGLE_EXPRESSION.matcher(template);
            if (single.matches()) {
                // Jinja's native rendering returns a lone expression's value itself; Jinjava only
                // prints it, so its JSON form is taken when it prints the same: true for lists,
                // mappings, numbers and booleans, not for dates or other objects
                Object value = json(string(path, "{{ (" + single.group(1) + ") | tojson }}"));
                if (value != null
                        && !(value instanceof String)
                        && String.valueOf(value).equals(output)) {
                    return value;
                }
            }
            Optional<Object> literal = PythonLiteral.parse(output);
            if (literal.isEmpty()) {
                return output;
            }
            return PythonLiteral.isNone(literal.get()) ? null : literal.get();
        }

        private TemplateProblem problem(TemplateError error) {
            String message =
                    EXCEPTION_PREFIX.matcher(String.valueOf(error.getMessage())).replaceAll("");
            Matcher undefined = UNDEFINED.matcher(message);
            if (undefined.matches()) {
                String name = undefined.group(1);
                message = "undefined variable '" + name + "'" + NameSuggester.hint(name, bindings.keySet());
            }
            return new TemplateProblem(message, Math.max(0, error.getLineno()), Math.max(0, error.getStartPosition()));
        }
    }
}
