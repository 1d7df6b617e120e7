package dev.gust.core.dag.operator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a DAG file may write for one operator: its Gust name, the Airflow class paths that mean
 * the same operator, the arguments it requires (each entry is a set of alternatives, any one of
 * which satisfies it), the optional ones, argument aliases (alias to canonical name), and
 * arguments restricted to a closed set of values. A definition is itself a declaration (one
 * that nothing on the class path implements until a scheduler binds an operator to it).
 */
public record OperatorDefinition(
        String name,
        List<String> classPaths,
        List<Set<String>> required,
        List<String> optional,
        Map<String, String> argAliases,
        Map<String, Set<String>> allowedValues)
        implements OperatorDeclaration {

    public OperatorDefinition {
        Objects.requireNonNull(name, "name");
        classPaths = List.copyOf(classPaths);
        required = required.stream()
                .map(s -> Collections.unmodifiableSet(new LinkedHashSet<>(s)))
                .toList();
        optional = List.copyOf(optional);
        argAliases = Map.copyOf(argAliases);
        allowedValues = Map.copyOf(allowedValues);
    }

    @Override
    public OperatorDefinition definition() {
        return this;
    }

    /** Every argument name this operator accepts, canonical names and aliases. */
    public Set<String> argumentNames() {
        Set<String> names = new LinkedHashSet<>();
        required.forEach(names::addAll);
        names.addAll(optional);
        names.addAll(argAliases.keySet());
        return Collections.unmodifiableSet(names);
    }

    public String canonicalArg(String name) {
        return argAliases.getOrDefault(name, name);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a definition one argument at a time, so the catalog reads like a table. */
    public static final class Builder {
        private final String name;
        private final List<String> classPaths = new ArrayList<>();
        private final List<Set<String>> required = new ArrayList<>();
        private final List<String> optional = new ArrayList<>();
        private final Map<String, String> argAliases = new LinkedHashMap<>();
        private final Map<String, Set<String>> allowedValues = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder airflowClass(String... classPaths) {
            this.classPaths.addAll(List.of(classPaths));
            return this;
        }

        /** One required argument, or several alternatives of which one must be given. */
        public Builder required(String... alternatives) {
            required.add(new LinkedHashSet<>(List.of(alternatives)));
            return this;
        }

        public Builder optional(String... names) {
            optional.addAll(List.of(names));
            return this;
        }

        public Builder argAlias(String alias, String canonical) {
            argAliases.put(alias, canonical);
            return this;
        }

        public Builder allowed(String arg, String... values) {
            allowedValues.put(arg, Set.of(values));
            return this;
        }

        public OperatorDefinition build() {
            return new OperatorDefinition(name, classPaths, required, optional, argAliases, allowedValues);
        }
    }
}
