package dev.gust.core.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TemplateRendererTest {

    private static final Instant LOGICAL = Instant.parse("2024-03-05T06:00:00Z");
    private static final TemplateRenderer RENDERER = new TemplateRenderer();

    private static final Map<String, String> VARIABLES = Map.of(
            "bucket", "my-bucket",
            "settings", "{\"region\": \"eu-west-1\", \"limits\": {\"rows\": 10}}",
            "api_token", "tok-123456",
            "broken_json", "{not json");

    private static final TemplateConnection WAREHOUSE = new TemplateConnection(
            "postgres",
            "db.internal",
            "analytics",
            "loader",
            "s3cr3t-pw",
            5432,
            Map.of("sslmode", "require", "private_key", "pk-abcdef"));

    private static final Map<String, Object> XCOMS = Map.of(
            "extract|return_value|-1", Map.of("rows", 42),
            "extract|path|-1", "/tmp/out.csv",
            "load|return_value|-1", "loaded",
            "fan|return_value|0", "a",
            "fan|return_value|1", "b",
            "other_dag.extract|return_value|-1", "elsewhere");

    private final SecretMasker masker = new SecretMasker();

    private TemplateContext.Builder context() {
        return TemplateContext.builder("etl", "load_orders", "scheduled__2024-03-05T06:00:00+00:00", LOGICAL)
                .dataInterval(LOGICAL, Instant.parse("2024-03-06T06:00:00Z"))
                .timezone(ZoneId.of("Europe/Paris"))
                .tryNumber(2)
                .dagParams(Map.of("table", "orders", "limit", 100, "nested", Map.of("region", "eu")))
                .conf(Map.of("limit", 5, "extra_flag", true))
                .variables(key -> Optional.ofNullable(VARIABLES.get(key)))
                .connections(id -> id.equals("warehouse") ? Optional.of(WAREHOUSE) : Optional.empty())
                .xcoms((dagId, taskId, key, mapIndex) -> Optional.ofNullable(
                        XCOMS.get((dagId.equals("etl") ? "" : dagId + ".") + taskId + "|" + key + "|" + mapIndex)))
                .masker(masker);
    }

    private String render(String template) {
        return (String) RENDERER.render("arg", template, context().build());
    }

    private TemplateException failure(String template) {
        try {
            RENDERER.render("bash_command", template, context().build());
        } catch (TemplateException e) {
            return e;
        }
        throw new AssertionError("expected a TemplateException for " + template);
    }

    @Test
    void datesUseAirflowFormatsInUtc() {
        assertThat(render("{{ ds }}")).isEqualTo("2024-03-05");
        assertThat(render("{{ ds_nodash }}")).isEqualTo("20240305");
        assertThat(render("{{ ts }}")).isEqualTo("2024-03-05T06:00:00+00:00");
        assertThat(render("{{ ts_nodash }}")).isEqualTo("20240305T060000");
        assertThat(render("{{ ts_nodash_with_tz }}")).isEqualTo("20240305T060000+0000");
        assertThat(render("{{ logical_date }}")).isEqualTo("2024-03-05T06:00:00+00:00");
        assertThat(render("{{ execution_date }}")).isEqualTo("2024-03-05T06:00:00+00:00");
        assertThat(render("{{ data_interval_start }}")).isEqualTo("2024-03-05T06:00:00+00:00");
        assertThat(render("{{ data_interval_end }}")).isEqualTo("2024-03-06T06:00:00+00:00");
    }

    @Test
    void datesFormatWithStrftimeFiltersAndAttributes() {
        assertThat(render("{{ logical_date.strftime('%Y/%m/%d %H') }}")).isEqualTo("2024/03/05 06");
        assertThat(render("{{ logical_date.year }}-{{ logical_date.month }}")).isEqualTo("2024-3");
        assertThat(render("{{ logical_date.isoformat() }}")).isEqualTo("2024-03-05T06:00:00+00:00");
        assertThat(render("{{ data_interval_end | ds }}")).isEqualTo("2024-03-06");
        assertThat(render("{{ data_interval_end | ds_nodash }}")).isEqualTo("20240306");
        assertThat(render("{{ data_interval_end | ts }}")).isEqualTo("2024-03-06T06:00:00+00:00");
        assertThat(render("{{ data_interval_end | ts_nodash }}")).isEqualTo("20240306T060000");
        assertThat(render("{{ logical_date.in_timezone(dag.timezone) }}")).isEqualTo("2024-03-05T07:00:00+01:00");
    }

    @Test
    void identityOfTheRunTaskAndTry() {
        assertThat(render("{{ run_id }}")).isEqualTo("scheduled__2024-03-05T06:00:00+00:00");
        assertThat(render("{{ dag.dag_id }}/{{ task.task_id }}/{{ ti.try_number }}"))
                .isEqualTo("etl/load_orders/2");
        assertThat(render("{{ task_instance.task_id }}")).isEqualTo("load_orders");
        assertThat(render("{{ task_instance_key_str }}")).isEqualTo("etl__load_orders__20240305");
        assertThat(render("{{ dag_run.run_id }} {{ dag_run.logical_date | ds }}"))
                .isEqualTo("scheduled__2024-03-05T06:00:00+00:00 2024-03-05");
    }

    @Test
    void paramsAreTheDagsParamsOverriddenByTheRunsConf() {
        assertThat(render("{{ params.table }} {{ params.limit }} {{ params.extra_flag }}"))
                .isEqualTo("orders 5 true");
        assertThat(render("{{ params.nested.region }}")).isEqualTo("eu");
        assertThat(render("{{ conf.limit }} {{ dag_run.conf.limit }}")).isEqualTo("5 5");
        assertThat(render("{{ params.get('missing', 'fallback') }}")).isEqualTo("fallback");
        assertThat(render("{% if 'table' in params %}yes{% endif %}")).isEqualTo("yes");
    }

    @Test
    void variablesAsTextAndAsJson() {
        assertThat(render("s3://{{ var.value.bucket }}/{{ ds }}")).isEqualTo("s3://my-bucket/2024-03-05");
        assertThat(render("{{ var.json.settings.region }} {{ var.json.settings.limits.rows }}"))
                .isEqualTo("eu-west-1 10");
        assertThat(render("{{ var.value.get('nope', 'dflt') }}")).isEqualTo("dflt");
    }

    @Test
    void connectionFields() {
        assertThat(render("{{ conn.warehouse.host }}:{{ conn.warehouse.port }}/{{ conn.warehouse.schema }}"))
                .isEqualTo("db.internal:5432/analytics");
        assertThat(render("{{ conn.warehouse.login }} {{ conn.warehouse.password }}"))
                .isEqualTo("loader s3cr3t-pw");
        assertThat(render("{{ conn.warehouse.conn_type }} {{ conn.warehouse.extra_dejson.sslmode }}"))
                .isEqualTo("postgres require");
    }

    @Test
    void xcomPullByKeywordAndPositionally() {
        assertThat(render("{{ ti.xcom_pull(task_ids='load') }}")).isEqualTo("loaded");
        assertThat(render("{{ ti.xcom_pull('load') }}")).isEqualTo("loaded");
        assertThat(render("{{ ti.xcom_pull(task_ids='extract', key='path') }}")).isEqualTo("/tmp/out.csv");
        assertThat(render("{{ ti.xcom_pull('extract', key='path') }}")).isEqualTo("/tmp/out.csv");
        assertThat(render("{{ ti.xcom_pull('extract').rows }}")).isEqualTo("42");
        assertThat(render("{{ ti.xcom_pull('extract', 'other_dag') }}")).isEqualTo("elsewhere");
        assertThat(render("{{ ti.xcom_pull(task_ids='extract', dag_id='other_dag') }}"))
                .isEqualTo("elsewhere");
        assertThat(render("{{ ti.xcom_pull(task_ids=['load', 'missing']) | join(',') }}"))
                .isEqualTo("loaded");
        assertThat(render("{{ ti.xcom_pull(task_ids='fan', map_indexes=[0, 1]) | join(',') }}"))
                .isEqualTo("a,b");
        assertThat(render("{{ ti.xcom_pull(task_ids='fan', map_indexes=1) }}")).isEqualTo("b");
        assertThat(render("{{ ti.xcom_pull(task_ids='nothing', default='none') }}"))
                .isEqualTo("none");
    }

    @Test
    void missingXComFailsUnlessADefaultIsGiven() {
        assertThat(failure("{{ ti.xcom_pull(task_ids='extratc') }}"))
                .hasMessageContaining("argument 'bash_command'")
                .hasMessageContaining("no XCom 'return_value' from task 'extratc' in this run of DAG 'etl'");
    }

    @Test
    void macros() {
        assertThat(render("{{ macros.ds_add(ds, 7) }}")).isEqualTo("2024-03-12");
        assertThat(render("{{ macros.ds_add(ds, -5) }}")).isEqualTo("2024-02-29");
        assertThat(render("{{ macros.ds_format(ds, '%Y-%m-%d', '%d/%m/%Y') }}")).isEqualTo("05/03/2024");
    }

    @Test
    void listsAndMapsAreRenderedRecursivelyButNotTheirKeys() {
        Map<String, Object> args = Map.of(
                "cmd",
                "echo {{ ds }}",
                "env",
                Map.of("{{ ds }}", "{{ ds_nodash }}"),
                "args",
                List.of("{{ params.table }}", 3, List.of("{{ run_id }}")),
                "retries",
                3,
                "flag",
                true);
        @SuppressWarnings("unchecked")
        Map<String, Object> rendered =
                (Map<String, Object>) RENDERER.render(args, context().build());
        assertThat(rendered)
                .containsEntry("cmd", "echo 2024-03-05")
                .containsEntry("env", Map.of("{{ ds }}", "20240305"))
                .containsEntry("args", List.of("orders", 3, List.of("scheduled__2024-03-05T06:00:00+00:00")))
                .containsEntry("retries", 3)
                .containsEntry("flag", true);
    }

    @Test
    void stringsWithoutTemplatesAreReturnedUntouchedAndUnparsed() {
        String odd = "awk '{ print $1 }' file | sed 's/{ a }/b/' {%";
        // a lone "{%" would be a syntax error if parsed; these are not templates
        assertThat(RENDERER.render(
                        "arg", "awk '{ print $1 }' { a } }}", context().build()))
                .isEqualTo("awk '{ print $1 }' { a } }}");
        assertThat(TemplateRenderer.isTemplate(odd)).isTrue();
        String plain = "plain";
        assertThat(RENDERER.render("arg", plain, context().build())).isSameAs(plain);
        assertThat(RENDERER.render("arg", 42, context().build())).isEqualTo(42);
        assertThat(RENDERER.render("arg", null, context().build())).isNull();
    }

    @Test
    void anUndefinedNameFailsNamingTheVariableAndTheArgument() {
        TemplateException e = failure("echo {{ dss }}");
        assertThat(e.argument()).isEqualTo("bash_command");
        assertThat(e)
                .hasMessageStartingWith("argument 'bash_command': undefined variable 'dss'; did you mean 'ds'?")
                .hasMessageContaining("line 1");
    }

    @Test
    void anUnknownKeyOrAttributeFails() {
        assertThat(failure("{{ params.tablee }}"))
                .hasMessageContaining("'params' has no 'tablee'; did you mean 'table'?");
        assertThat(failure("{{ conn.warehouse.hostt }}"))
                .hasMessageContaining("'conn.warehouse' has no 'hostt'; did you mean 'host'?");
    }

    @Test
    void theDefaultFilterMakesAMissingNameOptional() {
        assertThat(render("{{ nope | default('d') }}")).isEqualTo("d");
        assertThat(render("{{ params.missing | default('d') }}")).isEqualTo("d");
        assertThat(render("{{ var.value.nope | default('d') }}")).isEqualTo("d");
    }

    @Test
    void anUnknownFilterFails() {
        assertThat(failure("{{ logical_date | dss }}"))
                .hasMessageContaining("unknown filter 'dss'; did you mean 'ds'?");
    }

    @Test
    void aMissingVariableOrConnectionSaysHowToCreateIt() {
        assertThat(failure("{{ var.value.buckett }}"))
                .hasMessageContaining(
                        "variable 'buckett' does not exist; create it with 'gust variables set buckett VALUE'");
        assertThat(failure("{{ var.json.nope.x }}")).hasMessageContaining("variable 'nope' does not exist");
        assertThat(failure("{{ var.json.broken_json }}"))
                .hasMessageContaining("variable 'broken_json' is not valid JSON");
        assertThat(failure("{{ conn.wherehouse.host }}"))
                .hasMessageContaining(
                        "connection 'wherehouse' does not exist; create it with 'gust connections add wherehouse");
    }

    @Test
    void aSyntaxErrorFailsWithItsPlace() {
        assertThat(failure("line one\n{{ ds ")).hasMessageContaining("argument 'bash_command'");
        assertThat(failure("{% if ds %}no end")).hasMessageContaining("argument 'bash_command'");
    }

    @Test
    void theArgumentPathIsNamedInsideMapsAndLists() {
        assertThatThrownBy(() -> RENDERER.render(
                        Map.of("env", Map.of("TARGET", List.of("ok", "{{ nope }}"))),
                        context().build()))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("argument 'env.TARGET[1]': undefined variable 'nope'");
    }

    @Test
    void secretsLookedUpAreMaskedInLogLines() {
        render("psql -U {{ conn.warehouse.login }} -p {{ conn.warehouse.password }} -t {{ var.value.api_token }}"
                + " {{ var.value.bucket }}");
        assertThat(masker.mask("connecting with s3cr3t-pw and tok-123456 to my-bucket"))
                .isEqualTo("connecting with *** and *** to my-bucket");
        assertThat(render("{{ conn.warehouse.extra_dejson.sslmode }}")).isEqualTo("require");
        assertThat(masker.mask("key pk-abcdef")).isEqualTo("key ***");
    }

    @Test
    void includesCannotReadFiles() {
        assertThat(failure("{% include 'logback-test.xml' %}")).hasMessageContaining("argument 'bash_command'");
    }

    @Test
    void renderingIsThreadSafe() throws Exception {
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 400; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    TemplateContext ctx = TemplateContext.builder(
                                    "dag" + n, "t", "run" + n, LOGICAL.plusSeconds(86_400L * (n % 30)))
                            .dagParams(Map.of("n", n))
                            .build();
                    return (String)
                            RENDERER.render("arg", "{{ dag.dag_id }} {{ ds }} {{ params.n }} {{ run_id }}", ctx);
                }));
            }
            for (int i = 0; i < results.size(); i++) {
                String ds = java.time.LocalDate.of(2024, 3, 5).plusDays(i % 30).toString();
                assertThat(results.get(i).get()).isEqualTo("dag" + i + " " + ds + " " + i + " run" + i);
            }
        }
    }
}
