package io.meshd.harness;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** An IPv4 address with a prefix length, parsed from {@code "10.1.0.1/24"}. */
final class Cidr {

    private final Inet4Address address;
    private final int prefix;

    private Cidr(Inet4Address address, int prefix) {
        this.address = address;
        this.prefix = prefix;
    }

    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected ADDRESS/PREFIX, e.g. 10.1.0.1/24: " + text);
        }
        int prefix = Integer.parseInt(text.substring(slash + 1));
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length out of range: " + text);
        }
        return new Cidr(ipv4(text.substring(0, slash)), prefix);
    }

    static Inet4Address ipv4(String dotted) {
        String[] parts = dotted.split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a dotted IPv4 address: " + dotted);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = Integer.parseInt(parts[i]);
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("not a dotted IPv4 address: " + dotted);
            }
            bytes[i] = (byte) value;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(dotted, e);
        }
    }

    /** The address {@code offset} after this one, keeping the prefix: host number n of a subnet. */
    Cidr plus(int offset) {
        int value = ByteBuffer.wrap(address.getAddress()).getInt() + offset;
        try {
            return new Cidr((Inet4Address) InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(value).array()),
                prefix);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    Inet4Address address() {
        return address;
    }

    int prefix() {
        return prefix;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefix;
    }
}
