package dev.gust.core.dag.operator;

/** A plugin's declaration without an implementation, listed only under test resource operator-plugin/. */
public final class ReportDeclaration implements OperatorDeclaration {

    @Override
    public OperatorDefinition definition() {
        return OperatorDefinition.builder("report")
                .airflowClass("acme.operators.report.ReportOperator")
                .required("title")
                .optional("pages")
                .build();
    }
}
