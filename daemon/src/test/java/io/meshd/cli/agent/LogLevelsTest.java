package io.meshd.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

class LogLevelsTest {

    @Test
    void shouldReadTheFourLevelsInAnyCaseAndRefuseOthers() {
        LogLevels.Converter c = new LogLevels.Converter();
        assertEquals(LogLevels.ERROR, c.convert("error"));
        assertEquals(LogLevels.WARN, c.convert("WARN"));
        assertEquals(LogLevels.INFO, c.convert(" Info "));
        assertEquals(LogLevels.DEBUG, c.convert("debug"));
        for (String bad : new String[] {"trace", "", "loud", "off"}) {
            assertTrue(assertThrows(CommandLine.TypeConversionException.class, () -> c.convert(bad)).getMessage()
                .contains("(error, warn, info or debug)"), bad);
        }
    }

    @Test
    void shouldSetLogbacksRootLevel() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        try {
            assertTrue(LogLevels.DEBUG.apply());
            assertEquals(Level.DEBUG, root.getLevel());
            assertTrue(LoggerFactory.getLogger("io.meshd.gossip").isDebugEnabled());
            assertTrue(LogLevels.ERROR.apply());
            assertEquals(Level.ERROR, root.getLevel());
        } finally {
            root.setLevel(before);
        }
    }
}
