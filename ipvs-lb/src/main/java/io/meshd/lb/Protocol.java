package io.meshd.lb;

import java.util.Locale;

/** The transport protocols a service port is for, with their IP protocol numbers. */
public enum Protocol {
    /** TCP, IP protocol 6. */
    TCP(6),
    /** UDP, IP protocol 17. */
    UDP(17);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    /**
     * The IP protocol number.
     *
     * @return 6 or 17
     */
    public int number() {
        return number;
    }

    /**
     * Parses {@code tcp} or {@code udp}, in any case.
     *
     * @param text the name
     * @return the protocol
     * @throws IllegalArgumentException for anything else
     */
    public static Protocol parse(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "tcp":
                return TCP;
            case "udp":
                return UDP;
            default:
                throw new IllegalArgumentException("protocol must be tcp or udp: '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
