package dev.gust.deploy.model;

/** deploy.yaml configs for tests, built in code: all defaults but the one section a test is about. */
public final class DeployConfigs {

    private DeployConfigs() {}

    /** An existing database given by URL, so no RDS instance is made. */
    public static DeployConfig withDatabaseUrl(String url) {
        return with(null, new DeployConfig.Database(url, null, 0, null, false), null);
    }

    /** A VPC of the deployment's own ({@code create_vpc: true}) in the default block. */
    public static DeployConfig withOwnVpc() {
        return with(new DeployConfig.Network(null, null, null, true, null), null, null);
    }

    /** HTTPS on the load balancer with this ACM certificate. */
    public static DeployConfig withCertificate(String certificateArn) {
        return with(null, null, certificateArn);
    }

    private static DeployConfig with(
            DeployConfig.Network network, DeployConfig.Database database, String certificateArn) {
        return new DeployConfig(
                network,
                database,
                null,
                null,
                null,
                0,
                null,
                0,
                0,
                certificateArn,
                null,
                null,
                null,
                null,
                null,
                null,
                0,
                null,
                null,
                null);
    }
}
