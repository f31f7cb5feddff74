package io.earshot.pipeline.live;

import java.io.StringWriter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Collects what the process logs (through System.Logger, routed to log4j2) while it is open,
 * one event per line as {@code LEVEL logger - message}, so a test can read the lines exactly as
 * an operator would.
 */
public final class LogCapture implements AutoCloseable {

    private final StringWriter out = new StringWriter();
    private final LoggerContext context;
    private final WriterAppender appender;

    public LogCapture() {
        context = (LoggerContext) LogManager.getContext(false);
        appender = WriterAppender.newBuilder().setName("capture-" + System.identityHashCode(this))
                .setTarget(out)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %c - %msg%n").build())
                .build();
        appender.start();
        Configuration config = context.getConfiguration();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
    }

    /** Everything logged so far. */
    public synchronized String text() {
        return out.toString();
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
