package dev.gust.core.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.util.HierarchicalNameMapper;
import java.util.List;

/**
 * Plain StatsD names as Airflow writes them: the prefix, the metric's name, then the values of its
 * tags in Airflow's order ({@code ti.finish.<dag_id>.<state>},
 * {@code pool.open_slots.<pool>}), without Micrometer's statistic suffix; dots, spaces and
 * StatsD's separators inside a value become underscores so that they do not split the name.
 */
final class AirflowNameMapper implements HierarchicalNameMapper {

    private static final List<String> ORDER = List.of("dag_id", "pool", "state");
    private static final String STATISTIC = "statistic";

    private final String prefix;

    AirflowNameMapper(String prefix) {
        this.prefix = prefix.isBlank() ? "" : prefix.strip() + ".";
    }

    @Override
    public String toHierarchicalName(Meter.Id id, NamingConvention convention) {
        StringBuilder name = new StringBuilder(prefix).append(id.getName());
        for (String key : ORDER) {
            String value = id.getTag(key);
            if (value != null) {
                name.append('.').append(clean(value));
            }
        }
        for (Tag tag : id.getTagsAsIterable()) {
            if (!ORDER.contains(tag.getKey()) && !tag.getKey().equals(STATISTIC)) {
                name.append('.').append(clean(tag.getValue()));
            }
        }
        return name.toString();
    }

    private static String clean(String value) {
        return value.replaceAll("[.\\s:|@#,]", "_");
    }
}
