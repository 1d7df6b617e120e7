/**
 * Rendering of operator arguments with Jinja (HubSpot's Jinjava), with Airflow's template names.
 *
 * <p>Names: {@code ds}, {@code ds_nodash}, {@code ts}, {@code ts_nodash}, {@code ts_nodash_with_tz},
 * {@code logical_date} (alias {@code execution_date}), {@code data_interval_start},
 * {@code data_interval_end}, {@code run_id}, {@code task_instance_key_str}, {@code dag.dag_id},
 * {@code dag.timezone}, {@code task.task_id}, {@code ti} / {@code task_instance} ({@code dag_id},
 * {@code task_id}, {@code run_id}, {@code try_number}, {@code xcom_pull(...)}), {@code params},
 * {@code conf} and {@code dag_run.conf} (the run's conf), {@code dag_run} ({@code run_id},
 * {@code logical_date}, data interval), {@code var.value.NAME}, {@code var.json.NAME},
 * {@code conn.NAME.host|login|password|port|schema|conn_type|extra|extra_dejson},
 * {@code macros.ds_add(ds, n)}, {@code macros.ds_format(ds, in, out)}; filters {@code ds},
 * {@code ds_nodash}, {@code ts}, {@code ts_nodash}, {@code ts_nodash_with_tz}.
 *
 * <p>Decisions: dates are UTC, as Airflow renders them by default; the DAG's time zone is
 * {@code dag.timezone}, usable as {@code logical_date.in_timezone(dag.timezone)}. Date-times print
 * like pendulum ({@code 2024-03-05T06:00:00+00:00}) and format with {@code .strftime('%Y')}.
 * Undefined names, unknown keys, unknown filters, missing Variables, Connections and XComs fail
 * the argument ({@link dev.gust.core.template.TemplateException}); {@code | default(...)},
 * {@code .get(key, fallback)} and {@code xcom_pull(..., default=...)} make a value optional.
 * {@code {% include %}} is refused, and values are never rendered twice.
 */
package dev.gust.core.template;
