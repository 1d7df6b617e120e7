package dev.gust.core.dag.operator;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators DAG files may use, looked up by Gust name or by Airflow class path: the
 * {@link BuiltInOperators} and every {@link OperatorDeclaration} that {@link ServiceLoader} finds
 * on the class path. The DAG parser validates against it and the scheduler runs what it holds,
 * so whatever a plugin jar declares is both valid in DAG files and run. A plugin that takes a
 * name already taken replaces that operator (under its class paths too), and one that takes a
 * class path takes it over; both with a warning, since that is surprising.
 */
public final class OperatorCatalog {

    private static final Logger log = LoggerFactory.getLogger(OperatorCatalog.class);

    // filled only by the factories below, so a built catalog is safe to share between threads
    private final Map<String, OperatorDeclaration> byName = new LinkedHashMap<>();
    private final Map<String, OperatorDefinition> byAnyName = new LinkedHashMap<>();

    private OperatorCatalog() {}

    /** Only Gust's own operators, whatever the class path holds. */
    public static OperatorCatalog builtIn() {
        OperatorCatalog catalog = new OperatorCatalog();
        BuiltInOperators.ALL.forEach(catalog::add);
        return catalog;
    }

    /**
     * The built-in operators and the declarations on the class path of this class's loader,
     * found once per process (the class path does not change), so that the DAG parser and the
     * executors of a process share one catalog.
     */
    public static OperatorCatalog onClassPath() {
        return ClassPathCatalog.INSTANCE;
    }

    /** The built-in operators and the declarations {@code plugins} finds. */
    public static OperatorCatalog load(ClassLoader plugins) {
        OperatorCatalog catalog = builtIn();
        Iterator<OperatorDeclaration> found =
                ServiceLoader.load(OperatorDeclaration.class, plugins).iterator();
        while (true) {
            try {
                if (!found.hasNext()) {
                    return catalog;
                }
                catalog.addPlugin(found.next());
            } catch (ServiceConfigurationError | RuntimeException e) {
                // one broken jar must not take the DAG parser down: its operators are then unknown in DAG files
                log.warn("an operator plugin could not be loaded, its operators are unknown: {}", e, e);
            }
        }
    }

    /** Finds an operator by its Gust name or any of its Airflow class paths. */
    public Optional<OperatorDefinition> find(String nameOrClassPath) {
        return Optional.ofNullable(byAnyName.get(nameOrClassPath));
    }

    /** The declaration registered under that Gust name: for the scheduler, which binds implementations to it. */
    public Optional<OperatorDeclaration> declaration(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<OperatorDeclaration> declarations() {
        return List.copyOf(byName.values());
    }

    /** Gust names of all operators, sorted, for error messages. */
    public List<String> names() {
        return byName.keySet().stream().sorted().toList();
    }

    /** Holds the class path's catalog, built on first use. */
    private static final class ClassPathCatalog {
        static final OperatorCatalog INSTANCE = load(OperatorCatalog.class.getClassLoader());
    }

    private void addPlugin(OperatorDeclaration declaration) {
        OperatorDefinition definition = declaration.definition();
        OperatorDefinition replaced = byAnyName.get(definition.name());
        if (replaced != null) {
            log.warn(
                    "operator plugin {} replaces the operator '{}'",
                    declaration.getClass().getName(),
                    replaced.name());
        }
        for (String classPath : definition.classPaths()) {
            OperatorDefinition taken = byAnyName.get(classPath);
            if (taken != null && !taken.name().equals(definition.name())) {
                log.warn(
                        "operator plugin {} takes the class path {} from the operator '{}'",
                        declaration.getClass().getName(),
                        classPath,
                        taken.name());
            }
        }
        add(declaration);
    }

    private void add(OperatorDeclaration declaration) {
        OperatorDefinition definition = declaration.definition();
        if (byName.put(definition.name(), declaration) != null) {
            // the replaced operator's class paths mean the operator of that name, now the plugin's
            byAnyName.replaceAll((key, d) -> d.name().equals(definition.name()) ? definition : d);
        }
        byAnyName.put(definition.name(), definition);
        definition.classPaths().forEach(classPath -> byAnyName.put(classPath, definition));
    }
}
