package io.meshd.mesh.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueCodecTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void shouldEncodeNetworksExactlyAsTheSchemaSays() throws Exception {
        NetworkValue v = new NetworkValue(ip("10.0.9.0"), 24, 300, Map.of("mtu", "1450"));
        // version, family 4, 10.0.9.0, prefix 24, VNI 300 as LEB128 (ac 02), 1 option, "mtu", "1450"
        assertEquals("01" + "04" + "0a000900" + "18" + "ac02" + "01" + "036d7475" + "0431343530",
            HexFormat.of().formatHex(v.encode()));
        assertEquals(v, NetworkValue.decode(v.encode()));
        NetworkValue v6 = new NetworkValue(ip("fd00:1::"), 64, NetworkValue.MAX_VNI, Map.of());
        assertEquals(v6, NetworkValue.decode(v6.encode()));
    }

    @Test
    void shouldRoundTripServicesEndpointsAndNodes() throws Exception {
        ServiceValue vip = new ServiceValue(ServiceValue.Mode.VIP,
            List.of(new ServiceValue.NetworkVip("front", ip("10.0.9.100")),
                new ServiceValue.NetworkVip("back", ip("fd00::64"))),
            List.of(new ServiceValue.Port(8080, 80, 6), new ServiceValue.Port(53, 53, 17)));
        assertEquals(vip, ServiceValue.decode(vip.encode()));
        ServiceValue rr = new ServiceValue(ServiceValue.Mode.DNSRR,
            List.of(new ServiceValue.NetworkVip("front", null)), List.of());
        assertEquals("01" + "01" + "01" + "0566726f6e74" + "00" + "00", HexFormat.of().formatHex(rr.encode()));
        assertEquals(rr, ServiceValue.decode(rr.encode()));
        EndpointValue e = new EndpointValue(ip("10.0.9.5"), 0x02420a000905L, "n1", "web", List.of("w1", "w.2"));
        assertEquals("01" + "040a000905" + "02420a000905" + "026e31" + "03776562" + "02" + "027731" + "03772e32",
            HexFormat.of().formatHex(e.encode()));
        assertEquals(e, EndpointValue.decode(e.encode()));
        EndpointValue bare = new EndpointValue(ip("fd00::5"), 0x020000000001L, "n2", "", List.of());
        assertEquals(bare, EndpointValue.decode(bare.encode()));
        NodeValue n = new NodeValue(ip("192.168.1.2"), 4789);
        assertEquals("01" + "04c0a80102" + "12b5", HexFormat.of().formatHex(n.encode()));
        assertEquals(n, NodeValue.decode(n.encode()));
    }

    @Test
    void shouldWriteWeightsAsVersionTwoAndReadVersionOneWithout() throws Exception {
        ServiceValue plain = new ServiceValue(ServiceValue.Mode.VIP,
            List.of(new ServiceValue.NetworkVip("f", ip("10.0.0.1"))), List.of(new ServiceValue.Port(80, 80, 6)));
        String v1 = "00" + "01" + "0166" + "040a000001" + "01" + "0050" + "0050" + "06";
        assertEquals("01" + v1, HexFormat.of().formatHex(plain.encode()), "no weights: still version 1");
        ServiceValue weighted = plain.withWeights(Map.of("web.2", 3, "web.1", 0));
        // version 2, the version-1 body, 2 weights in name order: "web.1" 0, "web.2" 3
        String v2 = "02" + v1 + "02" + "057765622e31" + "00" + "057765622e32" + "03";
        assertEquals(v2, HexFormat.of().formatHex(weighted.encode()));
        assertEquals(weighted, ServiceValue.decode(HexFormat.of().parseHex(v2)));
        assertEquals(Map.of("web.1", 0, "web.2", 3), weighted.weights());
        assertEquals(0, weighted.weightOf("web.1"));
        assertEquals(ServiceValue.DEFAULT_WEIGHT, weighted.weightOf("web.9"));
        assertEquals(plain, ServiceValue.decode(HexFormat.of().parseHex("01" + v1)));
        assertEquals(plain, weighted.withWeights(Map.of("web.1", 1, "web.2", 1)), "weight 1 is the default");
        // refused: version 2 without weights (not canonical), out of order, weight 1 stored, above the maximum,
        // version 3
        for (String bad : List.of("02" + v1 + "00", "02" + v1 + "02" + "057765622e32" + "03" + "057765622e31" + "00",
            "02" + v1 + "01" + "057765622e31" + "01", "02" + v1 + "01" + "057765622e31" + "e907", "03" + v1)) {
            assertThrows(ValueFormatException.class, () -> ServiceValue.decode(HexFormat.of().parseHex(bad)), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> plain.withWeights(Map.of("web.1", -1)));
        assertThrows(IllegalArgumentException.class,
            () -> plain.withWeights(Map.of("web.1", ServiceValue.MAX_WEIGHT + 1)));
        java.util.Map<String, Integer> many = new java.util.HashMap<>();
        for (int i = 0; i <= ServiceValue.MAX_WEIGHTS; i++) {
            many.put("web." + i, 0);
        }
        assertThrows(IllegalArgumentException.class, () -> plain.withWeights(many));
    }

    @Test
    void shouldRefuseEveryTruncationAndTrailingByte() throws Exception {
        byte[][] good = {
            new NetworkValue(ip("10.0.9.0"), 24, 300, Map.of("a", "b")).encode(),
            new ServiceValue(ServiceValue.Mode.VIP, List.of(new ServiceValue.NetworkVip("f", ip("10.0.0.1"))),
                List.of(new ServiceValue.Port(80, 80, 6))).encode(),
            new ServiceValue(ServiceValue.Mode.VIP, List.of(new ServiceValue.NetworkVip("f", ip("10.0.0.1"))),
                List.of(new ServiceValue.Port(80, 80, 6)), Map.of("web.1", 0)).encode(),
            new EndpointValue(ip("10.0.9.5"), 0x02420a000905L, "n1", "web", List.of("w1")).encode(),
            new NodeValue(ip("10.1.0.1"), 4789).encode(),
        };
        for (byte[] g : good) {
            for (int len = 0; len < g.length; len++) {
                byte[] cut = Arrays.copyOf(g, len);
                assertThrows(ValueFormatException.class, () -> decodeAny(g, cut), "length " + len);
            }
            byte[] longer = Arrays.copyOf(g, g.length + 1);
            assertThrows(ValueFormatException.class, () -> decodeAny(g, longer));
        }
    }

    @Test
    void shouldRefuseValuesOffTheSchemaWithTheReason() throws Exception {
        assertThrows(ValueFormatException.class, () -> NodeValue.decode(HexFormat.of().parseHex("02040a01000112b5")));
        // host bits set in the subnet
        ValueFormatException host = assertThrows(ValueFormatException.class,
            () -> NetworkValue.decode(HexFormat.of().parseHex("01040a000901180100")));
        assertTrue(host.getMessage().contains("host bits"), host.getMessage());
        // VNI 0
        assertThrows(ValueFormatException.class,
            () -> NetworkValue.decode(HexFormat.of().parseHex("01040a000900180000")));
        // mode vip without a VIP
        assertThrows(ValueFormatException.class,
            () -> ServiceValue.decode(HexFormat.of().parseHex("0100010166" + "00" + "00")));
        // multicast MAC
        assertThrows(ValueFormatException.class,
            () -> EndpointValue.decode(HexFormat.of().parseHex("01040a000905" + "01005e000001" + "026e31" + "0000")));
        // a name with '/'
        assertThrows(ValueFormatException.class,
            () -> EndpointValue.decode(HexFormat.of().parseHex("01040a000905" + "02420a000905" + "026e2f" + "0000")));
        // IPv4-mapped IPv6 would decode as IPv4 and re-encode differently
        assertThrows(ValueFormatException.class,
            () -> NodeValue.decode(HexFormat.of().parseHex("0106" + "00000000000000000000ffff0a010001" + "12b5")));
        // overlong varint
        assertThrows(ValueFormatException.class,
            () -> NetworkValue.decode(HexFormat.of().parseHex("01040a00090018ffffffffffffffffffff01")));
    }

    @Test
    void shouldParseEndpointKeys() throws Exception {
        assertEquals(new EndpointKey("front", "web.1"), EndpointKey.parse("front/web.1"));
        assertEquals("front/web.1", new EndpointKey("front", "web.1").key());
        assertThrows(ValueFormatException.class, () -> EndpointKey.parse("front"));
        assertThrows(ValueFormatException.class, () -> EndpointKey.parse("front/a/b"));
        assertThrows(ValueFormatException.class, () -> EndpointKey.parse("/a"));
    }

    private static Object decodeAny(byte[] kind, byte[] bytes) throws ValueFormatException {
        // The kinds are told apart by trying the decoder that accepted the original.
        if (tryDecode(() -> NetworkValue.decode(kind))) {
            return NetworkValue.decode(bytes);
        }
        if (tryDecode(() -> ServiceValue.decode(kind))) {
            return ServiceValue.decode(bytes);
        }
        if (tryDecode(() -> EndpointValue.decode(kind))) {
            return EndpointValue.decode(bytes);
        }
        return NodeValue.decode(bytes);
    }

    private interface Decode {
        Object run() throws ValueFormatException;
    }

    private static boolean tryDecode(Decode d) {
        try {
            d.run();
            return true;
        } catch (ValueFormatException e) {
            return false;
        }
    }
}
