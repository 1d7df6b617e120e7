package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's promise that teams add operators through the Java SPI, kept by a real
 * {@code gust}: a plugin jar, compiled here as a team would build it, joins the distribution's
 * class path through {@code GUST_CLASSPATH}; a DAG file that uses its operator by name and by its
 * class path then loads, and {@code gust dags test} runs both tasks through the plugin.
 */
class OperatorPluginIT {

    private static final String OPERATOR_SOURCE = """
            package acme.gust;

            import dev.gust.core.dag.operator.OperatorDefinition;
            import dev.gust.scheduler.operators.Operator;
            import dev.gust.scheduler.operators.OperatorArgs;
            import dev.gust.scheduler.operators.OperatorOutcome;
            import dev.gust.scheduler.operators.TaskRunContext;

            public final class GreetingOperator implements Operator {

                @Override
                public OperatorDefinition definition() {
                    return OperatorDefinition.builder("greeting")
                            .airflowClass("acme.operators.greeting.GreetingOperator")
                            .required("greet_name")
                            .build();
                }

                @Override
                public OperatorOutcome execute(TaskRunContext context) {
                    String name = OperatorArgs.of(context).requiredString("greet_name");
                    context.log().info("hello from a plugin, %s", name);
                    context.pushXcom("return_value", "greeted " + name);
                    return OperatorOutcome.success();
                }
            }
            """;

    private static final String DAG_FILE = """
            greetings:
              schedule: null
              start_date: 2024-01-01
              tasks:
                by_name:
                  operator: greeting
                  greet_name: "Gust on {{ ds }}"
                by_class_path:
                  operator: acme.operators.greeting.GreetingOperator
                  greet_name: Airflow
                  dependencies: [by_name]
            """;

    private static final String RUN_ID = "manual__2024-03-01T00:00:00+00:00";

    @TempDir
    Path home;

    @TempDir
    Path work;

    @Test
    void aPluginJarOnTheClassPathIsValidInDagFilesAndRuns() throws Exception {
        Path dags = Files.createDirectories(work.resolve("dags"));
        Files.writeString(dags.resolve("greetings.yaml"), DAG_FILE);
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());

        GustProcess.Result loadedWithout = GustProcess.run(env, "dags", "reserialize");
        assertThat(loadedWithout.stdout())
                .as(loadedWithout.all())
                .contains("0 DAGs (0 tasks)")
                .contains("2 import errors in 1 files");
        GustProcess.Result errorsWithout = GustProcess.run(env, "dags", "list-import-errors");
        assertThat(errorsWithout.stdout()).as(errorsWithout.all()).contains("uses unknown operator 'greeting'");

        env.put("GUST_CLASSPATH", pluginJar().toString());
        GustProcess.Result loaded = GustProcess.run(env, "dags", "reserialize");
        assertThat(loaded.exitCode()).as(loaded.all()).isZero();
        assertThat(loaded.stdout()).contains("1 DAGs (2 tasks)").contains("0 import errors");
        GustProcess.Result errors = GustProcess.run(env, "dags", "list-import-errors");
        assertThat(errors.exitCode()).as(errors.all()).isZero();

        GustProcess.Result test = GustProcess.run(env, "dags", "test", "greetings", "2024-03-01");
        assertThat(test.exitCode()).as(test.all()).isZero();
        assertThat(test.stdout()).contains("run " + RUN_ID + ": success").doesNotContain("failed");

        GustProcess.Result byName = GustProcess.run(env, "tasks", "log", "greetings", "by_name", RUN_ID);
        assertThat(byName.stdout()).as(byName.all()).contains("hello from a plugin, Gust on 2024-03-01");
        GustProcess.Result byClassPath = GustProcess.run(env, "tasks", "log", "greetings", "by_class_path", RUN_ID);
        assertThat(byClassPath.stdout()).as(byClassPath.all()).contains("hello from a plugin, Airflow");
        GustProcess.Result xcom = GustProcess.run(env, "tasks", "xcom", "greetings", RUN_ID);
        assertThat(xcom.stdout()).as(xcom.all()).contains("greeted Airflow");
    }

    /** The plugin as a team ships it: the operator's class and its META-INF/services entry in one jar. */
    private Path pluginJar() throws IOException {
        Path sources = Files.createDirectories(work.resolve("src/acme/gust"));
        Path source = Files.writeString(sources.resolve("GreetingOperator.java"), OPERATOR_SOURCE);
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac)
                .as("a JDK (not a JRE) runs the tests, with javax.tools' compiler")
                .isNotNull();
        int compiled = javac.run(
                null,
                null,
                null,
                "--release",
                "21",
                "-proc:none",
                "-cp",
                System.getProperty("java.class.path"),
                "-d",
                classes.toString(),
                source.toString());
        assertThat(compiled).as("compiling the plugin operator").isZero();
        Path jar = work.resolve("greeting-operator.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    add(out, classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                }
            }
            add(
                    out,
                    "META-INF/services/dev.gust.core.dag.operator.OperatorDeclaration",
                    "acme.gust.GreetingOperator\n".getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    private static void add(JarOutputStream jar, String name, byte[] content) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        jar.write(content);
        jar.closeEntry();
    }
}
