package io.meshd.cli.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshd.cli.mesh.Converters.BackendWeight;
import io.meshd.mesh.codec.ServiceValue;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.TypeConversionException;

/**
 * The verbs' option parsers on arbitrary text: each refuses it with picocli's {@link TypeConversionException} (a
 * usage error, exit 2) and nothing else, and what it accepts is in range and reads back the same from its
 * canonical text.
 */
class OptionValuesFuzzTest {

    @FuzzTest
    void publish(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        PublishSpec p;
        try {
            p = PublishSpec.parse(text);
        } catch (TypeConversionException refused) {
            return;
        }
        assertTrue(p.published() >= 1 && p.published() <= 65535 && p.target() >= 1 && p.target() <= 65535, text);
        assertEquals(p, PublishSpec.parse(p.published() + ":" + p.target() + "/" + p.protocol()), text);
    }

    @FuzzTest
    void subnet(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Converters.Subnet subnet = new Converters.Subnet();
        String canonical;
        try {
            canonical = subnet.convert(text);
        } catch (TypeConversionException refused) {
            return;
        }
        assertEquals(canonical, subnet.convert(canonical), text);
    }

    @FuzzTest
    void backendWeight(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Converters.BackendWeightConverter converter = new Converters.BackendWeightConverter();
        BackendWeight w;
        try {
            w = converter.convert(text);
        } catch (TypeConversionException refused) {
            return;
        }
        assertTrue(!w.endpoint().isEmpty() && w.weight() >= 0 && w.weight() <= ServiceValue.MAX_WEIGHT, text);
        assertEquals(w, converter.convert(w.endpoint() + "=" + w.weight()), text);
    }
}
