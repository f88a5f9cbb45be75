package io.meshd.vxlan.vtep;

/**
 * An inclusive range of UDP ports, e.g. the outer source ports a VTEP sends from. Parsed from {@code LOW-HIGH} or a
 * single port.
 */
public final class PortRange {

    private final int low;
    private final int high;

    private PortRange(int low, int high) {
        this.low = low;
        this.high = high;
    }

    /**
     * The range {@code [low, high]}.
     *
     * @throws IllegalArgumentException unless {@code 1 <= low <= high <= 65535}
     */
    public static PortRange of(int low, int high) {
        if (low < 1 || high > 65535 || low > high) {
            throw new IllegalArgumentException("bad port range " + low + "-" + high
                + " (need 1 <= low <= high <= 65535)");
        }
        return new PortRange(low, high);
    }

    /**
     * Parses {@code LOW-HIGH} or {@code PORT}.
     *
     * @throws IllegalArgumentException on anything else
     */
    public static PortRange parse(String text) {
        String s = text.trim();
        int dash = s.indexOf('-');
        try {
            if (dash < 0) {
                int port = Integer.parseInt(s);
                return of(port, port);
            }
            return of(Integer.parseInt(s.substring(0, dash).trim()), Integer.parseInt(s.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port range '" + text + "' (expected LOW-HIGH, e.g. 61000-61007)",
                e);
        }
    }

    /** The first port. */
    public int low() {
        return low;
    }

    /** The last port (inclusive). */
    public int high() {
        return high;
    }

    /** How many ports the range holds. */
    public int size() {
        return high - low + 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortRange && ((PortRange) o).low == low && ((PortRange) o).high == high;
    }

    @Override
    public int hashCode() {
        return low * 65536 + high;
    }

    @Override
    public String toString() {
        return low + "-" + high;
    }
}
