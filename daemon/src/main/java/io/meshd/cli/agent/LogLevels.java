package io.meshd.cli.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The daemon's {@code --log-level}: error, warn, info or debug, applied to Logback's root logger. */
public enum LogLevels {
    /** Failures only. */
    ERROR(Level.ERROR),
    /** Failures and what may become one (the default of logback.xml). */
    WARN(Level.WARN),
    /** Also lifecycle events: start, join, leave. */
    INFO(Level.INFO),
    /** Also details for chasing a problem (never per packet). */
    DEBUG(Level.DEBUG);

    private final Level level;

    LogLevels(Level level) {
        this.level = level;
    }

    /**
     * Sets the root logger to this level, if Logback is the SLF4J backend (it is in the daemon).
     *
     * @return whether the level was applied
     */
    public boolean apply() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(level);
            return true;
        }
        return false;
    }

    /** Reads {@code error}, {@code warn}, {@code info} or {@code debug}, in any case. */
    public static final class Converter implements CommandLine.ITypeConverter<LogLevels> {
        @Override
        public LogLevels convert(String value) {
            try {
                return LogLevels.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value
                    + "' is not a log level (error, warn, info or debug)");
            }
        }
    }
}
