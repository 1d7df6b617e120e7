package dev.gust.core.dag.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.load.DagFileParser;
import dev.gust.core.dag.load.DagFileResult;
import dev.gust.core.dag.load.ImportError;
import dev.gust.core.dag.model.TaskSpec;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorCatalogTest {

    private static final String DAG_FILE = """
            reports:
              tasks:
                by_name:
                  operator: report
                  title: Sales
                by_class_path:
                  operator: acme.operators.report.ReportOperator
                  title: Costs
                  pages: 3
            """;

    @Test
    void aDeclarationFoundThroughTheServiceLoaderIsValidInDagFiles() {
        DagFileResult result = new DagFileParser(OperatorCatalog.load(pluginLoader())).parse("r.yaml", DAG_FILE);
        assertThat(result.errors()).isEmpty();
        assertThat(result.dags().getFirst().tasks())
                .extracting(TaskSpec::operator)
                .containsExactly("report", "report");
    }

    @Test
    void withoutThePluginItsOperatorIsUnknown() {
        DagFileResult result = new DagFileParser().parse("r.yaml", DAG_FILE);
        assertThat(result.errors())
                .extracting(ImportError::message)
                .anyMatch(m -> m.startsWith("DAG 'reports', task 'by_name' uses unknown operator 'report'"));
    }

    @Test
    void aPluginDeclarationIsCheckedLikeABuiltIn() {
        DagFileResult result = new DagFileParser(OperatorCatalog.load(pluginLoader())).parse("r.yaml", """
                reports:
                  tasks:
                    t:
                      operator: report
                      pags: 3
                """);
        assertThat(result.errors())
                .extracting(ImportError::message)
                .containsExactlyInAnyOrder(
                        "DAG 'reports', task 't': unknown argument 'pags' for operator 'report'; did you mean 'pages'?",
                        "DAG 'reports', task 't' (operator 'report') is missing required argument 'title'");
    }

    @Test
    void aBrokenServicesEntryLeavesOutOnlyWhatItNames() {
        OperatorCatalog catalog = OperatorCatalog.load(loaderOf("operator-plugin-broken/"));
        assertThat(catalog.names()).contains("report", "bash");
    }

    @Test
    void everyBuiltInIsFoundByNameAndByEachClassPath() {
        OperatorCatalog catalog = OperatorCatalog.builtIn();
        for (OperatorDefinition definition : BuiltInOperators.ALL) {
            assertThat(catalog.find(definition.name())).containsSame(definition);
            definition
                    .classPaths()
                    .forEach(path -> assertThat(catalog.find(path)).containsSame(definition));
        }
        assertThat(catalog.find("airflow.operators.bash_operator.BashOperator")).containsSame(BuiltInOperators.BASH);
        assertThat(catalog.find("airflow.providers.standard.operators.bash.BashOperator"))
                .containsSame(BuiltInOperators.BASH);
    }

    @Test
    void theReadmeTableListsEveryClassPathOfEveryBuiltIn() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        for (OperatorDefinition definition : BuiltInOperators.ALL) {
            String row = readme.stream()
                    .filter(l -> l.startsWith("| `" + definition.name() + "` |"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("README.md has no row for operator " + definition.name()));
            List<String> listed = Arrays.stream(row.split("\\|")[2].split(","))
                    .map(p -> "airflow." + p.trim().replace("`", ""))
                    .toList();
            assertThat(listed).as("README row of " + definition.name()).isEqualTo(definition.classPaths());
        }
    }

    @Test
    void noClassPathMeansTwoOperators() {
        long paths = BuiltInOperators.ALL.stream()
                .mapToLong(d -> d.classPaths().size())
                .sum();
        Set<String> distinct = new HashSet<>();
        BuiltInOperators.ALL.forEach(d -> distinct.addAll(d.classPaths()));
        assertThat(distinct).hasSize((int) paths);
    }

    @Test
    void aPluginOfABuiltInsNameReplacesItUnderItsClassPathsToo() {
        OperatorCatalog catalog = OperatorCatalog.load(loaderOf("operator-plugin-replacing/"));
        OperatorDefinition replacement = catalog.find("empty").orElseThrow();
        assertThat(replacement.argumentNames()).containsExactly("note");
        assertThat(catalog.find("airflow.operators.empty.EmptyOperator")).containsSame(replacement);
        assertThat(catalog.find("acme.operators.Nothing")).containsSame(replacement);
        assertThat(catalog.declaration("empty").orElseThrow()).isInstanceOf(QuietEmptyDeclaration.class);
    }

    private ClassLoader pluginLoader() {
        return loaderOf("operator-plugin/");
    }

    /** A class loader that adds the services files under that test resource folder. */
    private ClassLoader loaderOf(String resourceFolder) {
        URL folder = getClass().getClassLoader().getResource(resourceFolder);
        return new URLClassLoader(new URL[] {folder}, getClass().getClassLoader());
    }
}
