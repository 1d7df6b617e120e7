package dev.gust.core.config;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The clean environment a task's command starts from, instead of Gust's whole environment (which
 * holds the database URL and the encryption key): only what a shell needs to behave (search path,
 * home, user, locale, time zone, temporary folder, the AWS region and ECS task role) plus the variables an operator
 * names in {@code core.task_environment_passthrough}. The task's own {@code env} and its context
 * variables ({@code AIRFLOW_CTX_*}) are added by whoever starts the command.
 */
public final class TaskEnvironment {

    /**
     * Variables every task gets from Gust's environment when they are set there. The ECS
     * container credentials path lets {@code aws} in a task use the worker's task role, as in
     * Airflow; it is no secret outside the container, whose link-local endpoint only it reaches.
     */
    public static final Set<String> BASICS = Set.of(
            "PATH",
            "HOME",
            "USER",
            "LOGNAME",
            "SHELL",
            "LANG",
            "LANGUAGE",
            "TZ",
            "TMPDIR",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");

    private TaskEnvironment() {}

    /** The basics, {@code LC_*} and the {@code passthrough} names found in {@code environment}. */
    public static Map<String, String> of(Map<String, String> environment, Collection<String> passthrough) {
        Map<String, String> clean = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (BASICS.contains(name) || name.startsWith("LC_") || passthrough.contains(name)) {
                clean.put(name, value);
            }
        });
        return clean;
    }
}
