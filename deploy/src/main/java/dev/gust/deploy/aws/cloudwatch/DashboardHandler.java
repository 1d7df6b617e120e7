package dev.gust.deploy.aws.cloudwatch;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.ResourceHandler;
import dev.gust.deploy.model.Names;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deployment's CloudWatch dashboard: the alarms' states, then one graph per alarm with its
 * threshold. Dashboards take no tags, so the deployment and fingerprint are written in its first
 * (text) widget, where {@link #find} reads them back.
 */
public final class DashboardHandler implements ResourceHandler<ResourceSpec.Dashboard> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OWNER = Pattern.compile(
            Pattern.quote(Names.DEPLOYMENT_TAG) + "=([\\w.-]+) " + Pattern.quote(Names.FINGERPRINT_TAG) + "=(\\w+)");

    @Override
    public List<Existing> find(FindContext context) {
        String name = context.names().dashboard();
        var dashboards = call(
                "cloudwatch:ListDashboards",
                name,
                () -> context.aws()
                        .cloudwatch()
                        .listDashboards(r -> r.dashboardNamePrefix(name))
                        .dashboardEntries());
        for (var entry : dashboards) {
            if (entry.dashboardName().equals(name)) {
                String body = call(
                        "cloudwatch:GetDashboard",
                        name,
                        () -> context.aws()
                                .cloudwatch()
                                .getDashboard(r -> r.dashboardName(name))
                                .dashboardBody());
                Map<String, String> tags = new HashMap<>();
                Matcher m = OWNER.matcher(body);
                if (m.find()) {
                    tags.put(Names.DEPLOYMENT_TAG, m.group(1));
                    tags.put(Names.FINGERPRINT_TAG, m.group(2));
                }
                return List.of(context.claim(name, entry.dashboardArn(), tags));
            }
        }
        return List.of();
    }

    @Override
    public String create(Resource resource, ResourceSpec.Dashboard spec, ApplyContext context) {
        return put(resource, spec, context);
    }

    @Override
    public String update(Resource resource, ResourceSpec.Dashboard spec, Existing existing, ApplyContext context) {
        return put(resource, spec, context);
    }

    private static String put(Resource resource, ResourceSpec.Dashboard spec, ApplyContext context) {
        String body = body(resource, spec, context);
        run(
                "cloudwatch:PutDashboard",
                resource.name(),
                () -> context.aws()
                        .cloudwatch()
                        .putDashboard(b -> b.dashboardName(resource.name()).dashboardBody(body)));
        return resource.name();
    }

    private static String body(Resource resource, ResourceSpec.Dashboard spec, ApplyContext context) {
        String region = context.aws().region().id();
        List<String> arns = spec.alarms().stream()
                .map(alarm -> context.id(ResourceKind.ALARM, alarm))
                .toList();
        List<Map<String, Object>> widgets = new ArrayList<>();
        widgets.add(widget(
                "text",
                0,
                24,
                2,
                Map.of(
                        "markdown",
                        "# Gust " + context.names().deployment() + "\nMade by `gust deploy`; changes by hand are"
                                + " replaced on the next run. `" + Names.DEPLOYMENT_TAG + "="
                                + context.names().deployment() + " " + Names.FINGERPRINT_TAG + "="
                                + resource.fingerprint() + "`")));
        widgets.add(widget("alarm", 2, 24, 3, Map.of("title", "Alarms", "alarms", arns)));
        int y = 5;
        int x = 0;
        for (String arn : arns) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("title", arn.substring(arn.lastIndexOf(':') + 1));
            properties.put("region", region);
            properties.put("annotations", Map.of("alarms", List.of(arn)));
            properties.put("view", "timeSeries");
            Map<String, Object> graph = widget("metric", y, 8, 6, properties);
            graph.put("x", x);
            widgets.add(graph);
            x += 8;
            if (x >= 24) {
                x = 0;
                y += 6;
            }
        }
        try {
            return JSON.writeValueAsString(Map.of("widgets", widgets));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> widget(
            String type, int y, int width, int height, Map<String, Object> properties) {
        Map<String, Object> widget = new LinkedHashMap<>();
        widget.put("type", type);
        widget.put("x", 0);
        widget.put("y", y);
        widget.put("width", width);
        widget.put("height", height);
        widget.put("properties", properties);
        return widget;
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        run(
                "cloudwatch:DeleteDashboards",
                existing.name(),
                () -> context.aws().cloudwatch().deleteDashboards(b -> b.dashboardNames(existing.name())));
    }
}
