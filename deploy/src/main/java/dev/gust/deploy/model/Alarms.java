package dev.gust.deploy.model;

import dev.gust.deploy.model.ResourceSpec.Alarm;
import dev.gust.deploy.model.ResourceSpec.AlarmDimension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What pages someone, and why: the deployment's CloudWatch alarms (each the sign of a failure
 * that ECS's restarts do not heal by themselves), the SNS topic they notify when
 * {@code alerts.email} names anyone, and the dashboard that shows them together. The README's
 * "What pages you, and why" explains each one.
 */
public final class Alarms {

    public static final String WEBSERVER_UNHEALTHY = "webserver-unhealthy";
    public static final String TARGET_5XX = "target-5xx";
    public static final String WEBSERVER_BELOW_DESIRED = "webserver-below-desired";
    public static final String SCHEDULER_BELOW_DESIRED = "scheduler-below-desired";
    public static final String NO_SCHEDULER_HEARTBEAT = "no-scheduler-heartbeat";
    public static final String QUEUED_TOO_LONG = "queued-too-long";
    public static final String DATABASE_CPU = "database-cpu";
    public static final String DATABASE_STORAGE = "database-storage";
    public static final String DATABASE_CONNECTIONS = "database-connections";

    /** Every alarm a deployment may have: what {@code find} looks for (a name outside it is not ours). */
    public static final List<String> NAMES = List.of(
            WEBSERVER_UNHEALTHY,
            TARGET_5XX,
            WEBSERVER_BELOW_DESIRED,
            SCHEDULER_BELOW_DESIRED,
            NO_SCHEDULER_HEARTBEAT,
            QUEUED_TOO_LONG,
            DATABASE_CPU,
            DATABASE_STORAGE,
            DATABASE_CONNECTIONS);

    /** 5xx answers of the webservers per minute that, five minutes running, page. */
    static final int TARGET_5XX_PER_MINUTE = 5;

    private static final int DEFAULT_QUEUED_TIMEOUT_SECONDS = 600;
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h)?");

    private Alarms() {}

    /** The topic (with {@code alerts.email}), the alarms and the dashboard, in creation order. */
    static List<Resource> of(Names names, DeployConfig config, Map<String, String> environment) {
        List<Resource> resources = new ArrayList<>();
        String topic = null;
        if (!config.alerts().email().isEmpty()) {
            topic = names.alertTopic();
            resources.add(new Resource(
                    ResourceKind.ALERT_TOPIC,
                    topic,
                    new ResourceSpec.AlertTopic(config.alerts().email())));
        }
        List<AlarmDimension> alb =
                List.of(new AlarmDimension("LoadBalancer", names.loadBalancer(), ResourceKind.LOAD_BALANCER));
        List<AlarmDimension> targets = List.of(
                new AlarmDimension("TargetGroup", names.targetGroup(), ResourceKind.TARGET_GROUP), alb.getFirst());
        List<Resource> alarms = new ArrayList<>();
        alarms.add(alarm(
                names,
                WEBSERVER_UNHEALTHY,
                new Alarm(
                        "A webserver behind the load balancer fails its /health for 5 minutes",
                        "AWS/ApplicationELB",
                        "UnHealthyHostCount",
                        targets,
                        "Maximum",
                        60,
                        5,
                        0,
                        "GreaterThanThreshold",
                        "notBreaching",
                        topic)));
        alarms.add(alarm(
                names,
                TARGET_5XX,
                new Alarm(
                        "The webservers answer more than " + TARGET_5XX_PER_MINUTE + " 5xx per minute for 5 minutes",
                        "AWS/ApplicationELB",
                        "HTTPCode_Target_5XX_Count",
                        alb,
                        "Sum",
                        60,
                        5,
                        TARGET_5XX_PER_MINUTE,
                        "GreaterThanThreshold",
                        "notBreaching",
                        topic)));
        alarms.add(belowDesired(names, DesiredState.WEBSERVER, WEBSERVER_BELOW_DESIRED, config.webserver(), topic));
        alarms.add(belowDesired(names, DesiredState.SCHEDULER, SCHEDULER_BELOW_DESIRED, config.scheduler(), topic));
        alarms.add(alarm(
                names,
                NO_SCHEDULER_HEARTBEAT,
                new Alarm(
                        "No scheduler heartbeat for 2 minutes: no scheduler is running (or none can reach the database)",
                        names.metricsNamespace(),
                        "scheduler_heartbeat",
                        List.of(),
                        "Sum",
                        60,
                        2,
                        1,
                        "LessThanThreshold",
                        "breaching",
                        topic)));
        int queuedTimeout = queuedTimeoutSeconds(environment);
        alarms.add(alarm(
                names,
                QUEUED_TOO_LONG,
                new Alarm(
                        "A task instance has waited in queued for task_queued_timeout (" + queuedTimeout
                                + "s): no executor takes work",
                        names.metricsNamespace(),
                        "scheduler.oldest_queued_task_age",
                        List.of(),
                        "Maximum",
                        60,
                        3,
                        queuedTimeout,
                        "GreaterThanOrEqualToThreshold",
                        "notBreaching",
                        topic)));
        if (!config.database().external()) {
            List<AlarmDimension> db = List.of(new AlarmDimension("DBInstanceIdentifier", names.dbInstance(), null));
            alarms.add(alarm(
                    names,
                    DATABASE_CPU,
                    new Alarm(
                            "The metadata database's CPU is above 80% for 15 minutes",
                            "AWS/RDS",
                            "CPUUtilization",
                            db,
                            "Average",
                            300,
                            3,
                            80,
                            "GreaterThanThreshold",
                            "missing",
                            topic)));
            double freeBytes = config.database().allocatedStorageGb() * 1024.0 * 1024 * 1024 / 10;
            alarms.add(alarm(
                    names,
                    DATABASE_STORAGE,
                    new Alarm(
                            "The metadata database has less than 10% of its storage free",
                            "AWS/RDS",
                            "FreeStorageSpace",
                            db,
                            "Minimum",
                            300,
                            1,
                            freeBytes,
                            "LessThanThreshold",
                            "missing",
                            topic)));
            alarms.add(alarm(
                    names,
                    DATABASE_CONNECTIONS,
                    new Alarm(
                            "The metadata database has more than "
                                    + config.alerts().databaseConnections()
                                    + " connections for 10 minutes (alerts.database_connections)",
                            "AWS/RDS",
                            "DatabaseConnections",
                            db,
                            "Maximum",
                            300,
                            2,
                            config.alerts().databaseConnections(),
                            "GreaterThanThreshold",
                            "missing",
                            topic)));
        }
        resources.addAll(alarms);
        resources.add(new Resource(
                ResourceKind.DASHBOARD,
                names.dashboard(),
                new ResourceSpec.Dashboard(alarms.stream().map(Resource::name).toList())));
        return resources;
    }

    /**
     * A service running fewer tasks than it should for 10 minutes: a crash loop ECS's restarts do
     * not end. Container Insights' running count against the desired count (with autoscaling, its minimum).
     */
    private static Resource belowDesired(
            Names names, String service, String what, DeployConfig.Component component, String topic) {
        int desired = component.autoscaling() != null ? component.autoscaling().min() : component.desiredCount();
        return alarm(
                names,
                what,
                new Alarm(
                        "The " + service + " service runs fewer than " + desired
                                + " tasks for 10 minutes (a crash loop?)",
                        "ECS/ContainerInsights",
                        "RunningTaskCount",
                        List.of(
                                new AlarmDimension("ClusterName", names.cluster(), null),
                                new AlarmDimension("ServiceName", service, null)),
                        "Minimum",
                        60,
                        10,
                        desired,
                        "LessThanThreshold",
                        "breaching",
                        topic));
    }

    private static Resource alarm(Names names, String what, Alarm spec) {
        return new Resource(ResourceKind.ALARM, names.alarm(what), spec);
    }

    /** {@code GUST_SCHEDULER__TASK_QUEUED_TIMEOUT} of deploy.yaml's environment (600s, Gust's default, if unset). */
    static int queuedTimeoutSeconds(Map<String, String> environment) {
        String value = environment.get("GUST_SCHEDULER__TASK_QUEUED_TIMEOUT");
        if (value == null) {
            return DEFAULT_QUEUED_TIMEOUT_SECONDS;
        }
        Matcher m = DURATION.matcher(value.strip());
        if (!m.matches()) {
            return DEFAULT_QUEUED_TIMEOUT_SECONDS;
        }
        int amount = Integer.parseInt(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "m" -> amount * 60;
            case "h" -> amount * 3600;
            default -> amount;
        };
    }
}
