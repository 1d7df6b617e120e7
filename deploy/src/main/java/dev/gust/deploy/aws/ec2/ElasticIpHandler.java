package dev.gust.deploy.aws.ec2;

import static dev.gust.deploy.aws.AwsCalls.call;

import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.ResourceHandler;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** The Elastic IP of the deployment's NAT gateway. */
public final class ElasticIpHandler implements ResourceHandler<ResourceSpec.ElasticIp> {

    @Override
    public List<Existing> find(FindContext context) {
        return Ec2Tagging.findNamed(
                context,
                List.of(context.names().natAddress()),
                "ec2:DescribeAddresses",
                (ec2, filters) -> ec2.describeAddresses(r -> r.filters(filters)).addresses(),
                Address::allocationId,
                Address::tags);
    }

    @Override
    public String create(Resource resource, ResourceSpec.ElasticIp spec, ApplyContext context) {
        // One call: tagged with the fingerprint as it is made.
        return call(
                "ec2:AllocateAddress",
                resource.name(),
                () -> context.aws()
                        .ec2()
                        .allocateAddress(b -> b.domain(DomainType.VPC)
                                .tagSpecifications(TagSpecification.builder()
                                        .resourceType(ResourceType.ELASTIC_IP)
                                        .tags(context.tags(resource, true)
                                                .named(resource.name())
                                                .ec2())
                                        .build()))
                        .allocationId());
    }

    @Override
    public String update(Resource resource, ResourceSpec.ElasticIp spec, Existing existing, ApplyContext context) {
        Ec2Tagging.tagDone(resource, existing.id(), context);
        return existing.id();
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        context.retryWhileInUse(
                "ec2:ReleaseAddress",
                existing.name(),
                () -> context.aws().ec2().releaseAddress(b -> b.allocationId(existing.id())));
    }
}
