package dev.gust.bench.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's load averages (1, 5, 15 minutes) as {@code /proc/loadavg} gives them, printed
 * beside a benchmark's figures: on a shared machine they say how much the figures can be trusted.
 */
final class LoadAverage {

    private LoadAverage() {}

    static String now() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
