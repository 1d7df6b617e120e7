package dev.gust.webserver.api.admin;

import dev.gust.core.config.ConfigValue;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Airflow's {@code /config} and {@code /config/section/{section}/option/{option}}: the web
 * server's effective configuration (every setting of Gust's config schema, secrets and passwords
 * inside URLs masked), as JSON or, for {@code Accept: text/plain}, as INI text. Only when
 * {@code webserver.expose_config} is true; otherwise 403 with Airflow's words. Op and Admin read
 * it, as in Airflow.
 */
public final class ConfigApi {

    static final String NOT_EXPOSED =
            "Your Airflow administrator chose not to expose the configuration, most likely for security reasons.";

    /** Airflow's {@code Config}, {@code ConfigSection} and {@code ConfigOption}. */
    public record Config(List<Section> sections) {}

    public record Section(String name, List<Option> options) {}

    public record Option(String key, String value) {}

    private final ApiContext api;

    private ConfigApi(ApiContext api) {
        this.api = api;
    }

    public static void register(ApiRouter router, ApiContext api) {
        ConfigApi handlers = new ConfigApi(api);
        router.get("/config", handlers::config, Role.OP);
        router.get("/config/section/{section}/option/{option}", handlers::option, Role.OP);
    }

    private void config(Context ctx) {
        requireExposed();
        String only = ctx.queryParam("section");
        Map<String, List<Option>> sections = new LinkedHashMap<>();
        for (ConfigValue value : api.services().config().all()) {
            if (only == null || only.equals(value.setting().section())) {
                sections.computeIfAbsent(value.setting().section(), s -> new ArrayList<>())
                        .add(new Option(value.setting().key(), value.displayValue()));
            }
        }
        if (sections.isEmpty()) {
            throw ApiProblem.notFound("Not Found", "section=" + only + " not found.");
        }
        answer(ctx, sections);
    }

    private void option(Context ctx) {
        requireExposed();
        String section = ctx.pathParam("section");
        String option = ctx.pathParam("option");
        ConfigValue value = api.services()
                .config()
                .get(section + "." + option)
                .orElseThrow(() -> ApiProblem.notFound(
                        "Config not found.", "The option [" + section + "/" + option + "] is not found in config."));
        answer(ctx, Map.of(section, List.of(new Option(option, value.displayValue()))));
    }

    private void requireExposed() {
        if (!api.services().config().webserver().exposeConfig()) {
            throw new ApiProblem(403, "Forbidden", NOT_EXPOSED);
        }
    }

    /** JSON unless the client asks for text first, as Airflow's endpoint negotiates. */
    private static void answer(Context ctx, Map<String, List<Option>> sections) {
        String accept = ctx.header("Accept") == null ? "" : ctx.header("Accept").toLowerCase(Locale.ROOT);
        if (accept.startsWith("text/plain")) {
            StringBuilder text = new StringBuilder();
            sections.forEach((name, options) -> {
                text.append('[').append(name).append("]\n");
                options.forEach(o ->
                        text.append(o.key()).append(" = ").append(o.value()).append('\n'));
                text.append('\n');
            });
            ctx.contentType("text/plain; charset=utf-8").result(text.toString());
            return;
        }
        List<Section> list = new ArrayList<>();
        sections.forEach((name, options) -> list.add(new Section(name, options)));
        ApiJson.ok(ctx, new Config(list));
    }
}
