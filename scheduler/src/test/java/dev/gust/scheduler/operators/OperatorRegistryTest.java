package dev.gust.scheduler.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.dag.operator.OperatorCatalog;
import dev.gust.core.dag.operator.OperatorDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorRegistryTest {

    @Test
    void everyCatalogOperatorButEcsHasABuiltIn() {
        OperatorRegistry registry = OperatorRegistry.load();
        List<String> declared = OperatorCatalog.builtIn().all().stream().map(OperatorDefinition::name).sorted().toList();
        assertThat(registry.names()).containsAll(declared);
        assertThat(registry.get("bash").name()).isEqualTo("bash");
    }

    @Test
    void anUnknownNameIsAClearError() {
        assertThatThrownBy(() -> OperatorRegistry.load().get("no_such_operator"))
                .isInstanceOf(UnknownOperatorException.class)
                .hasMessageStartingWith("no implementation of operator 'no_such_operator' on this scheduler; implemented: bash, branch, ecs_run_task, empty,");
    }

    @Test
    void findsPluginsThroughServiceLoader() throws Exception {
        Operator plugin = OperatorRegistry.load().get("greeting");
        FakeTaskRunContext context = FakeTaskRunContext.of("name", "Gust");
        assertThat(plugin.execute(context)).isEqualTo(new OperatorOutcome.Success());
        assertThat(context.logLines).containsExactly("hello from a plugin, Gust");
    }

    @Test
    void emptySucceeds() throws Exception {
        assertThat(OperatorRegistry.load().get("empty").execute(FakeTaskRunContext.of()))
                .isEqualTo(new OperatorOutcome.Success());
    }
}
