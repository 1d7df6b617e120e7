package dev.gust.cli;

import dev.gust.core.dag.load.DurationParser;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration option ({@code 30s}, {@code 2m}, {@code 90} seconds) as DAG files write them,
 * through core's {@link DurationParser}; picocli turns a refusal into a one-line usage error.
 */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return DurationParser.parse(value);
        } catch (RuntimeException e) {
            throw new TypeConversionException("'" + value + "' is not a duration; write it as 30s, 2m or 90");
        }
    }
}
