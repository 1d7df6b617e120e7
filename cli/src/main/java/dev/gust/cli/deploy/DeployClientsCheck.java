package dev.gust.cli.deploy;

import dev.gust.cli.common.UserError;

/**
 * Whether the AWS clients that only {@code gust deploy} uses are on the class path. The
 * distribution keeps them in {@code lib/deploy}, which the container image leaves out (a deployment
 * is driven from a workstation, never from inside the image it deploys); without this check a
 * deploy command run in the image would end in a {@code NoClassDefFoundError}.
 */
final class DeployClientsCheck {

    /** A class from one of the jars in lib/deploy (EC2's client, the largest of them). */
    static final String PROBE_CLASS = "software.amazon.awssdk.services.ec2.Ec2Client";

    static final String MISSING = "gust deploy runs from a workstation's distribution, not from the container image,"
            + " which leaves out the AWS clients it needs (lib/deploy): run it where Gust was built"
            + " (./gust deploy ..., or cli/target/gust/bin/gust deploy ...)";

    private DeployClientsCheck() {}

    /**
     * Throws the one-line user error when lib/deploy's clients are missing. Each deploy subcommand
     * calls it first: even a method reference such as {@code Deployment::status} links
     * {@code Deployment}, whose catch clauses name classes of those clients.
     */
    static void requireInstalled() {
        try {
            Class.forName(PROBE_CLASS, false, DeployClientsCheck.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new UserError(MISSING);
        }
    }
}
