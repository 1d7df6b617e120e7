package dev.gust.scheduler.operators.python;

import dev.gust.scheduler.operators.InvalidArgumentException;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.TaskRunContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The call a Python task makes, read from its rendered arguments: the callable (a dotted
 * {@code python_callable}, or dag-factory's {@code python_callable_name} in
 * {@code python_callable_file}, a relative file being resolved against the DAG folder), its
 * {@code op_args} and {@code op_kwargs}, the {@code templates_dict} the context carries, and the
 * interpreter when the task names its own ({@code python}, ExternalPythonOperator), and whether a
 * returned dict is pushed one XCom per key ({@code multiple_outputs}, a TaskFlow task's). The
 * XComs a TaskFlow task's arguments refer to are pulled here ({@link XComArguments}).
 */
public record PythonCall(
        String module,
        Path file,
        String function,
        List<Object> opArgs,
        Map<String, Object> opKwargs,
        Map<String, Object> templatesDict,
        boolean doXcomPush,
        String interpreter,
        boolean multipleOutputs) {

    public PythonCall {
        // JSON nulls are values here, which List.copyOf and Map.copyOf refuse.
        opArgs = opArgs == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(opArgs));
        opKwargs = opKwargs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(opKwargs));
    }

    /** The call {@code context}'s task makes, with the XComs its arguments refer to pulled. */
    @SuppressWarnings("unchecked") // XComArguments keeps a list a list and a map a map
    public static PythonCall fromArgs(TaskRunContext context) {
        OperatorArgs args = OperatorArgs.of(context);
        Object rawArgs = args.raw("op_args");
        if (rawArgs != null && !(rawArgs instanceof List<?>)) {
            throw new InvalidArgumentException("argument 'op_args' must be a list, got '" + rawArgs + "'");
        }
        List<Object> opArgs = rawArgs == null ? List.of() : (List<Object>) XComArguments.resolve(rawArgs, context);
        Map<String, Object> opKwargs = (Map<String, Object>) XComArguments.resolve(args.map("op_kwargs"), context);
        boolean multipleOutputs = args.bool("multiple_outputs", false);
        Map<String, Object> templatesDict = args.has("templates_dict") ? args.map("templates_dict") : null;
        boolean push = args.bool("do_xcom_push", true);
        if (args.has("python_callable_name")) {
            String name = args.requiredString("python_callable_name").strip();
            String fileText = args.string("python_callable_file")
                    .filter(s -> !s.isBlank())
                    .orElseThrow(() -> new InvalidArgumentException("python_callable_name '" + name
                            + "' needs python_callable_file, the .py file that defines it"));
            Path file = context.python().dagsFolder().resolve(fileText.strip()).normalize();
            return new PythonCall(
                    null, file, name, opArgs, opKwargs, templatesDict, push, interpreter(args), multipleOutputs);
        }
        String dotted = args.requiredString("python_callable").strip();
        int dot = dotted.lastIndexOf('.');
        if (dot <= 0 || dot == dotted.length() - 1) {
            throw new InvalidArgumentException("python_callable '" + dotted + "' must be a dotted path"
                    + " module.function (e.g. etl.extract.run), importable from the DAG folder or python.path;"
                    + " or name a function of a file with python_callable_name and python_callable_file");
        }
        return new PythonCall(
                dotted.substring(0, dot),
                null,
                dotted.substring(dot + 1),
                opArgs,
                opKwargs,
                templatesDict,
                push,
                interpreter(args),
                multipleOutputs);
    }

    /** ExternalPythonOperator's {@code python}: another interpreter than python.interpreter; null for that one. */
    private static String interpreter(OperatorArgs args) {
        return args.string("python")
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .orElse(null);
    }

    /** The same call whose return value is or is not meant for XCom (a sensor's bool is not). */
    public PythonCall withXcomPush(boolean push) {
        return new PythonCall(
                module, file, function, opArgs, opKwargs, templatesDict, push, interpreter, multipleOutputs);
    }

    /** The same call run by {@code interpreterPath} (a virtualenv's python) instead of python.interpreter. */
    public PythonCall withInterpreter(String interpreterPath) {
        return new PythonCall(
                module, file, function, opArgs, opKwargs, templatesDict, doXcomPush, interpreterPath, multipleOutputs);
    }

    /** The callable as the log names it. */
    public String describe() {
        return file != null ? function + " in " + file : module + "." + function;
    }

    /** The callable as the task runner reads it. */
    Map<String, Object> callableSpec() {
        Map<String, Object> spec = new LinkedHashMap<>();
        if (file != null) {
            spec.put("file", file.toString());
        } else {
            spec.put("module", module);
        }
        spec.put("name", function);
        return spec;
    }
}
