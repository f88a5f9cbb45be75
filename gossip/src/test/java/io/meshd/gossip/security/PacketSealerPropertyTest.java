package io.meshd.gossip.security;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class PacketSealerPropertyTest {

    @Property
    void tamperedFramesAreNeverAccepted(@ForAll @Size(min = 1, max = 200) byte[] payload, @ForAll int where,
                                        @ForAll byte flip) {
        PacketSealer s = new PacketSealer(Optional.of(Keyring.of(PacketSealerTest.key(1))), "prod");
        byte[] frame = s.seal(payload);
        int at = Math.floorMod(where, frame.length);
        byte delta = flip == 0 ? 1 : flip;
        frame[at] ^= delta;
        assertFalse(s.open(frame).payload().isPresent());
    }
}
