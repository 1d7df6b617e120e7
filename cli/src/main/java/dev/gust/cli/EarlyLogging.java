package dev.gust.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration until GustConfig is read ({@link LoggingSetup} replaces it): warnings
 * only, on stderr. Set in code, found through Logback's {@code Configurator} service, because a
 * {@code logback.xml} costs every command the XML parser and Logback's configuration language
 * (about 100 ms and 500 classes of a {@code gust dags list}). A {@code logback-test.xml} on the
 * class path (test runs) still wins.
 */
public final class EarlyLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (EarlyLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(LoggingSetup.stderr(
                context, LoggingSetup.pattern(context, "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n")));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
