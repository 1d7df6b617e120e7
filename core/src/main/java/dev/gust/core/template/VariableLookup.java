package dev.gust.core.template;

import java.util.Optional;

/**
 * Reads a Variable for {@code {{ var.value.x }}} and {@code {{ var.json.x }}}. The core
 * defines it so that templating stays independent of the metadata store.
 */
@FunctionalInterface
public interface VariableLookup {

    VariableLookup NONE = key -> Optional.empty();

    /** The variable's raw value, or empty when no variable has that key. */
    Optional<String> get(String key);
}
