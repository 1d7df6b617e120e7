package dev.gust.core.dag.operator;

/** A plugin's declaration that takes a built-in's name, listed only under test resource operator-plugin-replacing/. */
public final class QuietEmptyDeclaration implements OperatorDeclaration {

    @Override
    public OperatorDefinition definition() {
        return OperatorDefinition.builder("empty")
                .airflowClass("acme.operators.Nothing")
                .optional("note")
                .build();
    }
}
