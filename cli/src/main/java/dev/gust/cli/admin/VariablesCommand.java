package dev.gust.cli.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gust.cli.common.OutputOption;
import dev.gust.cli.common.Table;
import dev.gust.cli.common.UserError;
import dev.gust.cli.context.CliContext;
import dev.gust.cli.context.MetadataAccess;
import dev.gust.core.store.secrets.SecretDecryptionException;
import dev.gust.core.store.secrets.SensitiveNames;
import dev.gust.core.store.variables.Variable;
import dev.gust.core.store.variables.VariableRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gust variables ...}: the Variables DAGs read with {@code {{ var.value.x }}}, as Airflow's
 * command of the same name. Values are text; {@code --json} stores and reads them as JSON. Listing
 * masks the values of sensitive-looking keys ({@link SensitiveNames}); {@code get} of one key
 * prints its value, since asking for it by name is the point.
 */
@Command(
        name = "variables",
        mixinStandardHelpOptions = true,
        description = "Manage Variables.",
        subcommands = {
            VariablesCommand.Set.class,
            VariablesCommand.Get.class,
            VariablesCommand.ListVariables.class,
            VariablesCommand.Delete.class,
            VariablesCommand.Import.class,
            VariablesCommand.Export.class
        })
public final class VariablesCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private VariablesCommand() {}

    /** Opens the metadata database and runs {@code work} in one transaction (an import is all or nothing). */
    private static <T> T withVariables(MetadataAccess metadata, Function<VariableRepository, T> work) {
        try (CliContext cli = metadata.openWithSecrets()) {
            return cli.inTransaction(stores -> work.apply(stores.variables()));
        } catch (SecretDecryptionException e) {
            throw new UserError(
                    e.getMessage() + "; set security.encryption_key to the key the Variables were stored with");
        }
    }

    private static JsonNode parseJson(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UserError(what + " is not valid JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse("") + " (line "
                    + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Create or overwrite a Variable.")
    static final class Set implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Option(names = "--description", paramLabel = "TEXT", description = "What the Variable is for.")
        String description;

        @Option(
                names = {"-j", "--json"},
                description = "VALUE is JSON: check it and store it compactly.")
        boolean json;

        @Override
        public void run() {
            if (key.isBlank()) {
                throw new UserError("the Variable key is empty; give a name such as my_bucket");
            }
            String stored = json ? parseJson(value, "VALUE").toString() : value;
            withVariables(metadata, variables -> {
                variables.set(key, stored, description);
                return null;
            });
            metadata.out().println("Variable " + key + " set");
        }
    }

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = "Print a Variable's value; exit 1 if it does not exist.")
    static final class Get implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "KEY")
        String key;

        @Option(
                names = {"-d", "--default"},
                paramLabel = "VALUE",
                description = "Print this when the Variable does not exist.")
        String defaultValue;

        @Option(
                names = {"-j", "--json"},
                description = "Parse the value as JSON and print it indented.")
        boolean json;

        @Override
        public void run() {
            String value = withVariables(
                    metadata,
                    variables -> variables.find(key).map(Variable::value).orElse(null));
            if (value == null) {
                if (defaultValue == null) {
                    throw new UserError(
                            "no Variable '" + key + "'; 'gust variables list' shows them, --default gives a fallback");
                }
                metadata.out().println(defaultValue);
                return;
            }
            if (json) {
                try {
                    value = JSON.copy()
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(parseJson(value, "the value of Variable '" + key + "'"));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            metadata.out().println(value);
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the Variables; values of sensitive-looking keys (password, token, key...) show as ***.")
    static final class ListVariables implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Mixin
        OutputOption output;

        @Override
        public void run() {
            Table table = new Table("key", "val", "description");
            withVariables(metadata, VariableRepository::list)
                    .forEach(variable -> table.add(Arrays.asList(
                            variable.key(),
                            SensitiveNames.maskIfSensitive(variable.key(), variable.value()),
                            variable.description())));
            table.printOrHint(
                    metadata.out(),
                    metadata.err(),
                    output.format(),
                    "no Variables; 'gust variables set KEY VALUE' creates one");
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a Variable.")
    static final class Delete implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "KEY")
        String key;

        @Override
        public void run() {
            if (!withVariables(metadata, variables -> variables.delete(key))) {
                throw new UserError("no Variable '" + key + "' to delete; 'gust variables list' shows them");
            }
            metadata.out().println("Variable " + key + " deleted");
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description =
                    "Create or overwrite Variables from a JSON object of key -> value (values that are not strings are stored as JSON).")
    static final class Import implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public void run() {
            String text;
            try {
                text = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw new UserError("no file " + file + " to import");
            } catch (IOException e) {
                throw new UserError("cannot read " + file + ": " + e.getMessage());
            }
            JsonNode root = parseJson(text, file.toString());
            if (root == null || !root.isObject()) {
                throw new UserError(
                        file + " must hold a JSON object of key -> value, such as {\"my_bucket\": \"s3://data\"}");
            }
            int[] created = {0};
            int[] overwritten = {0};
            withVariables(metadata, variables -> {
                // An import sets values; the descriptions people wrote stay.
                Map<String, String> existing = new java.util.HashMap<>();
                variables.list().forEach(variable -> existing.put(variable.key(), variable.description()));
                for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    JsonNode value = entry.getValue();
                    variables.set(
                            entry.getKey(),
                            value.isTextual() ? value.asText() : value.toString(),
                            existing.get(entry.getKey()));
                    if (existing.containsKey(entry.getKey())) {
                        overwritten[0]++;
                    } else {
                        created[0]++;
                    }
                }
                return null;
            });
            metadata.out()
                    .printf(
                            "imported %d Variables from %s: %d created, %d overwritten%n",
                            created[0] + overwritten[0], file, created[0], overwritten[0]);
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description =
                    "Write every Variable to FILE as a JSON object of key -> value (values holding a JSON object or array are written as JSON).")
    static final class Export implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public void run() {
            ObjectNode all = JSON.createObjectNode();
            withVariables(metadata, VariableRepository::list)
                    .forEach(variable -> all.set(variable.key(), exported(variable.value())));
            try {
                Files.writeString(
                        file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all) + System.lineSeparator());
            } catch (IOException e) {
                throw new UserError("cannot write " + file + ": " + e.getMessage());
            }
            metadata.out().printf("exported %d Variables to %s%n", all.size(), file);
        }

        /**
         * Only objects and arrays are written as JSON: a text such as "123" stays a string, so that
         * importing the file again gives back exactly the same values.
         */
        private static JsonNode exported(String value) {
            String trimmed = value.strip();
            if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
                try {
                    JsonNode parsed = JSON.readTree(value);
                    if (parsed != null
                            && parsed.isContainerNode()
                            && parsed.toString().equals(value)) {
                        return parsed;
                    }
                } catch (JsonProcessingException notJson) {
                    // a text that merely starts with a brace
                }
            }
            return JSON.getNodeFactory().textNode(value);
        }
    }
}
