package io.meshd.cli.mesh;

import io.meshd.mesh.codec.ServiceValue;
import io.meshd.net.SocketAddresses;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The verbs' option values, checked before any request: a bad one is a usage error (exit code 2). */
final class Converters {

    /** The largest VXLAN network identifier (24 bits). */
    static final int MAX_VNI = 0xFF_FFFF;

    private Converters() {
    }

    /** An IP literal (host names are not resolved), normalised. */
    static final class Ip implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return NetUtil.toAddressString(address(value));
        }
    }

    /** {@code IP/PREFIX}, e.g. {@code 10.0.9.0/24}, normalised. */
    static final class Subnet implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            int slash = value.indexOf('/');
            if (slash < 0) {
                throw new TypeConversionException("expected IP/PREFIX, e.g. 10.0.9.0/24: '" + value + "'");
            }
            InetAddress ip = address(value.substring(0, slash));
            int max = ip instanceof Inet4Address ? 32 : 128;
            int prefix = number(value.substring(slash + 1), 0, max, "prefix length in '" + value + "'");
            return NetUtil.toAddressString(ip) + "/" + prefix;
        }
    }

    /** A VXLAN network identifier, 1 to 16777215. */
    static final class Vni implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return number(value, 1, MAX_VNI, "VNI");
        }
    }

    /** {@code vip} or {@code dnsrr}, in any case; the API's spelling. */
    static final class Mode implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String mode = value.toLowerCase(Locale.ROOT);
            if (!mode.equals("vip") && !mode.equals("dnsrr")) {
                throw new TypeConversionException("mode must be vip or dnsrr: '" + value + "'");
            }
            return mode;
        }
    }

    /** How listings print. */
    enum Format {
        /** Padded columns under upper-case headers. */
        TABLE,
        /** The API's JSON, indented. */
        JSON
    }

    /** {@code table} or {@code json}, in any case. */
    static final class FormatConverter implements ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            switch (value.toLowerCase(Locale.ROOT)) {
                case "table":
                    return Format.TABLE;
                case "json":
                    return Format.JSON;
                default:
                    throw new TypeConversionException("format must be table or json: '" + value + "'");
            }
        }
    }

    /**
     * A backend's new weight.
     *
     * @param endpoint the endpoint's name
     * @param weight 0 (drained) to {@link ServiceValue#MAX_WEIGHT}, what the services table holds
     */
    record BackendWeight(String endpoint, int weight) {
    }

    /** {@code ENDPOINT=WEIGHT}, e.g. {@code web.1=0}. */
    static final class BackendWeightConverter implements ITypeConverter<BackendWeight> {
        @Override
        public BackendWeight convert(String value) {
            int equals = value.lastIndexOf('=');
            if (equals <= 0) {
                throw new TypeConversionException("expected ENDPOINT=WEIGHT, e.g. web.1=0: '" + value + "'");
            }
            return new BackendWeight(value.substring(0, equals),
                number(value.substring(equals + 1), 0, ServiceValue.MAX_WEIGHT, "weight in '" + value + "'"));
        }
    }

    /** An IP literal or a usage error. */
    static InetAddress address(String text) {
        try {
            return SocketAddresses.address(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /**
     * A decimal number in a range, digits only.
     *
     * @param what names the value in the message
     * @throws TypeConversionException otherwise
     */
    static int number(String text, int min, int max, String what) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new TypeConversionException(what + " must be a number " + min + ".." + max + ": '" + text + "'");
        }
        long n = Long.parseLong(text);
        if (n < min || n > max) {
            throw new TypeConversionException(what + " must be " + min + ".." + max + ": " + n);
        }
        return (int) n;
    }
}
