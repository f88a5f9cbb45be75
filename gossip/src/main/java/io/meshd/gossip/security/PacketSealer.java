package io.meshd.gossip.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Frames every packet and stream body. Two forms, told apart by the first byte:
 * <pre>
 *  plain:      | 0x00 | label length (1) | label (0..255) | payload ...                          |
 *  encrypted:  | 0x01 | nonce (12)                        | AES-GCM(payload) ... | tag (16)      |
 *                       AAD = 0x01 || label
 * </pre>
 * With a keyring set, plain frames are refused; without one, encrypted frames are. A label mismatch fails the
 * plain check or the GCM tag, so two clusters on one network never merge. Used from the protocol thread only.
 */
public final class PacketSealer {

    /** Bytes added to a payload when encrypting. */
    public static final int ENCRYPTED_OVERHEAD = 1 + 12 + 16;
    private static final int PLAIN = 0;
    private static final int ENCRYPTED = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final Optional<Keyring> keyring;
    private final byte[] label;
    private final byte[] aad;
    private final SecureRandom nonces = new SecureRandom();
    private final Cipher cipher;

    /** A sealer for {@code label}, encrypting when {@code keyring} is present. */
    public PacketSealer(Optional<Keyring> keyring, String label) {
        this.keyring = keyring;
        this.label = label.getBytes(StandardCharsets.UTF_8);
        this.aad = new byte[this.label.length + 1];
        aad[0] = ENCRYPTED;
        System.arraycopy(this.label, 0, aad, 1, this.label.length);
        try {
            this.cipher = keyring.isPresent() ? Cipher.getInstance("AES/GCM/NoPadding") : null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Bytes the frame adds to a payload. */
    public int overhead() {
        return keyring.isPresent() ? ENCRYPTED_OVERHEAD : 2 + label.length;
    }

    /** Frames {@code payload} for sending. */
    public byte[] seal(byte[] payload) {
        if (keyring.isEmpty()) {
            byte[] out = new byte[2 + label.length + payload.length];
            out[0] = PLAIN;
            out[1] = (byte) label.length;
            System.arraycopy(label, 0, out, 2, label.length);
            System.arraycopy(payload, 0, out, 2 + label.length, payload.length);
            return out;
        }
        byte[] out = new byte[ENCRYPTED_OVERHEAD + payload.length];
        out[0] = ENCRYPTED;
        byte[] nonce = new byte[NONCE];
        nonces.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, 1, NONCE);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyring.get().snapshot().get(0), "AES"),
                new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            cipher.doFinal(payload, 0, payload.length, out, 1 + NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        return out;
    }

    /** Checks and strips the frame, or tells why the input must be dropped. */
    public Result open(byte[] frame) {
        if (frame.length < 2) {
            return Result.rejected(Rejection.TRUNCATED);
        }
        if (frame[0] == PLAIN) {
            if (keyring.isPresent()) {
                return Result.rejected(Rejection.UNENCRYPTED);
            }
            int len = frame[1] & 0xff;
            if (frame.length < 2 + len) {
                return Result.rejected(Rejection.TRUNCATED);
            }
            if (!Arrays.equals(frame, 2, 2 + len, label, 0, label.length)) {
                return Result.rejected(Rejection.LABEL_MISMATCH);
            }
            return Result.opened(Arrays.copyOfRange(frame, 2 + len, frame.length));
        }
        if (frame[0] != ENCRYPTED) {
            return Result.rejected(Rejection.UNKNOWN_FRAME);
        }
        if (keyring.isEmpty()) {
            return Result.rejected(Rejection.ENCRYPTED_WITHOUT_KEY);
        }
        if (frame.length < ENCRYPTED_OVERHEAD) {
            return Result.rejected(Rejection.TRUNCATED);
        }
        GCMParameterSpec spec = new GCMParameterSpec(TAG_BITS, frame, 1, NONCE);
        List<byte[]> keys = keyring.get().snapshot();
        for (byte[] key : keys) {
            try {
                cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), spec);
                cipher.updateAAD(aad);
                return Result.opened(cipher.doFinal(frame, 1 + NONCE, frame.length - 1 - NONCE));
            } catch (GeneralSecurityException e) {
                // wrong key or forged: try the next key
            }
        }
        return Result.rejected(Rejection.DECRYPT_FAILED);
    }

    /** Why a frame was refused. */
    public enum Rejection {
        /** Shorter than its header. */
        TRUNCATED,
        /** First byte is neither form. */
        UNKNOWN_FRAME,
        /** Plaintext while a keyring is set. */
        UNENCRYPTED,
        /** Encrypted while no keyring is set. */
        ENCRYPTED_WITHOUT_KEY,
        /** Plain frame of another cluster. */
        LABEL_MISMATCH,
        /** No key opens it (wrong key, other label, or tampered). */
        DECRYPT_FAILED
    }

    /** The payload, or the rejection. */
    public static final class Result {
        private final byte[] payload;
        private final Rejection rejection;

        private Result(byte[] payload, Rejection rejection) {
            this.payload = payload;
            this.rejection = rejection;
        }

        static Result opened(byte[] payload) {
            return new Result(payload, null);
        }

        static Result rejected(Rejection r) {
            return new Result(null, r);
        }

        /** The payload if the frame was accepted. */
        public Optional<byte[]> payload() {
            return Optional.ofNullable(payload);
        }

        /** The reason if it was refused. */
        public Optional<Rejection> rejection() {
            return Optional.ofNullable(rejection);
        }
    }
}
