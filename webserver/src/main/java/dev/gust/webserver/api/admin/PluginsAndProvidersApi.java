package dev.gust.webserver.api.admin;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.webserver.BuildVersion;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Airflow's {@code /plugins} and {@code /providers}. Gust loads no plugins (its operators are
 * built in), so the plugin list is empty. Its providers are its operator families: one per Airflow
 * provider package whose operators Gust runs under their Airflow class paths ({@code
 * apache-airflow-providers-http} for the HTTP operator...), at Gust's own version.
 */
public final class PluginsAndProvidersApi {

    /** Airflow's {@code PluginCollection}; always empty. */
    public record Plugins(List<Object> plugins, long totalEntries) {}

    /** Airflow's {@code Provider}. */
    public record Provider(String packageName, String description, String version) {}

    /** Airflow's {@code ProviderCollection} with {@code total_entries}. */
    public record Providers(List<Provider> providers, long totalEntries) {}

    private final ApiContext api;
    private final List<Provider> providers = providers();

    private PluginsAndProvidersApi(ApiContext api) {
        this.api = api;
    }

    public static void register(ApiRouter router, ApiContext api) {
        PluginsAndProvidersApi handlers = new PluginsAndProvidersApi(api);
        router.get("/plugins", handlers::plugins, Role.VIEWER);
        router.get("/providers", handlers::providers, Role.OP);
    }

    private void plugins(Context ctx) {
        api.paging(ctx); // a bad limit or offset is refused here as on every list
        ApiJson.ok(ctx, new Plugins(List.of(), 0));
    }

    private void providers(Context ctx) {
        ApiJson.ok(ctx, new Providers(providers, providers.size()));
    }

    /** The provider packages of the built-in operators' Airflow class paths, each with the operators Gust runs for it. */
    static List<Provider> providers() {
        Map<String, TreeSet<String>> operatorsByPackage = new TreeMap<>();
        for (OperatorDefinition operator : BuiltInOperators.ALL) {
            for (String classPath : operator.classPaths()) {
                String packageName = providerPackage(classPath);
                if (packageName != null) {
                    operatorsByPackage
                            .computeIfAbsent(packageName, p -> new TreeSet<>())
                            .add(operator.name());
                }
            }
        }
        List<Provider> providers = new ArrayList<>();
        operatorsByPackage.forEach((packageName, operators) -> providers.add(new Provider(
                packageName,
                "Built into Gust: the operators " + String.join(", ", operators)
                        + " run under this provider's Airflow class paths",
                BuildVersion.version())));
        return List.copyOf(providers);
    }

    /** {@code airflow.providers.common.sql.operators...} → {@code apache-airflow-providers-common-sql}; null outside providers. */
    static String providerPackage(String classPath) {
        String prefix = "airflow.providers.";
        if (!classPath.startsWith(prefix)) {
            return null;
        }
        String[] parts = classPath.substring(prefix.length()).split("\\.");
        // Providers live one level down (amazon, http), except the "common" family (common.sql).
        String name = parts[0].equals("common") ? "common-" + parts[1] : parts[0];
        return "apache-airflow-providers-" + name;
    }
}
