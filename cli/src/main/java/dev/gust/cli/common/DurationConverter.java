package dev.gust.cli.common;

import dev.gust.core.dag.load.DurationParser;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration option ({@code 30s}, {@code 2m}, {@code 90} seconds) as DAG files write them,
 * through core's {@link DurationParser}; picocli turns a refusal into a one-line usage error.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return DurationParser.parse(value);
        } catch (RuntimeException e) {
            throw new TypeConversionException("'" + value + "' is not a duration; write it as 30s, 2m or 90");
        }
    }

    /**
     * A lifetime ({@code 30d}, {@code 12h}, {@code 45m}, read by the same parser) that must be more
     * than zero, or {@code never}, which converts to null.
     */
    public static final class Lifetime implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            if (value.strip().equalsIgnoreCase("never")) {
                return null;
            }
            Duration lifetime = parsed(value);
            if (lifetime == null || !lifetime.isPositive()) {
                throw new TypeConversionException(
                        "'" + value + "' is not a lifetime; write it as 30d, 12h, 45m or never");
            }
            return lifetime;
        }

        private static Duration parsed(String value) {
            try {
                return DurationParser.parse(value);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
