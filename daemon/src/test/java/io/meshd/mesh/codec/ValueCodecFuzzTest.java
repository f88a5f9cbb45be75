package io.meshd.mesh.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Each table value decoder on arbitrary bytes: it refuses them with {@link ValueFormatException} and nothing else,
 * and whatever it accepts encodes back to exactly the same bytes (the encoding is canonical) and decodes equal.
 */
class ValueCodecFuzzTest {

    interface Codec<T> {
        T decode(byte[] b) throws ValueFormatException;
    }

    private static <T> void check(byte[] input, Codec<T> codec, java.util.function.Function<T, byte[]> encode) {
        T value;
        try {
            value = codec.decode(input);
        } catch (ValueFormatException refused) {
            return;
        }
        byte[] again = encode.apply(value);
        assertArrayEquals(input, again, "an accepted value re-encodes to other bytes");
        try {
            assertEquals(value, codec.decode(again));
        } catch (ValueFormatException e) {
            throw new AssertionError("an accepted value does not survive re-encoding", e);
        }
    }

    @FuzzTest
    void networks(byte[] input) {
        check(input, NetworkValue::decode, NetworkValue::encode);
    }

    @FuzzTest
    void services(byte[] input) {
        check(input, ServiceValue::decode, ServiceValue::encode);
    }

    @FuzzTest
    void endpoints(byte[] input) {
        check(input, EndpointValue::decode, EndpointValue::encode);
    }

    @FuzzTest
    void nodes(byte[] input) {
        check(input, NodeValue::decode, NodeValue::encode);
    }
}
