package dev.gust.webserver.ui;

import dev.gust.core.store.Stores;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.connections.ConnectionRepository;
import dev.gust.core.store.pools.Pool;
import dev.gust.core.store.pools.PoolRepository;
import dev.gust.core.store.secrets.SensitiveNames;
import dev.gust.core.store.variables.Variable;
import dev.gust.core.store.variables.VariableRepository;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Op pages for variables, connections and pools: list, create, edit, delete (after a
 * confirmation). Values of sensitive variables are masked, connection passwords and extras are
 * never sent to the browser (an empty password on edit keeps the stored one), the default pool
 * cannot be deleted. Every change is written to the audit log.
 */
public final class AdminPages {

    /** A variable as listed: its value masked when the key names a secret. */
    public record VariableRow(String key, String shownValue, String description, boolean sensitive) {}

    private final Pages pages;
    private final VariableRepository variables;
    private final ConnectionRepository connections;
    private final PoolRepository pools;
    private final Stores stores;

    public AdminPages(Pages pages, WebServices services) {
        this.pages = pages;
        this.stores = services.stores();
        this.variables = stores.variables();
        this.connections = stores.connections();
        this.pools = stores.pools();
    }

    // ---- variables

    public void variables(Context ctx) {
        List<VariableRow> rows = variables.list().stream()
                .map(v -> new VariableRow(
                        v.key(),
                        SensitiveNames.maskIfSensitive(v.key(), v.value()),
                        v.description(),
                        SensitiveNames.isSensitive(v.key())))
                .toList();
        pages.html(ctx, "variables", Map.of("variables", rows));
    }

    public void variableForm(Context ctx) {
        String key = ctx.pathParamMap().containsKey("key") ? ctx.pathParam("key") : null;
        Variable existing = key == null
                ? null
                : variables.find(key).orElseThrow(() -> new PageNotFound("There is no variable '" + key + "'."));
        Map<String, Object> model = new HashMap<>();
        model.put("key", existing == null ? "" : existing.key());
        model.put("editing", existing != null);
        boolean sensitive = existing != null && SensitiveNames.isSensitive(existing.key());
        // A secret's value is not sent back to the browser; an empty field on save keeps it.
        model.put("value", existing == null || sensitive ? "" : existing.value());
        model.put("sensitive", sensitive);
        model.put("description", existing == null || existing.description() == null ? "" : existing.description());
        pages.html(ctx, "variable_form", model);
    }

    public void saveVariable(Context ctx) {
        String key = trimmed(ctx.formParam("key"));
        String value = ctx.formParam("value");
        String description = trimmed(ctx.formParam("description"));
        boolean editing = "true".equals(ctx.formParam("editing"));
        if (key.isEmpty()) {
            ctx.status(400);
            formError(
                    ctx,
                    "variable_form",
                    "Give the variable a key.",
                    Map.of(
                            "key",
                            key,
                            "value",
                            value == null ? "" : value,
                            "description",
                            description,
                            "editing",
                            editing,
                            "sensitive",
                            false));
            return;
        }
        if (editing && (value == null || value.isEmpty()) && SensitiveNames.isSensitive(key)) {
            value = variables.find(key).map(Variable::value).orElse("");
        }
        variables.set(key, value == null ? "" : value, description.isEmpty() ? null : description);
        pages.audit(ctx, editing ? "variable_edit" : "variable_create", null, null, null, "key=" + key);
        pages.flash(ctx, "Variable '" + key + "' " + (editing ? "saved." : "created."));
        ctx.redirect("/variables");
    }

    public void confirmDeleteVariable(Context ctx) {
        String key = ctx.pathParam("key");
        variables.find(key).orElseThrow(() -> new PageNotFound("There is no variable '" + key + "'."));
        pages.html(
                ctx,
                "confirm",
                Map.of(
                        "c",
                        new Confirmation(
                                "Delete variable " + key,
                                "Delete variable '" + key + "'? Tasks that read it will fail.",
                                List.of("variable " + key),
                                null,
                                "/variables/" + Fmt.segment(key) + "/delete",
                                Map.of(),
                                "Delete",
                                "/variables",
                                List.of(),
                                true)));
    }

    public void deleteVariable(Context ctx) {
        String key = ctx.pathParam("key");
        if (variables.delete(key)) {
            pages.audit(ctx, "variable_delete", null, null, null, "key=" + key);
            pages.flash(ctx, "Variable '" + key + "' deleted.");
        }
        ctx.redirect("/variables");
    }

    // ---- connections

    public void connections(Context ctx) {
        pages.html(ctx, "connections", Map.of("connections", connections.list()));
    }

    public void connectionForm(Context ctx) {
        String id = ctx.pathParamMap().containsKey("conn_id") ? ctx.pathParam("conn_id") : null;
        Connection existing = id == null
                ? null
                : connections.find(id).orElseThrow(() -> new PageNotFound("There is no connection '" + id + "'."));
        pages.html(ctx, "connection_form", connectionModel(existing, existing != null, null));
    }

    private static Map<String, Object> connectionModel(Connection c, boolean editing, String error) {
        Map<String, Object> model = new HashMap<>();
        // Password and extra are secrets: never put in the page, only whether one is stored.
        model.put(
                "c",
                c == null
                        ? new Connection("", "", "", "", "", "", null, null, null)
                        : new Connection(
                                c.connId(),
                                c.connType(),
                                c.description(),
                                c.host(),
                                c.schema(),
                                c.login(),
                                null,
                                c.port(),
                                null));
        model.put(
                "hasPassword",
                c != null && c.password() != null && !c.password().isEmpty());
        model.put("hasExtra", c != null && c.extra() != null && !c.extra().isEmpty());
        model.put("editing", editing);
        model.put("error", error);
        return model;
    }

    public void saveConnection(Context ctx) {
        boolean editing = "true".equals(ctx.formParam("editing"));
        String id = trimmed(ctx.formParam("conn_id"));
        String portText = trimmed(ctx.formParam("port"));
        Integer port = null;
        String error = null;
        if (id.isEmpty()) {
            error = "Give the connection an id.";
        } else if (trimmed(ctx.formParam("conn_type")).isEmpty()) {
            error = "Give the connection a type, like postgres or http.";
        } else if (!portText.isEmpty()) {
            try {
                port = Integer.parseInt(portText);
                if (port < 0 || port > 65535) {
                    error = "The port must be a number from 0 to 65535.";
                }
            } catch (NumberFormatException e) {
                error = "The port must be a number from 0 to 65535.";
            }
        }
        Connection old = editing ? connections.find(id).orElse(null) : null;
        if (error == null && !editing && connections.find(id).isPresent()) {
            error = "A connection '" + id + "' exists already; edit it instead.";
        }
        String password = ctx.formParam("password");
        String extra = ctx.formParam("extra");
        Connection c = new Connection(
                id,
                trimmed(ctx.formParam("conn_type")),
                nullIfBlank(ctx.formParam("description")),
                nullIfBlank(ctx.formParam("host")),
                nullIfBlank(ctx.formParam("schema")),
                nullIfBlank(ctx.formParam("login")),
                password == null || password.isEmpty() ? (old == null ? null : old.password()) : password,
                port,
                extra == null || extra.isBlank() ? (old == null ? null : old.extra()) : extra.strip());
        if (error != null) {
            ctx.status(400);
            pages.html(ctx, "connection_form", connectionModel(c, editing, error));
            return;
        }
        // Replace in one transaction so that a failure never leaves the connection missing.
        stores.inTransaction(tx -> {
            ConnectionRepository repo = tx.connections();
            repo.delete(id);
            return repo.add(c);
        });
        pages.audit(ctx, editing ? "connection_edit" : "connection_create", null, null, null, "conn_id=" + id);
        pages.flash(ctx, "Connection '" + id + "' " + (editing ? "saved." : "created."));
        ctx.redirect("/connections");
    }

    public void confirmDeleteConnection(Context ctx) {
        String id = ctx.pathParam("conn_id");
        connections.find(id).orElseThrow(() -> new PageNotFound("There is no connection '" + id + "'."));
        pages.html(
                ctx,
                "confirm",
                Map.of(
                        "c",
                        new Confirmation(
                                "Delete connection " + id,
                                "Delete connection '" + id + "'? Tasks that use it will fail.",
                                List.of("connection " + id),
                                null,
                                "/connections/" + Fmt.segment(id) + "/delete",
                                Map.of(),
                                "Delete",
                                "/connections",
                                List.of(),
                                true)));
    }

    public void deleteConnection(Context ctx) {
        String id = ctx.pathParam("conn_id");
        if (connections.delete(id)) {
            pages.audit(ctx, "connection_delete", null, null, null, "conn_id=" + id);
            pages.flash(ctx, "Connection '" + id + "' deleted.");
        }
        ctx.redirect("/connections");
    }

    // ---- pools

    public void pools(Context ctx) {
        pages.html(ctx, "pools", Map.of("pools", pools.usage(), "defaultPool", Pool.DEFAULT));
    }

    public void poolForm(Context ctx) {
        String name = ctx.pathParamMap().containsKey("pool") ? ctx.pathParam("pool") : null;
        Pool existing = name == null
                ? null
                : pools.find(name).orElseThrow(() -> new PageNotFound("There is no pool '" + name + "'."));
        Map<String, Object> model = new HashMap<>();
        model.put("name", existing == null ? "" : existing.name());
        model.put("slots", existing == null ? "128" : String.valueOf(existing.slots()));
        model.put("description", existing == null || existing.description() == null ? "" : existing.description());
        model.put("editing", existing != null);
        pages.html(ctx, "pool_form", model);
    }

    public void savePool(Context ctx) {
        boolean editing = "true".equals(ctx.formParam("editing"));
        String name = trimmed(ctx.formParam("name"));
        String slotsText = trimmed(ctx.formParam("slots"));
        String description = trimmed(ctx.formParam("description"));
        String error = null;
        int slots = 0;
        try {
            slots = Integer.parseInt(slotsText);
            if (slots < -1) {
                error = "Slots must be 0 or more, or -1 for unlimited.";
            }
        } catch (NumberFormatException e) {
            error = "Slots must be a whole number (0 or more, or -1 for unlimited).";
        }
        if (name.isEmpty()) {
            error = "Give the pool a name.";
        } else if (!editing && pools.find(name).isPresent()) {
            error = "A pool '" + name + "' exists already; edit it instead.";
        }
        if (error != null) {
            ctx.status(400);
            formError(
                    ctx,
                    "pool_form",
                    error,
                    Map.of("name", name, "slots", slotsText, "description", description, "editing", editing));
            return;
        }
        pools.set(new Pool(name, slots, description.isEmpty() ? null : description));
        pages.audit(ctx, editing ? "pool_edit" : "pool_create", null, null, null, "pool=" + name + ", slots=" + slots);
        pages.flash(ctx, "Pool '" + name + "' " + (editing ? "saved" : "created") + " with " + slots + " slots.");
        ctx.redirect("/pools");
    }

    public void confirmDeletePool(Context ctx) {
        String name = ctx.pathParam("pool");
        pools.find(name).orElseThrow(() -> new PageNotFound("There is no pool '" + name + "'."));
        if (Pool.DEFAULT.equals(name)) {
            showDefaultPoolKept(ctx);
            return;
        }
        pages.html(
                ctx,
                "confirm",
                Map.of(
                        "c",
                        new Confirmation(
                                "Delete pool " + name,
                                "Delete pool '" + name + "'? Tasks that name it wait until it exists again.",
                                List.of("pool " + name),
                                null,
                                "/pools/" + Fmt.segment(name) + "/delete",
                                Map.of(),
                                "Delete",
                                "/pools",
                                List.of(),
                                true)));
    }

    /** The page that says why the default pool stays: asked to delete it, from the list or by a forged POST. */
    private void showDefaultPoolKept(Context ctx) {
        pages.html(
                ctx,
                "confirm",
                Map.of(
                        "c",
                        new Confirmation(
                                "Delete pool " + Pool.DEFAULT,
                                "The default pool cannot be deleted; edit its slots instead.",
                                List.of(),
                                null,
                                null,
                                Map.of(),
                                null,
                                "/pools",
                                List.of(),
                                false)));
    }

    public void deletePool(Context ctx) {
        String name = ctx.pathParam("pool");
        if (Pool.DEFAULT.equals(name)) {
            ctx.status(400);
            showDefaultPoolKept(ctx);
            return;
        }
        if (pools.delete(name)) {
            pages.audit(ctx, "pool_delete", null, null, null, "pool=" + name);
            pages.flash(ctx, "Pool '" + name + "' deleted.");
        }
        ctx.redirect("/pools");
    }

    // ---- shared

    private void formError(Context ctx, String template, String error, Map<String, Object> values) {
        Map<String, Object> model = new HashMap<>(values);
        model.put("error", error);
        pages.html(ctx, template, model);
    }

    private static String trimmed(String value) {
        return value == null ? "" : value.trim();
    }

    private static String nullIfBlank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
