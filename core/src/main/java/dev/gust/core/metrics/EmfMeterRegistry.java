package dev.gust.core.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.step.StepMeterRegistry;
import io.micrometer.core.instrument.step.StepRegistryConfig;
import io.micrometer.core.instrument.util.NamedThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * CloudWatch's Embedded Metric Format: every interval, one JSON line per set of dimensions into
 * the log that the awslogs driver already ships, which CloudWatch turns into metrics under the
 * namespace; no API calls, no agent. Counters are the interval's count, gauges their value,
 * timers their count and mean in milliseconds ({@code <name>.count}, {@code <name>}).
 */
public final class EmfMeterRegistry extends StepMeterRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** CloudWatch takes at most 100 metrics per directive. */
    private static final int MAX_METRICS_PER_LINE = 100;

    private final String namespace;
    private final Consumer<String> sink;

    public EmfMeterRegistry(String namespace, Duration step, Consumer<String> sink, Clock clock) {
        super(config(step), clock);
        this.namespace = namespace;
        this.sink = sink;
        start(new NamedThreadFactory("emf-metrics"));
    }

    private static StepRegistryConfig config(Duration step) {
        return new StepRegistryConfig() {
            @Override
            public String prefix() {
                return "emf";
            }

            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public Duration step() {
                return step;
            }
        };
    }

    @Override
    protected void publish() {
        Map<List<Tag>, Map<String, Value>> byDimensions = new LinkedHashMap<>();
        for (Meter meter : getMeters()) {
            List<Tag> dimensions = meter.getId().getTags();
            Map<String, Value> values = byDimensions.computeIfAbsent(dimensions, d -> new LinkedHashMap<>());
            String name = meter.getId().getName();
            switch (meter) {
                case TimeGauge g -> values.put(name, new Value(g.value(TimeUnit.MILLISECONDS), "Milliseconds"));
                case Gauge g -> values.put(name, new Value(g.value(), "None"));
                case Counter c -> values.put(name, new Value(c.count(), "Count"));
                case FunctionCounter c -> values.put(name, new Value(c.count(), "Count"));
                case Timer t -> {
                    values.put(name + ".count", new Value(t.count(), "Count"));
                    values.put(name, new Value(t.mean(TimeUnit.MILLISECONDS), "Milliseconds"));
                }
                default -> {}
            }
        }
        long timestamp = clock.wallTime();
        byDimensions.forEach((dimensions, values) -> {
            List<Map.Entry<String, Value>> entries = new ArrayList<>(values.entrySet());
            entries.removeIf(e -> Double.isNaN(e.getValue().value()));
            for (int from = 0; from < entries.size(); from += MAX_METRICS_PER_LINE) {
                sink.accept(line(
                        timestamp,
                        dimensions,
                        entries.subList(from, Math.min(entries.size(), from + MAX_METRICS_PER_LINE))));
            }
        });
    }

    private String line(long timestamp, List<Tag> dimensions, List<Map.Entry<String, Value>> values) {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Map<String, String>> definitions = new ArrayList<>();
        for (Map.Entry<String, Value> e : values) {
            definitions.add(Map.of("Name", e.getKey(), "Unit", e.getValue().unit()));
        }
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", namespace);
        directive.put("Dimensions", List.of(dimensions.stream().map(Tag::getKey).toList()));
        directive.put("Metrics", definitions);
        root.put("_aws", Map.of("Timestamp", timestamp, "CloudWatchMetrics", List.of(directive)));
        for (Tag tag : dimensions) {
            root.put(tag.getKey(), tag.getValue());
        }
        for (Map.Entry<String, Value> e : values) {
            root.put(e.getKey(), e.getValue().value());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected TimeUnit getBaseTimeUnit() {
        return TimeUnit.MILLISECONDS;
    }

    private record Value(double value, String unit) {}
}
