package io.meshd.cli.agent;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The daemon's {@code --log-format}: every event is one line on stderr, either {@code key=value} fields (logfmt, for
 * people and grep) or one JSON object (Logback's {@link JsonEncoder}, for log collectors). Events carry their details
 * as SLF4J key-value pairs ({@code LOG.atInfo().addKeyValue("network", name).log("network created")}), which both
 * formats print as fields. An exception's stack trace is folded onto the event's line in text.
 */
public enum LogFormat {
    /** {@code time=... level=INFO logger=... msg="network created" network="front"}. */
    TEXT,
    /** One JSON object per line. */
    JSON;

    /**
     * The text layout. Quotes and backslashes in the message are escaped so the line splits into fields; a stack
     * trace, when there is one, becomes an {@code error} field with its lines joined by {@code " | "}.
     */
    static final String TEXT_PATTERN = "time=%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} level=%level logger=%logger{36} "
        + "msg=\"%replace(%msg){'([\"\\\\])', '\\\\$1'}\"%replace( %kvp{DOUBLE}){'^ $', ''}"
        + "%replace(%replace( error=\"%ex{full}\"){'\\s*[\\r\\n]+\\s*', ' | '}){' error=\"( \\| )?\"', ''}%nopex%n";

    /** The name of the stderr appender in logback.xml that {@link #apply()} re-encodes. */
    static final String APPENDER = "STDERR";

    /** The environment variable that chooses the format of every meshd command's log lines. */
    public static final String ENVIRONMENT = "MESHD_LOG_FORMAT";

    /**
     * The format {@value #ENVIRONMENT} names, text when unset.
     *
     * @throws IllegalArgumentException naming the variable and its bad value
     */
    public static LogFormat fromEnvironment(String value) {
        if (value == null || value.isBlank()) {
            return TEXT;
        }
        try {
            return new Converter().convert(value);
        } catch (CommandLine.TypeConversionException e) {
            throw new IllegalArgumentException(ENVIRONMENT + ": " + e.getMessage(), e);
        }
    }

    /** An encoder of this format for {@code context}, started. */
    public Encoder<ILoggingEvent> encoder(LoggerContext context) {
        Encoder<ILoggingEvent> e;
        if (this == JSON) {
            JsonEncoder json = new JsonEncoder();
            // The formatted message, not the template and its arguments; no per-context noise on every line.
            json.setWithFormattedMessage(true);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithContext(false);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            e = json;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(TEXT_PATTERN);
            e = text;
        }
        e.setContext(context);
        e.start();
        return e;
    }

    /**
     * Makes the daemon's stderr appender write this format, if Logback is the SLF4J backend (it is in the daemon).
     *
     * @return whether the format was applied
     */
    public boolean apply() {
        if (!(LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root)
            || !(root.getAppender(APPENDER) instanceof ConsoleAppender<ILoggingEvent> console)) {
            return false;
        }
        console.stop();
        console.setEncoder(encoder(root.getLoggerContext()));
        console.start();
        return true;
    }

    /** Reads {@code text} or {@code json}, in any case. */
    public static final class Converter implements CommandLine.ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            try {
                return LogFormat.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a log format (text or json)");
            }
        }
    }
}
