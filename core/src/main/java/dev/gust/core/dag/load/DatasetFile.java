package dev.gust.core.dag.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * dag-factory's datasets file: a YAML file with {@code datasets:} listing {@code name} and
 * {@code uri} of each dataset, which a schedule names with {@code file:} and {@code datasets:}
 * (the names). Such a file in the DAG folder is not a DAG file. The path is relative to the DAG
 * file's folder and must stay inside the DAG folder, as documentation files ({@link DocFiles}).
 */
final class DatasetFile {

    private DatasetFile() {}

    /** Whether a file's top level is only a {@code datasets:} list: a datasets file, not a DAG file. */
    static boolean isDatasetFile(YamlMap top) {
        return top.size() == 1 && top.has("datasets") && top.get("datasets").value() instanceof SequenceNode;
    }

    /** The URIs of the datasets {@code names} in the datasets file {@code path}, in the order of the names. */
    static List<String> uris(DocFiles files, String path, List<String> names) {
        String text = files.read(path);
        Object loaded;
        try {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new InvalidValue("names the datasets file '" + path + "', which is not valid YAML");
        }
        Map<String, String> byName = new LinkedHashMap<>();
        if (loaded instanceof Map<?, ?> top && top.get("datasets") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> dataset && dataset.get("name") != null && dataset.get("uri") != null) {
                    byName.put(String.valueOf(dataset.get("name")), String.valueOf(dataset.get("uri")));
                }
            }
        } else {
            throw new InvalidValue("names the datasets file '" + path
                    + "', which must have 'datasets:' listing each dataset's 'name' and 'uri'");
        }
        List<String> uris = new ArrayList<>();
        for (String name : names) {
            String uri = byName.get(name);
            if (uri == null) {
                throw new InvalidValue("names dataset '" + name + "', which the datasets file '" + path
                        + "' does not list (it lists " + String.join(", ", byName.keySet()) + ")");
            }
            uris.add(uri);
        }
        return uris;
    }
}
