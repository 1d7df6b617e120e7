package dev.gust.scheduler.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.dag.load.DagFileParser;
import dev.gust.core.dag.load.DagFileResult;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorCatalog;
import dev.gust.core.dag.operator.OperatorDefinition;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorRegistryTest {

    @Test
    void everyBuiltInDeclarationHasItsImplementation() {
        OperatorRegistry registry = OperatorRegistry.load(OperatorCatalog.builtIn(), Clock.systemUTC());
        List<String> declared = BuiltInOperators.ALL.stream()
                .map(OperatorDefinition::name)
                .sorted()
                .toList();
        assertThat(registry.names()).isEqualTo(declared);
        for (OperatorDefinition definition : BuiltInOperators.ALL) {
            assertThat(registry.get(definition.name()).definition()).isSameAs(definition);
        }
    }

    @Test
    void anUnknownNameIsAClearError() {
        assertThatThrownBy(() -> OperatorRegistry.load().get("no_such_operator"))
                .isInstanceOf(UnknownOperatorException.class)
                .hasMessageStartingWith(
                        "no implementation of operator 'no_such_operator' on this scheduler; implemented: bash, bash_decorated, branch, branch_python, ecs_run_task,"
                                + " email, empty,");
    }

    @Test
    void findsPluginsThroughServiceLoader() throws Exception {
        Operator plugin = OperatorRegistry.load().get("greeting");
        FakeTaskRunContext context = FakeTaskRunContext.of("name", "Gust");
        assertThat(plugin.execute(context)).isEqualTo(new OperatorOutcome.Success());
        assertThat(context.logLines).containsExactly("hello from a plugin, Gust");
    }

    @Test
    void theDagParserAcceptsWhatTheRegistryRuns() {
        DagFileResult result = new DagFileParser().parse("plugin.yaml", """
                greet:
                  tasks:
                    by_name:
                      operator: greeting
                      name: Gust
                    by_class_path:
                      operator: acme.operators.greeting.GreetingOperator
                """);
        assertThat(result.errors()).isEmpty();
        assertThat(result.dags().getFirst().tasks())
                .extracting(TaskSpec::operator)
                .containsExactly("greeting", "greeting");
        assertThat(OperatorRegistry.load().get("greeting")).isInstanceOf(GreetingPluginOperator.class);
    }

    @Test
    void emptySucceeds() throws Exception {
        assertThat(OperatorRegistry.load().get("empty").execute(FakeTaskRunContext.of()))
                .isEqualTo(new OperatorOutcome.Success());
    }
}
