package io.meshd.gossip.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * AES keys for gossip: the primary key encrypts everything sent, every key is tried on receipt. Rotation with no
 * downtime: {@link #install} the new key everywhere, {@link #use} it everywhere, then {@link #remove} the old one.
 * Safe to change from any thread; readers see a consistent snapshot.
 */
public final class Keyring {

    private volatile List<byte[]> keys;

    private Keyring(List<byte[]> keys) {
        this.keys = List.copyOf(keys);
    }

    /** A keyring whose primary key is {@code primary}; {@code others} are accepted on receipt. */
    public static Keyring of(byte[] primary, byte[]... others) {
        List<byte[]> all = new ArrayList<>();
        all.add(checked(primary));
        for (byte[] k : others) {
            all.add(checked(k));
        }
        return new Keyring(all);
    }

    /** Parses keys written one per line in base64 (the first is primary), as in a key file. */
    public static Keyring parse(String text) {
        List<byte[]> all = new ArrayList<>();
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                try {
                    all.add(checked(Base64.getDecoder().decode(t)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("key is not base64 of 16, 24 or 32 bytes", e);
                }
            }
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no key found");
        }
        return new Keyring(all);
    }

    /** The key used to encrypt (a copy). */
    public byte[] primary() {
        return keys.get(0).clone();
    }

    /** Every key, primary first (copies). */
    public List<byte[]> keys() {
        List<byte[]> out = new ArrayList<>();
        for (byte[] k : keys) {
            out.add(k.clone());
        }
        return out;
    }

    /** Snapshot for the sealer: not copied, callers must not modify. */
    List<byte[]> snapshot() {
        return keys;
    }

    /** Adds a key accepted on receipt (no-op if present). */
    public synchronized void install(byte[] key) {
        checked(key);
        if (indexOf(key) < 0) {
            List<byte[]> next = new ArrayList<>(keys);
            next.add(key.clone());
            keys = List.copyOf(next);
        }
    }

    /** Makes an installed key the primary. */
    public synchronized void use(byte[] key) {
        int i = indexOf(key);
        if (i < 0) {
            throw new IllegalArgumentException("key is not installed");
        }
        List<byte[]> next = new ArrayList<>(keys);
        byte[] k = next.remove(i);
        next.add(0, k);
        keys = List.copyOf(next);
    }

    /** Removes a key that is not the primary. */
    public synchronized void remove(byte[] key) {
        int i = indexOf(key);
        if (i == 0) {
            throw new IllegalArgumentException("cannot remove the primary key");
        }
        if (i > 0) {
            List<byte[]> next = new ArrayList<>(keys);
            next.remove(i);
            keys = List.copyOf(next);
        }
    }

    private int indexOf(byte[] key) {
        List<byte[]> k = keys;
        for (int i = 0; i < k.size(); i++) {
            if (Arrays.equals(k.get(i), key)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] checked(byte[] key) {
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("AES key must be 16, 24 or 32 bytes, not " + key.length);
        }
        return key.clone();
    }
}
