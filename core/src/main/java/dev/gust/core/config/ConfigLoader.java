package dev.gust.core.config;

import dev.gust.core.text.NameSuggester;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Applies the three layers (defaults, file, environment) over the schema and checks every key
 * and value on the way, so that a typo fails at start-up instead of being silently ignored.
 */
final class ConfigLoader {

    private static final String ENV_PREFIX = "GUST_";
    private static final String ENV_SEPARATOR = "__";

    private final List<ConfigSetting> schema;
    private final Map<String, String> environment;
    private final Map<String, ConfigSetting> byKey = new LinkedHashMap<>();

    ConfigLoader(List<ConfigSetting> schema, Map<String, String> environment) {
        this.schema = schema;
        this.environment = environment;
        schema.forEach(s -> byKey.put(s.qualifiedKey(), s));
    }

    GustConfig load(Path explicitFile) {
        Map<String, ConfigValue> values = GustConfig.orderedMap();
        for (ConfigSetting setting : schema) {
            values.put(setting.qualifiedKey(), convert(setting, setting.defaultValue(), "default"));
        }
        configFile(explicitFile).ifPresent(file -> readFile(file, values));
        readEnvironment(values);
        return new GustConfig(values, environment);
    }

    private Optional<Path> configFile(Path explicitFile) {
        if (explicitFile != null) {
            return Optional.of(explicitFile);
        }
        String fromEnv = environment.get(GustConfig.CONFIG_FILE_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(Path.of(fromEnv));
        }
        Path local = Path.of("gust.yaml");
        return Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
    }

    private void readFile(Path file, Map<String, ConfigValue> values) {
        Object document;
        try (Reader reader = Files.newBufferedReader(file)) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException(
                    "config file " + file + " does not exist; check --config or " + GustConfig.CONFIG_FILE_ENV);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        } catch (YAMLException e) {
            throw new ConfigException("config file " + file + " is not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (document == null) {
            return;
        }
        if (!(document instanceof Map<?, ?> sections)) {
            throw new ConfigException("config file " + file + " must be a mapping of sections (core:, database:, ...)");
        }
        String source = file.toString();
        for (var section : sections.entrySet()) {
            String sectionName = String.valueOf(section.getKey());
            if (!(section.getValue() instanceof Map<?, ?> keys)) {
                throw new ConfigException("config file " + file + ": section '" + sectionName
                        + "' must be a mapping of keys" + knownSectionsHint(sectionName));
            }
            for (var entry : keys.entrySet()) {
                String qualified = sectionName + "." + entry.getKey();
                ConfigSetting setting = settingOrError(qualified, "in " + file);
                Object raw = entry.getValue();
                if (raw instanceof Map || raw instanceof List) {
                    throw new ConfigException("config key " + qualified + " in " + file
                            + " must be a single value, not a " + (raw instanceof Map ? "mapping" : "list"));
                }
                values.put(qualified, convert(setting, raw == null ? "" : String.valueOf(raw), source));
            }
        }
    }

    private void readEnvironment(Map<String, ConfigValue> values) {
        environment.keySet().stream()
                .filter(name -> name.startsWith(ENV_PREFIX) && name.contains(ENV_SEPARATOR))
                .sorted()
                .forEach(name -> {
                    String rest = name.substring(ENV_PREFIX.length());
                    int split = rest.indexOf(ENV_SEPARATOR);
                    String qualified = rest.substring(0, split).toLowerCase(Locale.ROOT) + "."
                            + rest.substring(split + ENV_SEPARATOR.length()).toLowerCase(Locale.ROOT);
                    ConfigSetting setting = settingOrError(qualified, "from environment variable " + name);
                    values.put(qualified, convert(setting, environment.get(name), name));
                });
    }

    private ConfigSetting settingOrError(String qualified, String where) {
        ConfigSetting setting = byKey.get(qualified);
        if (setting == null) {
            throw new ConfigException("unknown config key '" + qualified + "' " + where + closestKeyHint(qualified)
                    + "; 'gust config list' shows every key");
        }
        return setting;
    }

    private ConfigValue convert(ConfigSetting setting, String text, String source) {
        Object value;
        try {
            value = setting.type().parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config key " + setting.qualifiedKey() + " (" + source + "): value '" + text
                    + "' is " + e.getMessage());
        }
        if (!setting.choices().isEmpty()) {
            String chosen = setting.choices().stream()
                    .filter(c -> c.equalsIgnoreCase(text.trim()))
                    .findFirst()
                    .orElseThrow(() -> new ConfigException("config key " + setting.qualifiedKey() + " (" + source
                            + "): value '" + text + "' is not one of " + String.join(", ", setting.choices())));
            value = chosen;
        }
        return new ConfigValue(setting, value, text.trim(), source);
    }

    private String knownSectionsHint(String section) {
        boolean known = schema.stream().anyMatch(s -> s.section().equals(section));
        return known
                ? ""
                : " (known sections: "
                        + String.join(
                                ", ",
                                schema.stream()
                                        .map(ConfigSetting::section)
                                        .distinct()
                                        .toList()) + ")";
    }

    private String closestKeyHint(String qualified) {
        return NameSuggester.closest(qualified, byKey.keySet())
                .map(k -> " (did you mean '" + k + "'?)")
                .orElse("");
    }
}
