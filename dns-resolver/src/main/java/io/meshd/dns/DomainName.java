package io.meshd.dns;

import java.util.Locale;

/** The one spelling of a dotted domain name that meshd compares and stores: lower case, no trailing dot. */
public final class DomainName {

    private DomainName() {
    }

    /**
     * {@code "Mesh."} and {@code "mesh"} both become {@code "mesh"}; {@code "."} and {@code ""} the root, {@code ""}.
     *
     * @param dotted a dotted name, with or without its trailing dot
     * @return the canonical spelling
     */
    public static String canonical(String dotted) {
        String name = dotted.endsWith(".") ? dotted.substring(0, dotted.length() - 1) : dotted;
        return name.toLowerCase(Locale.ROOT);
    }
}
