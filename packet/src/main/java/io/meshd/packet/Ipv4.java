package io.meshd.packet;

/**
 * IPv4 addresses as {@code int} values in network order (first octet in the high byte), so the packet path never
 * allocates an {@code InetAddress}. Text forms are for the control plane and humans only.
 */
public final class Ipv4 {
    private Ipv4() {
    }

    /**
     * Parses a dotted quad, strictly: four decimal octets 0-255, no leading {@code +}, no empty parts.
     *
     * @param text e.g. {@code 10.0.0.2}
     * @return the address
     * @throws IllegalArgumentException if the text is not a dotted quad
     */
    public static int parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        int address = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            int octet = 0;
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c < '0' || c > '9') {
                    throw new IllegalArgumentException("not an IPv4 address: " + text);
                }
                octet = octet * 10 + (c - '0');
            }
            if (octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            address = address << 8 | octet;
        }
        return address;
    }

    /**
     * Formats as a dotted quad.
     *
     * @param address the address
     * @return e.g. {@code 10.0.0.2}
     */
    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "." + (address & 0xFF);
    }
}
