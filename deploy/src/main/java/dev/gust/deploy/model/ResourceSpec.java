package dev.gust.deploy.model;

import java.util.List;
import java.util.Map;

/**
 * What one resource should look like, one record per kind. Specs refer to other resources by
 * their names (never by ARN or id, which AWS assigns), so the desired state can be computed before
 * anything exists and a fingerprint stays the same from one run to the next.
 */
public sealed interface ResourceSpec {

    /** A VPC made for the deployment; DNS support and hostnames on (tasks resolve AWS endpoints and RDS). */
    record Vpc(String cidr, boolean dnsSupport, boolean dnsHostnames) implements ResourceSpec {}

    /** An internet gateway attached to the deployment's VPC (by name). */
    record InternetGateway(String vpc) implements ResourceSpec {}

    /** A subnet of the deployment's VPC in one availability zone; public ones get the route to the internet gateway. */
    record Subnet(String vpc, String cidr, String availabilityZone, boolean isPublic) implements ResourceSpec {}

    /** The Elastic IP of the NAT gateway. */
    record ElasticIp() implements ResourceSpec {}

    /** The NAT gateway, in a public subnet, with the Elastic IP (both by name). */
    record NatGateway(String subnet, String elasticIp) implements ResourceSpec {}

    /**
     * A route table with one default route (0.0.0.0/0) to the internet gateway or the NAT gateway
     * (the other is null), associated with {@code subnets}.
     */
    record RouteTable(String vpc, List<String> subnets, String internetGateway, String natGateway)
            implements ResourceSpec {}

    /** The image repository; its lifecycle policy expires all but the newest {@code keepImages} images. */
    record Repository(int keepImages) implements ResourceSpec {}

    /**
     * The S3 bucket of the DAG bundle: public access blocked, versioned (the manifest pins object
     * versions), default encryption {@code encryption} (AES256 is SSE-S3).
     */
    record Bucket(boolean versioned, String encryption) implements ResourceSpec {}

    /**
     * A rule (ingress or egress): a TCP port, or {@link #ALL_TRAFFIC}; from or to a CIDR block, or
     * another of the deployment's security groups.
     */
    record Ingress(int port, String cidr, String sourceGroup) {}

    /** The port of a rule that allows every protocol and port (AWS's default egress). */
    int ALL_TRAFFIC = -1;

    /** AWS's default egress: everything, anywhere. */
    List<Ingress> ANY_EGRESS = List.of(new Ingress(ALL_TRAFFIC, "0.0.0.0/0", null));

    /** Its rules are kept in one canonical order, so a spec read back from AWS fingerprints the same. */
    record SecurityGroup(String vpcId, String description, List<Ingress> ingress, List<Ingress> egress)
            implements ResourceSpec {
        public SecurityGroup {
            ingress = canonical(ingress);
            egress = canonical(egress);
        }

        /** With AWS's default egress. */
        public SecurityGroup(String vpcId, String description, List<Ingress> ingress) {
            this(vpcId, description, ingress, ANY_EGRESS);
        }

        private static List<Ingress> canonical(List<Ingress> rules) {
            return rules.stream()
                    .sorted(java.util.Comparator.comparingInt(Ingress::port)
                            .thenComparing(i -> String.valueOf(i.cidr()))
                            .thenComparing(i -> String.valueOf(i.sourceGroup())))
                    .toList();
        }
    }

    record DbSubnetGroup(List<String> subnetIds) implements ResourceSpec {}

    /** How a secret's value is made: generated once (never rotated by a re-run) or given. */
    enum SecretSource {
        GENERATED_PASSWORD,
        GENERATED_KEY,
        GIVEN,
        DATABASE_URL_FROM_INSTANCE
    }

    /**
     * A Secrets Manager secret. {@code givenValueDigest} changes when a given value changes (the
     * value itself stays out of specs, plans and tags).
     */
    record Secret(SecretSource source, String givenValueDigest, String dbInstance, String passwordSecret)
            implements ResourceSpec {}

    /**
     * The RDS instance. {@code deletionProtection} is always on (a component so that instances made
     * before it existed are brought to it); only {@code down}'s snapshotting delete lifts it.
     */
    record DbInstance(
            String instanceClass,
            int allocatedStorageGb,
            String engineVersion,
            boolean multiAz,
            String databaseName,
            String username,
            String passwordSecret,
            String securityGroup,
            String subnetGroup,
            boolean deletionProtection)
            implements ResourceSpec {}

    /**
     * An IAM role ECS tasks assume, with one inline policy (the JSON document, deterministic) and
     * the managed policies attached to it, by ARN.
     */
    record Role(String trustedService, String policyName, String policyDocument, List<String> managedPolicyArns)
            implements ResourceSpec {
        public Role {
            managedPolicyArns = List.copyOf(managedPolicyArns);
        }

        public Role(String trustedService, String policyName, String policyDocument) {
            this(trustedService, policyName, policyDocument, List.of());
        }
    }

    record LogGroup(int retentionDays) implements ResourceSpec {}

    record Cluster(boolean containerInsights) implements ResourceSpec {}

    /** The container health check: the command and its timings. */
    record HealthCheck(
            List<String> command, int intervalSeconds, int timeoutSeconds, int retries, int startPeriodSeconds) {}

    /**
     * A Fargate task definition with one essential container. {@code secrets} maps environment
     * variable names to secret names; {@code healthCheck} is null for the worker (a one-off task).
     */
    record TaskDefinition(
            int cpu,
            int memory,
            String executionRole,
            String taskRole,
            String containerName,
            String image,
            List<String> entryPoint,
            List<String> command,
            List<Integer> ports,
            Map<String, String> environment,
            Map<String, String> secrets,
            HealthCheck healthCheck,
            int stopTimeoutSeconds,
            String logGroup,
            String cpuArchitecture)
            implements ResourceSpec {}

    record LoadBalancer(List<String> subnetIds, String securityGroup) implements ResourceSpec {}

    /** {@code deregistrationDelaySeconds}: how long a stopping webserver keeps its in-flight requests. */
    record TargetGroup(
            String vpcId,
            int port,
            String healthPath,
            int intervalSeconds,
            int timeoutSeconds,
            int unhealthyThreshold,
            int deregistrationDelaySeconds)
            implements ResourceSpec {}

    /**
     * A listener: forwards to a target group, or (HTTP when HTTPS exists) redirects to HTTPS.
     * {@code sslPolicy} (HTTPS only, else null) names the TLS versions and ciphers it accepts.
     */
    record Listener(
            String loadBalancer,
            int port,
            String protocol,
            String certificateArn,
            String targetGroup,
            boolean redirectToHttps,
            String sslPolicy)
            implements ResourceSpec {}

    /**
     * An ECS service. {@code taskDefinitionFingerprint} ties the service to the task definition's
     * spec, so a new revision means an update of the service (a rolling deployment). When
     * {@code autoscaled}, Application Auto Scaling owns the task count after creation: an update
     * leaves it where scaling put it.
     */
    record Service(
            String cluster,
            String taskDefinition,
            String taskDefinitionFingerprint,
            int desiredCount,
            List<String> subnetIds,
            String securityGroup,
            boolean assignPublicIp,
            String targetGroup,
            String containerName,
            int containerPort,
            int healthCheckGracePeriodSeconds,
            boolean autoscaled)
            implements ResourceSpec {}

    /**
     * Application Auto Scaling of one ECS service between {@code min} and {@code max} tasks, with a
     * target tracking policy on the ALB's requests per target (when {@code requestsPerTarget} is
     * set; on {@code targetGroup} of {@code loadBalancer}) and one on the service's average CPU
     * (when {@code cpuPercent} is set).
     */
    record ScalableTarget(
            String cluster,
            String service,
            int min,
            int max,
            Integer requestsPerTarget,
            Integer cpuPercent,
            String loadBalancer,
            String targetGroup)
            implements ResourceSpec {}

    /** The SNS topic DAGs' callbacks publish to ({@code notifications.sns_topic}). */
    record NotificationTopic() implements ResourceSpec {}

    /** The SNS topic the alarms notify, with an e-mail subscription per address (each confirms by mail). */
    record AlertTopic(List<String> emails) implements ResourceSpec {
        public AlertTopic {
            emails = emails.stream().sorted().distinct().toList();
        }
    }

    /**
     * A dimension of an alarm's metric: a fixed value, or (with {@code arnOf}) the CloudWatch form
     * of the ARN of the deployment's resource of that kind named {@code value} (a load balancer's
     * {@code app/NAME/ID}, a target group's {@code targetgroup/NAME/ID}), known only once it exists.
     */
    record AlarmDimension(String name, String value, ResourceKind arnOf) {}

    /**
     * A CloudWatch alarm on one metric: {@code statistic} over {@code periodSeconds}, compared with
     * {@code threshold} for {@code evaluationPeriods} periods; {@code topic} (by name, or null)
     * is told when it fires and when it is OK again.
     */
    record Alarm(
            String description,
            String namespace,
            String metric,
            List<AlarmDimension> dimensions,
            String statistic,
            int periodSeconds,
            int evaluationPeriods,
            double threshold,
            String comparison,
            String treatMissingData,
            String topic)
            implements ResourceSpec {}

    /** The deployment's CloudWatch dashboard: one graph per alarm (by name), with the alarm's line. */
    record Dashboard(List<String> alarms) implements ResourceSpec {}
}
