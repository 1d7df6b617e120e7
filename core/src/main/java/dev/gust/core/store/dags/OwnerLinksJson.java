package dev.gust.core.store.dags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code dag.owner_links} column: owner name to link as a JSON object, null when there are none. */
public final class OwnerLinksJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> LINKS = new TypeReference<>() {};

    private OwnerLinksJson() {}

    public static String write(Map<String, String> links) {
        if (links == null || links.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(links);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    public static Map<String, String> read(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, LINKS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("dag.owner_links is not a JSON object of strings: " + json, e);
        }
    }
}
