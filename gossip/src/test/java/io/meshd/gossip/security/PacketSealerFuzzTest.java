package io.meshd.gossip.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.Optional;

/**
 * The sealer on arbitrary and damaged frames: it never throws, never opens a frame it did not seal (nobody without
 * the key can make a valid tag), and refuses every truncated or altered copy of one it did seal.
 */
class PacketSealerFuzzTest {

    private static final byte[] LABEL = "prod".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private final PacketSealer keyed = new PacketSealer(Optional.of(Keyring.of(PacketSealerTest.key(1))), "prod");
    private final PacketSealer plain = new PacketSealer(Optional.empty(), "prod");

    @FuzzTest
    void shouldNeverOpenAFrameItDidNotSeal(byte[] frame) {
        PacketSealer.Result r = keyed.open(frame);
        assertFalse(r.payload().isPresent(), "forged frame accepted");
        assertTrue(r.rejection().isPresent(), "a refusal names its reason");
        PacketSealer.Result p = plain.open(frame);
        assertTrue(p.payload().isPresent() != p.rejection().isPresent(), "either a payload or a reason");
        if (p.payload().isPresent()) {
            assertEquals(0, frame[0], "only plain frames open without a key");
            assertEquals(LABEL.length, frame[1], "label length");
            assertArrayEquals(LABEL, Arrays.copyOfRange(frame, 2, 2 + LABEL.length), "label");
            assertArrayEquals(Arrays.copyOfRange(frame, 2 + LABEL.length, frame.length), p.payload().get());
        }
    }

    @FuzzTest
    void shouldRefuseEveryTruncatedOrAlteredSealedFrame(FuzzedDataProvider data) {
        boolean truncate = data.consumeBoolean();
        int at = data.consumeInt(0, Integer.MAX_VALUE);
        byte flip = data.consumeByte();
        byte[] payload = data.consumeRemainingAsBytes();
        byte[] frame = keyed.seal(payload);
        assertArrayEquals(payload, keyed.open(frame).payload().orElseThrow(), "an intact frame opens");
        byte[] damaged;
        if (truncate) {
            damaged = Arrays.copyOf(frame, at % frame.length);
        } else {
            damaged = frame.clone();
            damaged[at % frame.length] ^= flip == 0 ? 1 : flip;
        }
        assertFalse(keyed.open(damaged).payload().isPresent(), "damaged frame accepted");
    }
}
