package io.meshd.gossip.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PacketSealerTest {

    static byte[] key(int b) {
        byte[] k = new byte[16];
        java.util.Arrays.fill(k, (byte) b);
        return k;
    }

    private static final byte[] PAYLOAD = "hello gossip".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldRoundTripEncryptedFramesWithFreshNonces() {
        PacketSealer s = new PacketSealer(Optional.of(Keyring.of(key(1))), "prod");
        byte[] a = s.seal(PAYLOAD);
        byte[] b = s.seal(PAYLOAD);
        assertEquals(PAYLOAD.length + PacketSealer.ENCRYPTED_OVERHEAD, a.length);
        assertFalse(java.util.Arrays.equals(a, b), "a random nonce per message");
        assertArrayEquals(PAYLOAD, s.open(a).payload().orElseThrow());
    }

    @Test
    void shouldRejectTheWrongKeyTheWrongLabelAndPlaintext() {
        byte[] frame = new PacketSealer(Optional.of(Keyring.of(key(1))), "prod").seal(PAYLOAD);
        assertEquals(PacketSealer.Rejection.DECRYPT_FAILED,
            new PacketSealer(Optional.of(Keyring.of(key(2))), "prod").open(frame).rejection().orElseThrow());
        assertEquals(PacketSealer.Rejection.DECRYPT_FAILED,
            new PacketSealer(Optional.of(Keyring.of(key(1))), "test").open(frame).rejection().orElseThrow());
        byte[] plain = new PacketSealer(Optional.empty(), "prod").seal(PAYLOAD);
        assertEquals(PacketSealer.Rejection.UNENCRYPTED,
            new PacketSealer(Optional.of(Keyring.of(key(1))), "prod").open(plain).rejection().orElseThrow());
        assertEquals(PacketSealer.Rejection.ENCRYPTED_WITHOUT_KEY,
            new PacketSealer(Optional.empty(), "prod").open(frame).rejection().orElseThrow());
        assertEquals(PacketSealer.Rejection.LABEL_MISMATCH,
            new PacketSealer(Optional.empty(), "test").open(plain).rejection().orElseThrow());
    }

    @Test
    void shouldAcceptEveryInstalledKeyAndSendWithThePrimary() {
        Keyring ring = Keyring.of(key(1));
        PacketSealer s = new PacketSealer(Optional.of(ring), "");
        PacketSealer oldOnly = new PacketSealer(Optional.of(Keyring.of(key(1))), "");
        PacketSealer newOnly = new PacketSealer(Optional.of(Keyring.of(key(2))), "");
        ring.install(key(2));
        assertArrayEquals(PAYLOAD, s.open(newOnly.seal(PAYLOAD)).payload().orElseThrow());
        assertArrayEquals(PAYLOAD, oldOnly.open(s.seal(PAYLOAD)).payload().orElseThrow(), "still sends with key 1");
        ring.use(key(2));
        assertArrayEquals(PAYLOAD, newOnly.open(s.seal(PAYLOAD)).payload().orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> ring.remove(key(2)));
        ring.remove(key(1));
        assertEquals(1, ring.keys().size());
    }

    @Test
    void shouldRejectFramesSealedWithARemovedKey() {
        Keyring ring = Keyring.of(key(1));
        PacketSealer s = new PacketSealer(Optional.of(ring), "prod");
        byte[] underOldKey = new PacketSealer(Optional.of(Keyring.of(key(1))), "prod").seal(PAYLOAD);
        ring.install(key(2));
        ring.use(key(2));
        assertArrayEquals(PAYLOAD, s.open(underOldKey).payload().orElseThrow(), "still installed: accepted");
        ring.remove(key(1));
        assertEquals(PacketSealer.Rejection.DECRYPT_FAILED, s.open(underOldKey).rejection().orElseThrow(),
            "removed: refused");
        assertFalse(s.open(underOldKey).payload().isPresent());
    }

    @Test
    void shouldParseKeyFiles() {
        Keyring ring = Keyring.parse("# primary\n" + java.util.Base64.getEncoder().encodeToString(key(3)) + "\n\n"
            + java.util.Base64.getEncoder().encodeToString(key(4)) + "\n");
        assertArrayEquals(key(3), ring.primary());
        assertEquals(2, ring.keys().size());
        assertThrows(IllegalArgumentException.class, () -> Keyring.parse("not-base64!"));
        assertThrows(IllegalArgumentException.class, () -> Keyring.parse("AAAA"));
    }
}
