package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.gust.core.dag.model.Dag;
import java.util.List;
import org.junit.jupiter.api.Test;

class DagFileErrorsTest {

    private final DagFileParser parser = new DagFileParser();

    private DagFileResult parse(String yaml) {
        return parser.parse("bad.yaml", yaml);
    }

    private ImportError onlyError(String yaml) {
        DagFileResult result = parse(yaml);
        assertThat(result.errors()).hasSize(1);
        ImportError error = result.errors().getFirst();
        assertThat(error.file()).isEqualTo("bad.yaml");
        return error;
    }

    @Test
    void yamlSyntaxErrorIsOneErrorForTheWholeFile() {
        DagFileResult result = parse("""
                good:
                  tasks:
                    t: {operator: empty}
                broken:
                  tasks:
                    t: [operator: empty
                  other: 1
                """);
        assertThat(result.dags()).isEmpty();
        assertThat(result.errors()).hasSize(1);
        ImportError error = result.errors().getFirst();
        assertThat(error.message()).startsWith("invalid YAML: ");
        assertThat(error.line()).isEqualTo(7);
    }

    @Test
    void badIndentationIsASyntaxErrorWithItsLine() {
        ImportError error = onlyError("d:\n  tasks:\n    t:\n      operator: empty\n     bad: x\n");
        assertThat(error.message()).startsWith("invalid YAML");
        assertThat(error.line()).isEqualTo(5);
    }

    @Test
    void cycleIsNamed() {
        ImportError error = onlyError("""
                etl:
                  tasks:
                    a: {operator: empty, dependencies: [c]}
                    b: {operator: empty, dependencies: [a]}
                    c: {operator: empty, dependencies: [b]}
                """);
        assertThat(error.message()).isEqualTo("DAG 'etl': cycle in task dependencies: a -> b -> c -> a");
        assertThat(error.line()).isEqualTo(3);
    }

    @Test
    void selfDependencyIsACycle() {
        assertThat(onlyError("d: {tasks: {a: {operator: empty, dependencies: [a]}}}")
                        .message())
                .isEqualTo("DAG 'd': cycle in task dependencies: a -> a");
    }

    @Test
    void unknownUpstreamTask() {
        ImportError error = onlyError("""
                etl:
                  tasks:
                    extract: {operator: empty}
                    load:
                      operator: empty
                      dependencies: [extrct]
                """);
        assertThat(error.message())
                .isEqualTo("DAG 'etl', task 'load' depends on 'extrct', which is not a task of the DAG; did you mean"
                        + " 'extract'?");
        assertThat(error.line()).isEqualTo(6);
    }

    @Test
    void aPythonOperatorGustDoesNotRunYetSaysItNeedsPythonInsteadOfUnknown() {
        ImportError error = onlyError("""
                d:
                  tasks:
                    t:
                      operator: airflow.operators.python.BranchPythonVirtualenvOperator
                      python_callable: etl.extract
                """);
        assertThat(error.message())
                .startsWith("DAG 'd', task 't': operator 'airflow.operators.python.BranchPythonVirtualenvOperator'"
                        + " runs a Python callable; this needs Python: ")
                .contains("Gust runs Python only as the python operator's callable")
                .doesNotContain("unknown operator");
        assertThat(error.line()).isEqualTo(4);
    }

    @Test
    void dagFactoryPythonKeysWithoutAnOperatorSayWhichOperatorToAdd() {
        ImportError error = onlyError("""
                d:
                  tasks:
                    t:
                      python_callable_name: extract
                      python_callable_file: /opt/dags/etl.py
                """);
        assertThat(error.message())
                .isEqualTo("DAG 'd', task 't' has 'python_callable_name' but no operator; add 'operator: python'"
                        + " (or 'decorator: airflow.decorators.task')");
        assertThat(error.line()).isEqualTo(4);
    }

    @Test
    void taskFlowDecoratorsAndPythonOperatorsGustDoesNotRunYetNeedPythonToo() {
        for (String operator : List.of("airflow.decorators.task", "BranchPythonVirtualenvOperator")) {
            ImportError error = onlyError("""
                    d:
                      tasks:
                        t:
                          operator: %s
                    """.formatted(operator));
            assertThat(error.message()).as(operator).contains("runs a Python callable; this needs Python: ");
        }
    }

    @Test
    void scheduleAndItsOldNameTogetherAreAnError() {
        ImportError error = onlyError("""
                d:
                  schedule: "@daily"
                  schedule_interval: "@hourly"
                  start_date: 2024-01-01
                  tasks:
                    t: {operator: bash, bash_command: "true"}
                """);
        assertThat(error.message())
                .isEqualTo("DAG 'd' sets both 'schedule' and 'schedule_interval' (its old name); keep only 'schedule'");
        assertThat(error.line()).isEqualTo(3);
    }

    @Test
    void unknownOperatorListsKnownOnes() {
        ImportError error = onlyError("""
                d:
                  tasks:
                    t:
                      operator: bsh
                """);
        assertThat(error.message())
                .startsWith(
                        "DAG 'd', task 't' uses unknown operator 'bsh'; known operators: bash, bash_decorated, branch, ")
                .contains("ecs_run_task", "trigger_dagrun", "time_delta_sensor")
                .endsWith("did you mean 'bash'?");
        assertThat(error.line()).isEqualTo(4);
    }

    @Test
    void missingOperator() {
        ImportError error = onlyError("d:\n  tasks:\n    t:\n      retries: 1\n");
        assertThat(error.message()).startsWith("DAG 'd', task 't' has no operator");
        assertThat(error.line()).isEqualTo(3);
    }

    @Test
    void missingRequiredArgument() {
        ImportError error = onlyError("""
                d:
                  tasks:
                    t:
                      operator: bash
                """);
        assertThat(error.message())
                .isEqualTo("DAG 'd', task 't' (operator 'bash') is missing required argument 'bash_command'");
        assertThat(error.line()).isEqualTo(3);
    }

    @Test
    void missingOneOfAlternativeArguments() {
        ImportError error = onlyError("d: {tasks: {t: {operator: ecs_run_task, cluster: c}}}");
        assertThat(error.message())
                .isEqualTo("DAG 'd', task 't' (operator 'ecs_run_task') needs one of the arguments 'task_definition' or"
                        + " 'image'");
    }

    @Test
    void branchNeedsFollowOrABashCommand() {
        ImportError error = onlyError("d: {tasks: {t: {operator: branch}}}");
        assertThat(error.message())
                .isEqualTo(
                        "DAG 'd', task 't' (operator 'branch') needs one of the arguments 'follow' or 'bash_command'");
        assertThat(parse("d: {tasks: {t: {operator: branch, bash_command: 'echo a'}}}")
                        .errors())
                .isEmpty();
    }

    @Test
    void unknownArgumentSuggestsTheClosestName() {
        ImportError error = onlyError("""
                d:
                  tasks:
                    t:
                      operator: bash
                      bash_command: ls
                      bash_comand: ls
                """);
        assertThat(error.message())
                .isEqualTo("DAG 'd', task 't': unknown argument 'bash_comand' for operator 'bash'; did you mean"
                        + " 'bash_command'?");
        assertThat(error.line()).isEqualTo(6);
    }

    @Test
    void invalidCronExpression() {
        ImportError error = onlyError("""
                d:
                  schedule: '0 25 * * *'
                  tasks: {t: {operator: empty}}
                """);
        assertThat(error.message())
                .startsWith("DAG 'd': schedule has an invalid cron expression '0 25 * * *': ")
                .contains("e.g. '0 6 * * *'");
        assertThat(error.line()).isEqualTo(2);
    }

    @Test
    void cronWithWrongFieldCount() {
        ImportError error = onlyError("d:\n  schedule: '0 0 * * * *'\n  tasks: {t: {operator: empty}}\n");
        assertThat(error.message())
                .isEqualTo(
                        "DAG 'd': schedule has an invalid cron expression '0 0 * * * *': it has 6 fields, "
                                + "a cron expression has 5 (minute hour day-of-month month day-of-week), e.g. '0 6 * * *' for 06:00 every day");
    }

    @Test
    void invalidPreset() {
        ImportError error = onlyError("d:\n  schedule_interval: '@dayly'\n  tasks: {t: {operator: empty}}\n");
        assertThat(error.message())
                .startsWith("DAG 'd': schedule_interval has an unknown preset '@dayly'; valid presets are @once, ")
                .endsWith("Did you mean '@daily'?");
        assertThat(error.line()).isEqualTo(2);
    }

    @Test
    void startDateThatIsNotADate() {
        ImportError error = onlyError("""
                d:
                  default_args:
                    start_date: yesterday
                  tasks: {t: {operator: empty}}
                """);
        assertThat(error.message())
                .startsWith("DAG 'd': start_date must be a date like 2024-01-01")
                .endsWith("got 'yesterday'");
        assertThat(error.line()).isEqualTo(3);
    }

    @Test
    void unknownTimezone() {
        ImportError error = onlyError("d:\n  timezone: Mars/Base\n  tasks: {t: {operator: empty}}\n");
        assertThat(error.message()).startsWith("DAG 'd': timezone 'Mars/Base' is not a known time zone");
        assertThat(error.line()).isEqualTo(2);
    }

    @Test
    void dagIdDefinedTwiceInOneFileKeepsTheFirst() {
        DagFileResult result = parse("""
                etl:
                  tasks: {t: {operator: empty}}
                other:
                  tasks: {t: {operator: empty}}
                etl:
                  tasks: {u: {operator: empty}}
                """);
        assertThat(result.errors())
                .extracting(ImportError::line, ImportError::message)
                .containsExactly(tuple(5, "DAG id 'etl' is defined twice (first on line 1)"));
        assertThat(result.dags()).extracting(Dag::dagId).containsExactly("etl", "other");
        assertThat(result.dags().getFirst().tasks().getFirst().taskId()).isEqualTo("t");
    }

    @Test
    void taskDefinedTwice() {
        ImportError error = onlyError("d:\n  tasks:\n    a: {operator: empty}\n    a: {operator: empty}\n");
        assertThat(error.message()).isEqualTo("DAG 'd': task 'a' is defined twice (first on line 3)");
        assertThat(error.line()).isEqualTo(4);
        ImportError listed =
                onlyError("d:\n  tasks:\n    - {task_id: a, operator: empty}\n    - {task_id: a, operator: empty}\n");
        assertThat(listed.message()).isEqualTo("DAG 'd': task 'a' is defined twice (first on line 3)");
        assertThat(listed.line()).isEqualTo(4);
    }

    @Test
    void invalidDagAndTaskIds() {
        DagFileResult result = parse("""
                "my dag":
                  tasks:
                    "load/all": {operator: empty}
                """);
        assertThat(result.errors())
                .extracting(ImportError::line, ImportError::message)
                .containsExactly(
                        tuple(
                                1,
                                "DAG id 'my dag' contains ' '; ids may only contain letters, digits, '-', '_' and '.'"),
                        tuple(
                                3,
                                "DAG 'my dag': task id 'load/all' contains '/'; ids may only contain letters, digits,"
                                        + " '-', '_' and '.'"));
        String longId = "x".repeat(251);
        assertThat(onlyError(longId + ": {tasks: {t: {operator: empty}}}").message())
                .contains("is 251 characters long; the limit is 250");
    }

    @Test
    void wrongTypes() {
        ImportError error = onlyError("""
                d:
                  tasks:
                    t:
                      operator: empty
                      retries: three
                """);
        assertThat(error.message()).isEqualTo("DAG 'd', task 't': retries must be a whole number, got 'three'");
        assertThat(error.line()).isEqualTo(5);
        assertThat(onlyError("d: {catchup: maybe, tasks: {t: {operator: empty}}}")
                        .message())
                .isEqualTo("DAG 'd': catchup must be true or false, got 'maybe'");
        assertThat(onlyError("d: {max_active_runs: 0, tasks: {t: {operator: empty}}}")
                        .message())
                .isEqualTo("DAG 'd': max_active_runs must be at least 1, got 0");
        assertThat(onlyError("d: {tasks: {t: {operator: empty, retry_delay: soon}}}")
                        .message())
                .startsWith("DAG 'd', task 't': retry_delay must be a duration such as 300 (seconds), '5m'");
        assertThat(onlyError("d: {tasks: {t: {operator: empty, dependencies: {a: 1}}}}")
                        .message())
                .isEqualTo("DAG 'd', task 't': dependencies must be a list, got a mapping");
    }

    @Test
    void badValueInSharedDefaultArgsIsReportedOnce() {
        DagFileResult result = parse("""
                d:
                  default_args:
                    retries: three
                  tasks:
                    a: {operator: empty}
                    b: {operator: empty}
                """);
        assertThat(result.errors())
                .extracting(ImportError::line, ImportError::message)
                .containsExactly(tuple(3, "DAG 'd', default_args: retries must be a whole number, got 'three'"));
    }

    @Test
    void invalidTriggerRuleListsValidOnes() {
        ImportError error = onlyError("d:\n  tasks:\n    t:\n      operator: empty\n      trigger_rule: all_sucess\n");
        assertThat(error.message())
                .isEqualTo("DAG 'd', task 't': trigger_rule 'all_sucess' is not valid; valid trigger rules are "
                        + "all_success, all_failed, all_done, all_skipped, one_success, one_failed, one_done, none_failed, "
                        + "none_failed_min_one_success, none_skipped, always");
        assertThat(error.line()).isEqualTo(5);
    }

    @Test
    void invalidSensorMode() {
        ImportError error = onlyError("d: {tasks: {s: {operator: file_sensor, filepath: /x, mode: poll}}}");
        assertThat(error.message()).isEqualTo("DAG 'd', task 's': mode must be one of poke, reschedule, got 'poll'");
    }

    @Test
    void missingTasks() {
        ImportError error = onlyError("d:\n  schedule: '@daily'\n  start_date: 2024-01-01\n");
        assertThat(error.message()).startsWith("DAG 'd' has no tasks");
        assertThat(error.line()).isEqualTo(1);
        assertThat(onlyError("d:\n  tasks: {}\n").message()).isEqualTo("DAG 'd' has no tasks");
    }

    @Test
    void unknownDagSetting() {
        ImportError error = onlyError("d:\n  schedul: '@daily'\n  tasks: {t: {operator: empty}}\n");
        assertThat(error.message()).isEqualTo("DAG 'd': unknown setting 'schedul'; did you mean 'schedule'?");
        assertThat(error.line()).isEqualTo(2);
    }

    @Test
    void aCallbackOfNoKnownFormSaysWhichFormsThereAre() {
        assertThat(onlyError("d: {tasks: {t: {operator: empty, on_failure_callback: 42}}}")
                        .message())
                .startsWith("DAG 'd', task 't': on_failure_callback must be the dotted path of a Python function, a"
                        + " mapping with 'callback:'");
        assertThat(onlyError("d: {tasks: {t: {operator: empty, on_retry_callback: {http: {method: GET}}}}}")
                        .message())
                .startsWith("DAG 'd', task 't': on_retry_callback has an http callback without url");
        assertThat(onlyError("d: {tasks: {t: {operator: empty, on_success_callback: airflow.utils.email.send_email}}}")
                        .message())
                .startsWith("DAG 'd', task 't': on_success_callback 'airflow.utils.email.send_email' is an Airflow"
                        + " callable Gust does not provide");
        assertThat(onlyError("d: {tasks: {t: {operator: empty, on_failure_callback_name: notify}}}")
                        .message())
                .isEqualTo("DAG 'd', task 't': sets 'on_failure_callback_name' without 'on_failure_callback_file';"
                        + " give both (the function's name and the .py file defining it)");
    }

    @Test
    void topLevelMustBeAMapping() {
        assertThat(onlyError("- a\n- b\n").message()).startsWith("a DAG file must map DAG ids to DAG definitions");
        assertThat(onlyError("d: 3\n").message()).startsWith("'d' must be a DAG definition");
    }

    @Test
    void badDagDoesNotStopTheOthersAndEveryProblemIsReported() {
        DagFileResult result = parse("""
                good:
                  tasks: {t: {operator: empty}}
                bad:
                  schedule: 'every day'
                  tasks:
                    a: {operator: bash}
                    b: {operator: empty, dependencies: [zzz], retries: -1}
                also_good:
                  tasks: {t: {operator: empty}}
                """);
        assertThat(result.dags()).extracting(Dag::dagId).containsExactly("good", "also_good");
        assertThat(result.errors()).extracting(ImportError::line).containsExactly(4, 6, 7, 7);
        assertThat(result.errors())
                .extracting(ImportError::message)
                .anyMatch(m -> m.contains("'zzz'"))
                .anyMatch(m -> m.contains("bash_command"))
                .anyMatch(m -> m.startsWith("DAG 'bad', task 'b': retries must be at least 0"))
                .anyMatch(m -> m.startsWith("DAG 'bad': schedule has an invalid cron expression 'every day'"));
    }

    @Test
    void pythonKeysOnAKnownOperatorSayTheyNeedPythonNotUnknownArgument() {
        for (String key : List.of(
                "python_callable: checks.ready",
                "op_kwargs: {a: 1}",
                "templates_dict: {a: 1}",
                "pre_execute: hooks.before",
                "execution_date_fn_name: previous")) {
            ImportError error = onlyError("""
                    d:
                      tasks:
                        s:
                          operator: airflow.sensors.filesystem.FileSensor
                          filepath: /data/ready
                          %s
                    """.formatted(key));
            String name = key.substring(0, key.indexOf(':'));
            assertThat(error.message())
                    .as(key)
                    .startsWith("DAG 'd', task 's': '" + name + "' ")
                    .contains("; this needs Python: Gust runs Python only as the python operator's callable")
                    .doesNotContain("unknown");
            assertThat(error.line()).isEqualTo(6);
        }
    }

    @Test
    void dagLevelPythonAndCallbacksSayWhy() {
        assertThat(onlyError("d: {user_defined_filters: {up: str.upper}, tasks: {t: {operator: empty}}}")
                        .message())
                .startsWith("DAG 'd': 'user_defined_filters' adds Python functions to templates as filters; this needs"
                        + " Python: ");
        assertThat(onlyError("d: {default_args: {sla_miss_callback: alerts.sla}, tasks: {t: {operator: empty}}}")
                        .message())
                .isEqualTo("DAG 'd': 'sla_miss_callback' is a DAG setting, not a task one; move it out of"
                        + " default_args");
    }

    @Test
    void aDurationAndItsSecondsSpellingTogetherAreAnError() {
        ImportError error = onlyError("""
                d:
                  tasks:
                    t:
                      operator: empty
                      retry_delay: 5m
                      retry_delay_sec: 60
                """);
        assertThat(error.message())
                .isEqualTo("DAG 'd', task 't': sets both 'retry_delay' and 'retry_delay_sec' (the same setting in"
                        + " seconds); keep only 'retry_delay'");
        assertThat(error.line()).isEqualTo(6);
        assertThat(onlyError("d: {dagrun_timeout: 1h, dagrun_timeout_sec: 60, tasks: {t: {operator: empty}}}")
                        .message())
                .startsWith("DAG 'd': sets both 'dagrun_timeout' and 'dagrun_timeout_sec'");
    }

    @Test
    void relativeDatesOtherThanOneAmountAreRefusedNotMisread() {
        // dag-factory reads '1 hours 30 minutes' as one hour and refuses weeks: neither loads here
        for (String text : List.of("1 hours 30 minutes", "2 weeks", "in 2 days")) {
            assertThat(onlyError("d: {start_date: '%s', tasks: {t: {operator: empty}}}".formatted(text))
                            .message())
                    .as(text)
                    .startsWith("DAG 'd': start_date must be a date like 2024-01-01")
                    .contains("or a relative date like '2 days'");
        }
    }

    @Test
    void objectsOfTheWrongTypeOrWithUnknownArgumentsSayWhich() {
        assertThat(onlyError("""
                        d:
                          dagrun_timeout: {__type__: datetime.timedelta, hour: 1}
                          tasks: {t: {operator: empty}}
                        """).message())
                .isEqualTo("DAG 'd': dagrun_timeout (datetime.timedelta) takes days, seconds, microseconds,"
                        + " milliseconds, minutes, hours, weeks, not 'hour'");
        assertThat(onlyError("""
                        d:
                          default_args:
                            retry_delay: {__type__: airflow.utils.dates.days_ago, __args__: [1]}
                          tasks: {t: {operator: empty}}
                        """).message())
                .startsWith("DAG 'd', default_args: retry_delay must be a duration such as 300, '5m' or a"
                        + " datetime.timedelta object, got __type__ airflow.utils.dates.days_ago");
        assertThat(onlyError("d: {dagrun_timeout: {hours: 1}, tasks: {t: {operator: empty}}}")
                        .message())
                .isEqualTo("DAG 'd': dagrun_timeout must be a duration such as 300, '5m' or a datetime.timedelta"
                        + " object, got a mapping");
        assertThat(onlyError("d: {start_date: {year: 2024}, tasks: {t: {operator: empty}}}")
                        .message())
                .startsWith("DAG 'd': start_date must be a date like 2024-01-01, a relative date like '2 days' or a"
                        + " datetime.datetime object, got {year=2024}");
        assertThat(onlyError("d: {timezone: {name: UTC}, tasks: {t: {operator: empty}}}")
                        .message())
                .startsWith("DAG 'd': timezone must be a time zone name or a pendulum.timezone object");
        assertThat(onlyError("""
                        d:
                          start_date: {__type__: datetime.datetime, year: 2024, month: 2, day: 30}
                          tasks: {t: {operator: empty}}
                        """).message())
                .startsWith("DAG 'd': start_date (datetime.datetime) is not a valid date: ");
        assertThat(onlyError("""
                        d:
                          timezone: {__type__: pendulum.timezone, name: Mars/Base}
                          tasks: {t: {operator: empty}}
                        """).message()).startsWith("DAG 'd': timezone 'Mars/Base' is not a known time zone");
    }

    @Test
    void aScheduledDagNeedsAStartDateUnlessItRunsOnDatasetsOrByHand() {
        assertThat(onlyError("d: {schedule: '@once', tasks: {t: {operator: empty}}}")
                        .message())
                .startsWith("DAG 'd' has a schedule but no start_date, which Airflow refuses too");
        assertThat(onlyError("d: {schedule: 30m, tasks: {t: {operator: empty}}}")
                        .message())
                .startsWith("DAG 'd' has a schedule but no start_date");
        assertThat(parse("d: {schedule: ['s3://bucket/a'], tasks: {t: {operator: empty}}}")
                        .errors())
                .isEmpty();
        assertThat(parse("d: {schedule: null, tasks: {t: {operator: empty}}}").errors())
                .isEmpty();
        assertThat(parse("d: {schedule: '@daily', default_args: {start_date: 2 days}, tasks: {t: {operator: empty}}}")
                        .errors())
                .isEmpty();
    }

    @Test
    void aDefaultBlockKeyNoOperatorTakesIsReportedOnceForTheFile() {
        DagFileResult result = parse("""
                default:
                  default_args:
                    http_conn_id: api
                    retires: 2
                a:
                  tasks: {t: {operator: empty}}
                b:
                  tasks: {t: {operator: empty}}
                """);
        // http_conn_id is taken by the http operator, which other DAGs sharing the block may use
        assertThat(result.errors())
                .extracting(ImportError::line, ImportError::message)
                .containsExactly(
                        tuple(
                                4,
                                "the default block: default_args key 'retires' is neither a task setting nor an"
                                        + " argument of any operator, so it would apply to no task; did you mean"
                                        + " 'retries'?"),
                        // reported once, where it is; each DAG it keeps from loading says why in one line
                        tuple(5, "DAG 'a' is not loaded: its default block has a problem on line 4"),
                        tuple(7, "DAG 'b' is not loaded: its default block has a problem on line 4"));
    }

    @Test
    void aDagsOwnDefaultArgsKeyMustBeTakenByOneOfItsTasks() {
        ImportError error = onlyError("""
                d:
                  default_args:
                    http_conn_id: api
                  tasks:
                    t: {operator: bash, bash_command: 'true'}
                """);
        assertThat(error.message())
                .startsWith("DAG 'd': default_args key 'http_conn_id' is neither a task setting nor an argument of the"
                        + " operators of its tasks (bash), so it would apply to no task");
        assertThat(error.line()).isEqualTo(3);
    }

    @Test
    void perTaskKeysInDefaultArgsAreAnError() {
        assertThat(onlyError("d: {default_args: {dependencies: [a]}, tasks: {a: {operator: empty}}}")
                        .message())
                .isEqualTo("DAG 'd': 'dependencies' belongs to each task, not to default_args; move it to the tasks");
    }
}
