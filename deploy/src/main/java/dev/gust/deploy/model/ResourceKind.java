package dev.gust.deploy.model;

/**
 * The kinds of AWS resource a deployment is made of, in the order they are created: each kind
 * only refers to kinds before it, so deleting goes through them backwards.
 */
public enum ResourceKind {
    VPC("VPC"),
    INTERNET_GATEWAY("internet gateway"),
    SUBNET("subnet"),
    ELASTIC_IP("Elastic IP"),
    NAT_GATEWAY("NAT gateway"),
    ROUTE_TABLE("route table"),
    REPOSITORY("ECR repository"),
    DAG_BUCKET("S3 bucket"),
    SECURITY_GROUP("security group"),
    DB_SUBNET_GROUP("DB subnet group"),
    SECRET("secret"),
    NOTIFICATION_TOPIC("SNS topic"),
    DB_INSTANCE("RDS instance"),
    DATABASE_URL_SECRET("secret"),
    ROLE("IAM role"),
    LOG_GROUP("log group"),
    CLUSTER("ECS cluster"),
    TASK_DEFINITION("task definition"),
    LOAD_BALANCER("load balancer"),
    TARGET_GROUP("target group"),
    LISTENER("listener"),
    SERVICE("ECS service"),
    SCALABLE_TARGET("scalable target"),
    ALERT_TOPIC("SNS topic"),
    ALARM("CloudWatch alarm"),
    DASHBOARD("CloudWatch dashboard");

    private final String label;

    ResourceKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
