package dev.gust.webserver.ui;

import dev.gust.core.store.events.Event;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.webserver.WebServices;
import dev.gust.webserver.auth.Csrf;
import dev.gust.webserver.auth.CurrentUser;
import dev.gust.webserver.auth.Principal;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders a page inside the layout with what every page needs: the signed-in user and what their
 * role lets them do (action buttons are hidden otherwise), the CSRF token for forms, the
 * message left by the last action and the formatting helpers. Also writes the audit log for UI actions.
 */
public final class Pages {

    private final WebServices services;
    private final EventLogRepository events;
    private final Fmt fmt;

    public Pages(WebServices services) {
        this.services = services;
        this.events = services.stores().events();
        this.fmt = new Fmt(services.clock());
    }

    /** The request attribute holding when the request started ({@link System#nanoTime}), set by {@link UiRoutes}. */
    static final String STARTED = "gust.ui.started";

    /**
     * Renders the page and answers it, with a {@code Server-Timing} header saying how long the
     * server took (queries and rendering): what {@code gust bench ui} and browser tools read.
     */
    public void html(Context ctx, String template, Map<String, Object> model) {
        String html = render(ctx, template, model);
        Long started = ctx.attribute(STARTED);
        if (started != null) {
            ctx.header(
                    "Server-Timing",
                    String.format(java.util.Locale.ROOT, "app;dur=%.2f", (System.nanoTime() - started) / 1e6));
        }
        ctx.html(html);
    }

    public String render(Context ctx, String template, Map<String, Object> model) {
        Map<String, Object> all = new HashMap<>(model);
        Principal user = CurrentUser.of(ctx).orElse(null);
        Role role = user == null ? Role.PUBLIC : user.role();
        all.put("user", user);
        all.put("canAct", role.includes(Role.USER));
        all.put("canAdmin", role.includes(Role.OP));
        all.put("isAdmin", role.includes(Role.ADMIN));
        all.put("csrf", Csrf.token(ctx));
        all.put("fmt", fmt);
        all.put("flash", Flash.take(ctx));
        // the zone the top bar's "the DAG's zone" means, on pages about one DAG
        if (model.get("h") instanceof DagPage.Header header) {
            all.put("dagZone", header.dag().timezone().getId());
        }
        StringWriter html = new StringWriter();
        try {
            services.templates().getTemplate(template).evaluate(html, all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return html.toString();
    }

    /** Records a UI action in the audit log, owned by the signed-in user. */
    public void audit(Context ctx, String event, String dagId, String runId, String taskId, String extra) {
        events.append(new Event(event, dagId, taskId, runId, CurrentUser.name(ctx), extra));
    }

    /** Leaves a one-line message for the page an action redirects to (shown once, above its content). */
    public void flash(Context ctx, String message) {
        Flash.set(ctx, message);
    }

    /** A 404 page with a message that says what was not found. */
    public void notFound(Context ctx, String message) {
        ctx.status(404).html(render(ctx, "not_found", Map.of("message", message)));
    }
}
