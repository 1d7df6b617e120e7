package dev.gust.deploy.model;

/** The AWS account, region and partition ARNs are built in (from STS GetCallerIdentity). */
public record Account(String accountId, String region, String partition) {

    public String arn(String service, String resource) {
        return "arn:" + partition + ":" + service + ":" + region + ":" + accountId + ":" + resource;
    }

    public String globalArn(String service, String resource) {
        return "arn:" + partition + ":" + service + "::" + accountId + ":" + resource;
    }
}
