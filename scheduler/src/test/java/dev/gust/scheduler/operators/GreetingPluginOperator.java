package dev.gust.scheduler.operators;

/** A plugin operator found through META-INF/services in the test class path. */
public final class GreetingPluginOperator implements Operator {

    @Override
    public String name() {
        return "greeting";
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) {
        context.log().info("hello from a plugin, %s", context.args().getOrDefault("name", "world"));
        return OperatorOutcome.success();
    }
}
