package io.meshd.gossip.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.Seeds;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sealed frames over seeded random payloads: any changed byte or any cut makes an encrypted frame unopenable. The
 * mutant test runs the same check against a framing without authentication.
 */
class PacketSealerPropertyTest {

    private static final PacketSealer SEALER = new PacketSealer(Optional.of(Keyring.of(PacketSealerTest.key(1))),
        "prod");

    /** The violation, if a damaged copy of a sealed random payload opens. */
    static Optional<String> damagedFramesNeverOpen(UnaryOperator<byte[]> seal, Function<byte[], Optional<byte[]>> open,
                                                   long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] payload = new byte[1 + r.nextInt(200)];
        r.nextBytes(payload);
        byte[] frame = seal.apply(payload);
        byte[] flipped = frame.clone();
        flipped[r.nextInt(frame.length)] ^= (byte) (1 + r.nextInt(255));
        byte[] cut = Arrays.copyOf(frame, r.nextInt(frame.length));
        if (open.apply(flipped).isPresent()) {
            return Optional.of("a frame with a flipped byte opened");
        }
        if (open.apply(cut).isPresent()) {
            return Optional.of("a frame cut to " + cut.length + " of " + frame.length + " bytes opened");
        }
        return Optional.empty();
    }

    @ParameterizedTest
    @MethodSource("io.meshd.gossip.Seeds#seeds")
    void tamperedOrTruncatedFramesAreNeverAccepted(long seed) {
        assertEquals(Optional.empty(), damagedFramesNeverOpen(SEALER::seal, f -> SEALER.open(f).payload(), seed),
            Seeds.replay(seed));
    }

    @Test
    void shouldCatchAFramingWithoutAuthentication() {
        PacketSealer plain = new PacketSealer(Optional.empty(), "prod");
        assertTrue(Seeds.seeds().anyMatch(seed -> damagedFramesNeverOpen(plain::seal, f -> plain.open(f).payload(),
            seed).isPresent()));
    }
}
