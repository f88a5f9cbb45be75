package io.meshd.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

class LogFormatTest {

    /** A logfmt field: key=value or key="value with \" escapes". */
    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\"((?:[^\"\\\\]++|\\\\.)*+)\"|\\S+)");

    /** What one event logged with {@code format} printed, through the daemon's Logback context. */
    private static String log(LogFormat format, java.util.function.Consumer<Logger> event) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(format.encoder(context));
        appender.setOutputStream(out);
        appender.start();
        Logger logger = context.getLogger("io.meshd.mesh.MeshLoop");
        logger.setAdditive(false);
        logger.setLevel(Level.DEBUG);
        logger.addAppender(appender);
        try {
            event.accept(logger);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(null);
            logger.setAdditive(true);
            appender.stop();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            out.put(m.group(1), m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(2));
        }
        return out;
    }

    @Test
    void textIsOneLineOfKeyValueFieldsWithTheEventsPairs() {
        String line = log(LogFormat.TEXT, l -> l.atWarn().addKeyValue("network", "front").addKeyValue("vni", 4096)
            .log("network \"front\" created"));
        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, line);
        Map<String, String> f = fields(line);
        assertEquals("WARN", f.get("level"), line);
        assertEquals("io.meshd.mesh.MeshLoop", f.get("logger"), line);
        assertEquals("network \"front\" created", f.get("msg"), line);
        assertEquals("front", f.get("network"), line);
        assertEquals("4096", f.get("vni"), line);
        assertTrue(f.get("time").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.*"), line);
        assertFalse(f.containsKey("error"), line);
    }

    @Test
    void textFoldsAStackTraceIntoAnErrorFieldOnTheSameLine() {
        String line = log(LogFormat.TEXT, l -> l.warn("data plane update failed",
            new IllegalStateException("boom", new RuntimeException("cause"))));
        assertEquals(1, line.split("\n").length, line);
        Map<String, String> f = fields(line);
        assertEquals("data plane update failed", f.get("msg"), line);
        assertTrue(f.get("error").startsWith("java.lang.IllegalStateException: boom | at "), line);
        assertTrue(f.get("error").contains("Caused by: java.lang.RuntimeException: cause"), line);
    }

    @Test
    void jsonIsOneObjectPerLineWithTheEventsPairs() throws Exception {
        String line = log(LogFormat.JSON, l -> l.atInfo().addKeyValue("node", "n1").log("member {} joined", "n1"));
        assertEquals(1, line.strip().split("\n").length, line);
        JsonNode n = new ObjectMapper().readTree(line);
        assertEquals("INFO", n.get("level").asText(), line);
        assertEquals("member n1 joined", n.get("formattedMessage").asText(), line);
        assertEquals("n1", n.get("kvpList").get(0).get("node").asText(), line);
        assertFalse(n.has("context") || n.has("message") || n.has("arguments"), line);
    }

    @Test
    void theEnvironmentChoosesTheFormatTextByDefaultAndABadValueNamesTheVariable() {
        assertEquals(LogFormat.TEXT, LogFormat.fromEnvironment(null));
        assertEquals(LogFormat.TEXT, LogFormat.fromEnvironment(" "));
        assertEquals(LogFormat.JSON, LogFormat.fromEnvironment("JSON"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> LogFormat.fromEnvironment("yaml"));
        assertTrue(e.getMessage().startsWith("MESHD_LOG_FORMAT: 'yaml' is not a log format"), e.getMessage());
    }

    @Test
    void applyReEncodesTheDaemonsStderrAppender() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertTrue(LogFormat.JSON.apply(), "logback.xml's STDERR appender is there to re-encode");
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender(LogFormat.APPENDER);
        assertTrue(console.getEncoder() instanceof JsonEncoder && console.isStarted());
        assertTrue(LogFormat.TEXT.apply());
        assertTrue(console.getEncoder() instanceof PatternLayoutEncoder p
            && p.getPattern().equals(LogFormat.TEXT_PATTERN) && console.isStarted());
    }

    @Test
    void converterReadsBothNamesAndRefusesOthers() {
        LogFormat.Converter c = new LogFormat.Converter();
        assertEquals(LogFormat.JSON, c.convert(" Json "));
        assertEquals(LogFormat.TEXT, c.convert("text"));
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
            () -> c.convert("xml"));
        assertTrue(e.getMessage().contains("'xml' is not a log format (text or json)"), e.getMessage());
    }
}
