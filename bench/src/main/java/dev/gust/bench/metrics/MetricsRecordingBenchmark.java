package dev.gust.bench.metrics;

import dev.gust.bench.BenchContext;
import dev.gust.bench.Figures;
import dev.gust.core.config.GustConfig;
import dev.gust.core.metrics.GustMetrics;
import dev.gust.core.metrics.MetricsExport;
import dev.gust.core.state.TaskState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What recording a task's metrics costs, apart from the engine: the CPU time of the whole process
 * (the recording thread and the registries' publishing threads) per task for {@code off},
 * {@code ecs} and {@code all}, as {@code gust bench engine --metrics} names them. A shared machine
 * makes {@code gust bench engine}'s throughput scatter by more than the few per cent metrics cost;
 * CPU time spent hardly depends on what else runs. One task is what the engine records per try
 * ({@code ti.start}, {@code ti.finish} by state, {@code ti_successes}, over 8 DAGs) and a
 * scheduling round's timer every 50 tasks; StatsD lines go to a UDP listener in this process (a
 * local agent's stand-in), which is counted too. The variants alternate, round after round, and
 * each round waits for one publishing interval (1 s) before it reads the CPU time.
 */
public record MetricsRecordingBenchmark(BenchContext context, MetricsRecordingBenchmark.Settings settings)
        implements Runnable {

    private static final List<String> VARIANTS = List.of("off", "ecs", "all");
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    /** @param tasks tasks recorded per round; @param rounds rounds per variant (the first one warms up, not counted) */
    public record Settings(int tasks, int rounds) {
        public Settings {
            if (tasks < 1000 || rounds < 2) {
                throw new IllegalArgumentException("--tasks is at least 1000 and --rounds at least 2");
            }
        }
    }

    @Override
    public void run() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, List<Double>> nanosPerTask = new LinkedHashMap<>();
        Map<String, AtomicLong> packets = new LinkedHashMap<>();
        try (DatagramSocket statsd = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            AtomicLong received = new AtomicLong();
            Thread listener =
                    Thread.ofPlatform().daemon().name("statsd-listener").start(() -> listen(statsd, received));
            for (int round = 0; round < settings.rounds(); round++) {
                for (String variant : VARIANTS) {
                    long packetsBefore = received.get();
                    MetricsExport export = variant.equals("off")
                            ? null
                            : MetricsExport.start(config(variant, statsd.getLocalPort()), line -> {});
                    GustMetrics metrics = export == null ? GustMetrics.off() : export.metrics();
                    long cpuBefore = os.getProcessCpuTime();
                    record(metrics, settings.tasks());
                    Thread.sleep(INTERVAL.toMillis() + 100);
                    long cpu = os.getProcessCpuTime() - cpuBefore;
                    if (export != null) {
                        export.close();
                    }
                    if (round > 0) {
                        nanosPerTask
                                .computeIfAbsent(variant, v -> new ArrayList<>())
                                .add((double) cpu / settings.tasks());
                        packets.computeIfAbsent(variant, v -> new AtomicLong())
                                .addAndGet(received.get() - packetsBefore);
                    }
                    context.out()
                            .printf(
                                    "round %d %s: %.0f ns CPU per task%n",
                                    round, variant, (double) cpu / settings.tasks());
                    context.out().flush();
                }
            }
            statsd.close();
            listener.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        double off = median(nanosPerTask.get("off"));
        Figures figures =
                new Figures("metrics", "CPU per task (ns, median)", "more than off (ns)", "StatsD packets per round");
        for (String variant : VARIANTS) {
            double median = median(nanosPerTask.get(variant));
            figures.add(
                    variant,
                    String.format("%.0f", median),
                    variant.equals("off") ? "" : String.format("%.0f", median - off),
                    Long.toString(packets.get(variant).get() / (settings.rounds() - 1)));
        }
        context.printTable().accept(figures);
        context.out()
                .printf(
                        "%d tasks a round, %d rounds counted; machine: %d CPUs, load average %.1f%n",
                        settings.tasks(),
                        settings.rounds() - 1,
                        Runtime.getRuntime().availableProcessors(),
                        os.getSystemLoadAverage());
    }

    private static GustConfig.Metrics config(String variant, int statsdPort) {
        return GustConfig.load(
                        null,
                        Map.of(
                                "GUST_METRICS__STATSD_ON",
                                String.valueOf(variant.equals("all")),
                                "GUST_METRICS__STATSD_HOST",
                                "127.0.0.1",
                                "GUST_METRICS__STATSD_PORT",
                                Integer.toString(statsdPort),
                                "GUST_METRICS__EMF_ON",
                                "true",
                                "GUST_METRICS__INTERVAL",
                                INTERVAL.toSeconds() + "s"))
                .metrics();
    }

    private static void record(GustMetrics metrics, int tasks) {
        String[] dags = new String[8];
        for (int d = 0; d < dags.length; d++) {
            dags[d] = "bench_dag_" + d;
        }
        for (int i = 0; i < tasks; i++) {
            String dag = dags[i & 7];
            metrics.taskStarted(dag, "t");
            metrics.taskFinished(dag, "t", TaskState.SUCCESS);
            if (i % 50 == 0) {
                metrics.schedulingRound(1_000_000);
            }
        }
    }

    private static void listen(DatagramSocket socket, AtomicLong received) {
        byte[] buffer = new byte[65535];
        while (!socket.isClosed()) {
            try {
                socket.receive(new DatagramPacket(buffer, buffer.length));
                received.incrementAndGet();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
