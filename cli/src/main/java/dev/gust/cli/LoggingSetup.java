package dev.gust.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.gust.core.config.GustConfig;
import dev.gust.core.metrics.MetricsExport;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback from {@link GustConfig.Logging}: text on a terminal, one JSON object per line
 * in containers (CloudWatch Logs parses it), always on stderr so that stdout stays for command
 * output. Third-party libraries are kept at WARN unless --verbose, and so are Gust's own logs in
 * short commands, whose output is their answer. Stack traces on a terminal only with --verbose.
 */
final class LoggingSetup {

    private LoggingSetup() {}

    static void configure(GustConfig.Logging logging, boolean verbose, boolean daemon) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        ConsoleAppender<ILoggingEvent> appender = stderr(context, encoder(context, logging.format(), verbose));

        // EMF lines are JSON objects of their own, one per line, that CloudWatch reads as metrics:
        // written raw next to the log, never wrapped in a log event
        ConsoleAppender<ILoggingEvent> emfAppender = stderr(context, pattern(context, "%msg%n"));
        Logger emf = context.getLogger(MetricsExport.EMF_LOGGER);
        emf.addAppender(emfAppender);
        emf.setAdditive(false);
        emf.setLevel(Level.INFO);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(verbose ? Level.DEBUG : Level.WARN);
        Level gustLevel = daemon ? Level.toLevel(logging.level(), Level.INFO) : Level.WARN;
        context.getLogger("dev.gust").setLevel(verbose ? Level.DEBUG : gustLevel);
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format, boolean verbose) {
        if (format.equals("json")) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            // One readable "formattedMessage" per line for CloudWatch, instead of the raw pattern
            // with "{}" placeholders and an arguments array; no sequence numbers or nanoseconds.
            json.setWithFormattedMessage(true);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.start();
            return json;
        }
        // Log sites pass the exception along with its one-line message; on a terminal its stack
        // trace is shown only with --verbose (JSON keeps it, for whoever searches the logs).
        return pattern(context, "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n" + (verbose ? "" : "%nopex"));
    }

    /** A started encoder of log lines in Logback's pattern language. */
    static PatternLayoutEncoder pattern(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }

    /** A started appender that writes to stderr (stdout is the commands' answer). */
    static ConsoleAppender<ILoggingEvent> stderr(LoggerContext context, Encoder<ILoggingEvent> encoder) {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}
