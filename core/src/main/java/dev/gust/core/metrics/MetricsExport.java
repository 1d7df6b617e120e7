package dev.gust.core.metrics;

import dev.gust.core.config.GustConfig;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.statsd.StatsdConfig;
import io.micrometer.statsd.StatsdFlavor;
import io.micrometer.statsd.StatsdMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one process's metrics go, from {@code [metrics]}: Prometheus always (scraped from
 * {@code /metrics}), StatsD when {@code metrics.statsd_on}, CloudWatch EMF lines in the log when
 * {@code metrics.emf_on} or in ECS; with the JVM's own meters bound. Built once per process by its
 * composition root; {@link #close} flushes what is pending.
 */
public final class MetricsExport implements AutoCloseable {

    /** The logger EMF lines go to: the CLI writes it raw (one JSON object per line), next to the JSON log. */
    public static final String EMF_LOGGER = "gust.metrics.emf";

    private static final Logger emfLog = LoggerFactory.getLogger(EMF_LOGGER);
    private static final List<String> HIKARI_TIMERS =
            List.of("hikaricp.connections.acquire", "hikaricp.connections.usage", "hikaricp.connections.creation");

    private final CompositeMeterRegistry composite;
    private final PrometheusMeterRegistry prometheus;
    private final List<MeterRegistry> pushing;
    private final List<AutoCloseable> binders;
    private final GustMetrics metrics;

    private MetricsExport(
            CompositeMeterRegistry composite,
            PrometheusMeterRegistry prometheus,
            List<MeterRegistry> pushing,
            List<AutoCloseable> binders) {
        this.composite = composite;
        this.prometheus = prometheus;
        this.pushing = pushing;
        this.binders = binders;
        this.metrics = GustMetrics.recordingTo(composite);
    }

    /** The registries {@code config} asks for; EMF lines go to the {@link #EMF_LOGGER} logger. */
    public static MetricsExport start(GustConfig.Metrics config) {
        return start(config, emfLog::info);
    }

    /** As {@link #start(GustConfig.Metrics)}, with EMF lines handed to {@code emfSink}. */
    public static MetricsExport start(GustConfig.Metrics config, Consumer<String> emfSink) {
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Prometheus reserves the _created suffix (and would drop it): created_task_instances_total there
        prometheus
                .config()
                .meterFilter(renamed(name -> name.equals(GustMetrics.TASK_INSTANCE_CREATED)
                        ? GustMetrics.TASK_INSTANCE_CREATED_PROMETHEUS
                        : name));
        composite.add(prometheus);
        List<MeterRegistry> pushing = new ArrayList<>();
        if (config.statsdOn()) {
            StatsdMeterRegistry statsd = statsd(config);
            composite.add(statsd);
            pushing.add(statsd);
        }
        if (config.emfOn()) {
            EmfMeterRegistry emf =
                    new EmfMeterRegistry(config.emfNamespace(), config.interval(), emfSink, Clock.SYSTEM);
            // Gust's own metrics only: each CloudWatch metric costs money
            emf.config().meterFilter(MeterFilter.denyUnless(id -> GustMetrics.NAMES.contains(id.getName())));
            composite.add(emf);
            pushing.add(emf);
        }
        List<AutoCloseable> binders = new ArrayList<>();
        new JvmMemoryMetrics().bindTo(composite);
        new JvmThreadMetrics().bindTo(composite);
        new ClassLoaderMetrics().bindTo(composite);
        new ProcessorMetrics().bindTo(composite);
        new UptimeMetrics().bindTo(composite);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(composite);
        binders.add(gc);
        return new MetricsExport(composite, prometheus, pushing, binders);
    }

    private static StatsdMeterRegistry statsd(GustConfig.Metrics config) {
        StatsdConfig statsdConfig = new StatsdConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public StatsdFlavor flavor() {
                return config.datadogTags() ? StatsdFlavor.DATADOG : StatsdFlavor.ETSY;
            }

            @Override
            public String host() {
                return config.statsdHost();
            }

            @Override
            public int port() {
                return config.statsdPort();
            }

            @Override
            public Duration pollingFrequency() {
                return config.interval();
            }

            @Override
            public Duration step() {
                return config.interval();
            }
        };
        StatsdMeterRegistry statsd = StatsdMeterRegistry.builder(statsdConfig)
                .nameMapper(new AirflowNameMapper(config.statsdPrefix()))
                .build();
        statsd.config().namingConvention(NamingConvention.identity);
        // StatsD sends a line per recording: HikariCP's per-borrow timers (several per task) cost
        // the engine ~15 % on gust bench engine; its gauges stay, and Prometheus keeps the timers
        statsd.config().meterFilter(MeterFilter.deny(id -> HIKARI_TIMERS.contains(id.getName())));
        if (config.datadogTags() && !config.statsdPrefix().isBlank()) {
            String prefix = config.statsdPrefix().strip() + ".";
            statsd.config().meterFilter(renamed(name -> prefix + name));
        }
        return statsd;
    }

    private static MeterFilter renamed(UnaryOperator<String> rename) {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.withName(rename.apply(id.getName()));
            }
        };
    }

    public GustMetrics metrics() {
        return metrics;
    }

    public MeterRegistry registry() {
        return composite;
    }

    /** The Prometheus text exposition of every meter: what {@code /metrics} answers. */
    public String scrape() {
        return prometheus.scrape();
    }

    @Override
    public void close() {
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        // publishes what the last interval gathered before stopping
        pushing.forEach(MeterRegistry::close);
        prometheus.close();
    }
}
