package dev.gust.deploy.model;

import dev.gust.deploy.DeployException;

/** Splits a VPC's IPv4 block into the deployment's four subnets: sixteenths of it, the first four. */
final class Cidr {

    private Cidr() {}

    /**
     * The {@code index}th (0 to 3) sixteenth of {@code vpcCidr}: public subnets take 0 and 1,
     * private ones 2 and 3; the other twelve stay free for whatever is added by hand.
     */
    static String subnet(String vpcCidr, int index) {
        String[] parts = vpcCidr.split("/");
        int prefix;
        long address = 0;
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            prefix = Integer.parseInt(parts[1]);
            String[] octets = parts[0].split("\\.");
            if (octets.length != 4) {
                throw new NumberFormatException();
            }
            for (String octet : octets) {
                int value = Integer.parseInt(octet);
                if (value < 0 || value > 255) {
                    throw new NumberFormatException();
                }
                address = address << 8 | value;
            }
        } catch (NumberFormatException e) {
            throw new DeployException(
                    "deploy.yaml: network.cidr '" + vpcCidr + "' is not an IPv4 block like 10.0.0.0/16");
        }
        // AWS takes VPC blocks from /16 to /28 and subnets down to /28: a sixteenth is /prefix+4.
        if (prefix < 16 || prefix > 24) {
            throw new DeployException("deploy.yaml: network.cidr needs a prefix from /16 to /24 (got /" + prefix + ")");
        }
        long mask = 0xFFFFFFFFL << (32 - prefix) & 0xFFFFFFFFL;
        if ((address & mask) != address) {
            throw new DeployException("deploy.yaml: network.cidr '" + vpcCidr + "' has host bits set");
        }
        long subnet = address + ((long) index << (32 - prefix - 4));
        return (subnet >> 24 & 255) + "." + (subnet >> 16 & 255) + "." + (subnet >> 8 & 255) + "." + (subnet & 255)
                + "/" + (prefix + 4);
    }
}
