package dev.gust.cli.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gust.cli.common.OutputOption;
import dev.gust.cli.common.Table;
import dev.gust.cli.common.UserError;
import dev.gust.cli.context.CliContext;
import dev.gust.cli.context.MetadataAccess;
import dev.gust.core.external.ConnectionTester;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.connections.ConnectionRepository;
import dev.gust.core.store.connections.ConnectionUri;
import dev.gust.core.store.secrets.SecretDecryptionException;
import dev.gust.core.store.secrets.SensitiveNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gust connections ...}: how tasks reach external systems, with Airflow's flags and URI
 * form. Passwords are encrypted at rest by {@link ConnectionRepository}; no subcommand ever
 * prints one, and {@code get} shows the extra with the values of sensitive fields masked.
 */
@Command(
        name = "connections",
        mixinStandardHelpOptions = true,
        description = "Manage Connections.",
        subcommands = {
            ConnectionsCommand.Add.class,
            ConnectionsCommand.Get.class,
            ConnectionsCommand.ListConnections.class,
            ConnectionsCommand.Delete.class,
            ConnectionsCommand.Test.class
        })
public final class ConnectionsCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConnectionsCommand() {}

    /** Opens the database and runs {@code work} with a repository that can encrypt and decrypt secrets. */
    private static <T> T withConnections(MetadataAccess metadata, Function<ConnectionRepository, T> work) {
        try (CliContext cli = metadata.openWithSecrets()) {
            return work.apply(cli.stores().connections());
        } catch (SecretDecryptionException e) {
            throw new UserError(
                    e.getMessage() + "; set security.encryption_key to the key the connections were stored with");
        }
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Add a connection, from a URI (--conn-uri) or from its fields (--conn-type and the others).")
    static final class Add implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "CONN_ID")
        String connId;

        @Option(
                names = "--conn-uri",
                paramLabel = "URI",
                description = "TYPE://[LOGIN[:PASSWORD]@]HOST[:PORT][/SCHEMA][?KEY=VALUE&...], percent-encoded.")
        String uri;

        @Option(names = "--conn-type", paramLabel = "TYPE", description = "For example postgres or http.")
        String type;

        @Option(names = "--conn-host", paramLabel = "HOST")
        String host;

        @Option(names = "--conn-login", paramLabel = "LOGIN")
        String login;

        @Option(names = "--conn-password", paramLabel = "PASSWORD", description = "Stored encrypted.")
        String password;

        @Option(names = "--conn-schema", paramLabel = "SCHEMA")
        String schema;

        @Option(names = "--conn-port", paramLabel = "PORT")
        Integer port;

        @Option(
                names = "--conn-extra",
                paramLabel = "JSON",
                description = "A JSON object of extra options; stored encrypted.")
        String extra;

        @Option(names = "--conn-description", paramLabel = "TEXT")
        String description;

        @Override
        public void run() {
            if (connId.isBlank()) {
                throw new UserError("the connection id is empty; give a name such as my_postgres");
            }
            Connection connection = uri != null ? fromUri() : fromFields();
            boolean added = withConnections(metadata, connections -> connections.add(connection));
            if (!added) {
                throw new UserError("a connection '" + connId
                        + "' already exists; delete it first with 'gust connections delete " + connId + "'");
            }
            metadata.out().println("Connection " + connId + " added (type " + connection.connType() + ")");
        }

        private Connection fromUri() {
            List<String> clashing = new ArrayList<>();
            addIf(clashing, type, "--conn-type");
            addIf(clashing, host, "--conn-host");
            addIf(clashing, login, "--conn-login");
            addIf(clashing, password, "--conn-password");
            addIf(clashing, schema, "--conn-schema");
            addIf(clashing, port, "--conn-port");
            addIf(clashing, extra, "--conn-extra");
            if (!clashing.isEmpty()) {
                throw new UserError("--conn-uri already gives the connection's fields; drop "
                        + String.join(", ", clashing) + " or --conn-uri");
            }
            try {
                return ConnectionUri.parse(uri).toConnection(connId, description);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }

        private Connection fromFields() {
            if (type == null || type.isBlank()) {
                throw new UserError(
                        "give --conn-uri URI, or --conn-type TYPE (such as postgres or http) with the other --conn-* flags");
            }
            if (port != null && (port < 0 || port > 65535)) {
                throw new UserError("--conn-port " + port + " is not a port number from 0 to 65535");
            }
            String compactExtra = null;
            if (extra != null) {
                try {
                    JsonNode parsed = JSON.readTree(extra);
                    if (parsed == null || !parsed.isObject()) {
                        throw new UserError("--conn-extra must be a JSON object, such as '{\"sslmode\": \"require\"}'");
                    }
                    compactExtra = parsed.toString();
                } catch (JsonProcessingException e) {
                    throw new UserError("--conn-extra is not valid JSON: "
                            + e.getOriginalMessage().lines().findFirst().orElse(""));
                }
            }
            return new Connection(connId, type, description, host, schema, login, password, port, compactExtra);
        }

        private static void addIf(List<String> flags, Object value, String flag) {
            if (value != null) {
                flags.add(flag);
            }
        }
    }

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = "Show a connection; the password shows as *** and sensitive fields of the extra are masked.")
    static final class Get implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "CONN_ID")
        String connId;

        @Mixin
        OutputOption output;

        @Override
        public void run() {
            Connection c = withConnections(metadata, connections -> connections.find(connId))
                    .orElseThrow(
                            () -> new UserError("no connection '" + connId + "'; 'gust connections list' shows them"));
            new Table("conn_id", "conn_type", "description", "host", "schema", "login", "password", "port", "extra")
                    .add(Arrays.asList(
                            c.connId(),
                            c.connType(),
                            c.description(),
                            c.host(),
                            c.schema(),
                            c.login(),
                            c.password() == null ? null : SensitiveNames.MASK,
                            c.port() == null ? null : String.valueOf(c.port()),
                            maskedExtra(c.extra())))
                    .print(metadata.out(), output.format());
        }

        /** The extra with the values of sensitive-looking fields masked, at any depth; *** if it is not JSON. */
        static String maskedExtra(String extra) {
            if (extra == null) {
                return null;
            }
            try {
                JsonNode parsed = JSON.readTree(extra);
                return parsed == null ? SensitiveNames.MASK : mask(parsed).toString();
            } catch (JsonProcessingException e) {
                return SensitiveNames.MASK;
            }
        }

        private static JsonNode mask(JsonNode node) {
            if (node instanceof ObjectNode object) {
                for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    field.setValue(
                            SensitiveNames.isSensitive(field.getKey())
                                    ? object.textNode(SensitiveNames.MASK)
                                    : mask(field.getValue()));
                }
            } else if (node instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    array.set(i, mask(array.get(i)));
                }
            }
            return node;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the connections (without their secrets).")
    static final class ListConnections implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Mixin
        OutputOption output;

        @Override
        public void run() {
            Table table = new Table("conn_id", "conn_type", "description", "host", "port", "schema", "login");
            withConnections(metadata, ConnectionRepository::list)
                    .forEach(c -> table.add(Arrays.asList(
                            c.connId(),
                            c.connType(),
                            c.description(),
                            c.host(),
                            c.port() == null ? null : String.valueOf(c.port()),
                            c.schema(),
                            c.login())));
            table.printOrHint(
                    metadata.out(),
                    metadata.err(),
                    output.format(),
                    "no connections; 'gust connections add CONN_ID --conn-uri URI' adds one");
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a connection.")
    static final class Delete implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "CONN_ID")
        String connId;

        @Override
        public void run() {
            if (!withConnections(metadata, connections -> connections.delete(connId))) {
                throw new UserError("no connection '" + connId + "' to delete; 'gust connections list' shows them");
            }
            metadata.out().println("Connection " + connId + " deleted");
        }
    }

    @Command(
            name = "test",
            mixinStandardHelpOptions = true,
            description = "Try a stored connection as Airflow's hooks do (smtp: connect and log in; slackwebhook: the"
                    + " URL is well formed; http: GET the base URL; aws: STS GetCallerIdentity; postgres: connect)."
                    + " Needs core.test_connection = Enabled.")
    static final class Test implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "CONN_ID")
        String connId;

        @Override
        public void run() {
            if (!metadata.config().connectionTestsEnabled()) {
                throw new UserError("Testing connections is disabled in Airflow configuration. Contact your deployment"
                        + " admin to enable it (set core.test_connection to Enabled in gust.yaml or"
                        + " GUST_CORE__TEST_CONNECTION=Enabled)");
            }
            Connection connection = withConnections(metadata, connections -> connections.find(connId))
                    .orElseThrow(
                            () -> new UserError("no connection '" + connId + "'; 'gust connections list' shows them"));
            metadata.out().println("Testing connection " + connId + " (type " + connection.connType() + ")...");
            metadata.out().flush();
            ConnectionTester.Result result = new ConnectionTester().test(connection);
            if (!result.status()) {
                throw new UserError("connection " + connId + " failed its test: " + result.message());
            }
            metadata.out().println("Connection success! " + result.message());
        }
    }
}
