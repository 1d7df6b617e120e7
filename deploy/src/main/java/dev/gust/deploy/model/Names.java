package dev.gust.deploy.model;

import dev.gust.deploy.DeployException;
import java.util.regex.Pattern;

/**
 * The AWS name of every resource of a deployment, derived from the deployment name alone, so a
 * re-run (or {@code down} after a crash) finds the same resources. The name is short because an
 * ALB's and a target group's names may have 32 characters at most.
 */
public record Names(String deployment) {

    public static final String DEPLOYMENT_TAG = "gust:deployment";
    public static final String FINGERPRINT_TAG = "gust:fingerprint";
    public static final String RESOURCE_TAG = "gust:resource";

    private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9-]{0,18}[a-z0-9]|[a-z]");

    public Names {
        if (deployment == null || !VALID.matcher(deployment).matches()) {
            throw new DeployException("deployment name '" + deployment
                    + "' must be 1 to 20 lowercase letters, digits or dashes, starting with a letter");
        }
    }

    public String prefix() {
        return "gust-" + deployment;
    }

    public String vpc() {
        return prefix();
    }

    public String internetGateway() {
        return prefix();
    }
    /** {@code tier} is public or private; {@code index} the availability zone's (0 or 1). */
    public String subnet(String tier, int index) {
        return prefix() + "-" + tier + "-" + (char) ('a' + index);
    }

    public String natAddress() {
        return prefix() + "-nat";
    }

    public String natGateway() {
        return prefix();
    }

    public String routeTable(String tier) {
        return prefix() + "-" + tier;
    }

    public String repository() {
        return prefix();
    }

    /**
     * The DAG bundle's bucket. Bucket names are global across all accounts, so the account and
     * region are in it; at most 5 + 20 + 6 + 12 + 1 + 14 characters, under S3's 63.
     */
    public String dagBucket(Account account) {
        return prefix() + "-dags-" + account.accountId() + "-" + account.region();
    }

    /** Where the scheduler reads the DAG bundle from and {@code gust deploy dags} writes it. */
    public String dagBundleUri(Account account) {
        return "s3://" + dagBucket(account) + "/dags";
    }

    /** The SNS topic of DAGs' notifications ({@code notifications.sns_topic}). */
    public String notificationTopic() {
        return prefix() + "-notifications";
    }

    public String albGroup() {
        return prefix() + "-alb";
    }

    public String tasksGroup() {
        return prefix() + "-tasks";
    }

    public String databaseGroup() {
        return prefix() + "-db";
    }

    public String dbSubnetGroup() {
        return prefix();
    }

    public String dbInstance() {
        return prefix();
    }

    public String secret(String what) {
        return "gust/" + deployment + "/" + what;
    }

    public String executionRole() {
        return prefix() + "-execution";
    }

    public String taskRole() {
        return prefix() + "-task";
    }

    public String logGroup(String component) {
        return "/gust/" + deployment + "/" + component;
    }

    public String cluster() {
        return prefix();
    }

    public String taskFamily(String component) {
        return prefix() + "-" + component;
    }

    public String loadBalancer() {
        return prefix();
    }

    public String targetGroup() {
        return prefix() + "-web";
    }

    public String listener(String protocol) {
        return prefix() + "-" + protocol;
    }

    /** Application Auto Scaling's resource id of an ECS service of the deployment. */
    public String scalableTarget(String service) {
        return "service/" + cluster() + "/" + service;
    }

    /** A CloudWatch alarm of the deployment ({@code what}: one of {@link Alarms#NAMES}). */
    public String alarm(String what) {
        return prefix() + "-" + what;
    }

    /** The SNS topic the alarms notify. */
    public String alertTopic() {
        return prefix() + "-alerts";
    }

    public String dashboard() {
        return prefix();
    }

    /** The CloudWatch namespace of the EMF metrics the deployment's containers write. */
    public String metricsNamespace() {
        return "Gust/" + deployment;
    }

    /** A target tracking policy of a service ({@code metric}: requests or cpu). */
    public String scalingPolicy(String service, String metric) {
        return prefix() + "-" + service + "-" + metric;
    }
}
