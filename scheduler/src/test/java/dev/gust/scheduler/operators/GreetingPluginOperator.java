package dev.gust.scheduler.operators;

import dev.gust.core.dag.operator.OperatorDefinition;

/** A plugin operator found through META-INF/services in the test class path. */
public final class GreetingPluginOperator implements Operator {

    @Override
    public OperatorDefinition definition() {
        return OperatorDefinition.builder("greeting")
                .airflowClass("acme.operators.greeting.GreetingOperator")
                .optional("name")
                .build();
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) {
        context.log().info("hello from a plugin, %s", context.args().getOrDefault("name", "world"));
        return OperatorOutcome.success();
    }
}
