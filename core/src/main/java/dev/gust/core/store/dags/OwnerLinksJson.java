package dev.gust.core.store.dags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code dag.owner_links} column: owner name to link as a JSON object, null when there are none. */
public final class OwnerLinksJson {

    private OwnerLinksJson() {}

    /**
     * Initialized on the first link written or read, not with this class: every DAG row read goes
     * through {@link #read}, almost always with null, and a command like {@code gust dags list}
     * need not load Jackson for that.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
        static final TypeReference<LinkedHashMap<String, String>> LINKS = new TypeReference<>() {};
    }

    public static String write(Map<String, String> links) {
        if (links == null || links.isEmpty()) {
            return null;
        }
        try {
            return Json.MAPPER.writeValueAsString(links);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    public static Map<String, String> read(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(json, Json.LINKS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("dag.owner_links is not a JSON object of strings: " + json, e);
        }
    }
}
