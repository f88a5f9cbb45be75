package io.meshd.mesh.codec;

import java.nio.charset.StandardCharsets;

/**
 * The names of the mesh's tables (networks, services, endpoints, nodes): 1 to 64 bytes of {@code [A-Za-z0-9_.-]},
 * so {@code /} separates the parts of a key.
 */
public final class Names {
    /** The longest name, in bytes. */
    public static final int MAX = 64;

    private Names() {
    }

    /** Whether {@code name} is a valid name. */
    public static boolean valid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
                || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks a name given through the API.
     *
     * @throws IllegalArgumentException naming {@code what} and the rule
     */
    public static String check(String name, String what) {
        if (!valid(name)) {
            throw new IllegalArgumentException(what + " '" + name + "' must be 1 to " + MAX
                + " characters of letters, digits, '-', '_' and '.'");
        }
        return name;
    }

    static String checkDecoded(String name, String what) throws ValueFormatException {
        if (!valid(name)) {
            throw new ValueFormatException("bad " + what + " '" + name + "'");
        }
        return name;
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
