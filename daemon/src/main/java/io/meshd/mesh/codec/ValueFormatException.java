package io.meshd.mesh.codec;

/** A table value (or key) that does not follow the mesh's schema; the only exception the decoders throw. */
public final class ValueFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An exception naming what is wrong. */
    public ValueFormatException(String message) {
        super(message);
    }
}
