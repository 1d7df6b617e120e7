package dev.gust.webserver.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A DAG's owners as pages show them: each name of the comma-separated owners, a link where the
 * DAG's {@code owner_links} names one (as Airflow's DAG list does). The links were checked when
 * the DAG file was loaded (http, https or mailto only).
 */
public final class Owners {

    /** One owner; {@code href} null when the DAG gives no link for it. */
    public record Owner(String name, String href) {}

    private Owners() {}

    public static List<Owner> of(String owners, Map<String, String> links) {
        List<Owner> result = new ArrayList<>();
        if (owners == null || owners.isBlank()) {
            return result;
        }
        for (String name : owners.split(",")) {
            String owner = name.strip();
            if (!owner.isEmpty()) {
                result.add(new Owner(owner, links == null ? null : links.get(owner)));
            }
        }
        return result;
    }
}
