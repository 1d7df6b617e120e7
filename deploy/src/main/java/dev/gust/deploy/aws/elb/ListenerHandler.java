package dev.gust.deploy.aws.elb;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.ResourceHandler;
import dev.gust.deploy.model.Names;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionStatusCodeEnum;

/**
 * The load balancer's listeners: HTTP forwarding to the webserver, or HTTPS forwarding and HTTP
 * redirecting to it; HTTPS with an SSL policy that refuses TLS 1.0 and 1.1 unless deploy.yaml names another.
 */
public final class ListenerHandler implements ResourceHandler<ResourceSpec.Listener> {

    @Override
    public List<Existing> find(FindContext context) {
        var loadBalancer = context.first(ResourceKind.LOAD_BALANCER);
        if (loadBalancer.isEmpty()) {
            return List.of();
        }
        var listeners = call(
                "elasticloadbalancing:DescribeListeners",
                context.names().loadBalancer(),
                () -> context.aws()
                        .elb()
                        .describeListeners(
                                r -> r.loadBalancerArn(loadBalancer.get().id()))
                        .listeners());
        List<Existing> found = new ArrayList<>();
        for (var listener : listeners) {
            Map<String, String> tags = ElbTagging.read(listener.listenerArn(), context);
            String name = tags.getOrDefault(
                    Names.RESOURCE_TAG,
                    context.names().listener(listener.protocolAsString().toLowerCase()));
            found.add(context.claim(name, listener.listenerArn(), tags));
        }
        found.sort(Comparator.comparing(Existing::name).reversed()); // https before http, as created
        return found;
    }

    @Override
    public String create(Resource resource, ResourceSpec.Listener spec, ApplyContext context) {
        return call(
                "elasticloadbalancing:CreateListener",
                resource.name(),
                () -> context.aws()
                        .elb()
                        .createListener(b -> {
                            b.loadBalancerArn(context.id(ResourceKind.LOAD_BALANCER, spec.loadBalancer()))
                                    .port(spec.port())
                                    .protocol(ProtocolEnum.fromValue(spec.protocol()))
                                    .defaultActions(action(spec, context))
                                    .tags(context.tags(resource, true).elb());
                            if (spec.certificateArn() != null) {
                                b.certificates(Certificate.builder()
                                        .certificateArn(spec.certificateArn())
                                        .build());
                            }
                            if (spec.sslPolicy() != null) {
                                b.sslPolicy(spec.sslPolicy());
                            }
                        })
                        .listeners()
                        .get(0)
                        .listenerArn());
    }

    @Override
    public String update(Resource resource, ResourceSpec.Listener spec, Existing existing, ApplyContext context) {
        var elb = context.aws().elb();
        String id = existing.id();
        run(
                "elasticloadbalancing:ModifyListener",
                resource.name(),
                () -> elb.modifyListener(b -> {
                    b.listenerArn(id)
                            .port(spec.port())
                            .protocol(ProtocolEnum.fromValue(spec.protocol()))
                            .defaultActions(action(spec, context));
                    if (spec.certificateArn() != null) {
                        b.certificates(Certificate.builder()
                                .certificateArn(spec.certificateArn())
                                .build());
                    }
                    if (spec.sslPolicy() != null) {
                        b.sslPolicy(spec.sslPolicy());
                    }
                }));
        ElbTagging.tagDone(resource, id, context);
        return id;
    }

    private static Action action(ResourceSpec.Listener spec, ApplyContext context) {
        if (spec.redirectToHttps()) {
            return Action.builder()
                    .type(ActionTypeEnum.REDIRECT)
                    .redirectConfig(
                            r -> r.protocol("HTTPS").port("443").statusCode(RedirectActionStatusCodeEnum.HTTP_301))
                    .build();
        }
        return Action.builder()
                .type(ActionTypeEnum.FORWARD)
                .targetGroupArn(context.id(ResourceKind.TARGET_GROUP, spec.targetGroup()))
                .build();
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        run(
                "elasticloadbalancing:DeleteListener",
                existing.name(),
                () -> context.aws().elb().deleteListener(b -> b.listenerArn(existing.id())));
    }
}
