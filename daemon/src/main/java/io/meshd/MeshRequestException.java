package io.meshd;

import java.util.Objects;

/**
 * A {@link Mesh} request refused because of what it asked, with a message naming the problem and a kind that says
 * whether the caller should fix the request, look for something else, or resolve a clash with what exists (the local
 * API turns the kinds into HTTP 400, 404 and 409).
 */
public final class MeshRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Why a request was refused. */
    public enum Kind {
        /** The request is malformed or out of range: a bad name, subnet, address, mode. */
        INVALID,
        /** It names a network, service or attachment that does not exist. */
        NOT_FOUND,
        /** It clashes with what exists: a name or address taken, an overlapping subnet, a network in use. */
        CONFLICT,
    }

    private final Kind kind;

    /** A refusal of {@code kind}, saying why. */
    public MeshRequestException(Kind kind, String message) {
        super(Objects.requireNonNull(message));
        this.kind = Objects.requireNonNull(kind);
    }

    /** A refusal of {@code kind}, saying why, caused by {@code cause}. */
    public MeshRequestException(Kind kind, String message, Throwable cause) {
        super(Objects.requireNonNull(message), cause);
        this.kind = Objects.requireNonNull(kind);
    }

    /** Why it was refused. */
    public Kind kind() {
        return kind;
    }

    static MeshRequestException invalid(String message) {
        return new MeshRequestException(Kind.INVALID, message);
    }

    static MeshRequestException invalid(String message, Throwable cause) {
        return new MeshRequestException(Kind.INVALID, message, cause);
    }

    static MeshRequestException notFound(String message) {
        return new MeshRequestException(Kind.NOT_FOUND, message);
    }

    static MeshRequestException conflict(String message) {
        return new MeshRequestException(Kind.CONFLICT, message);
    }
}
