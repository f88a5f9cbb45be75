package io.meshd.shims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetNsTest {

    @BeforeAll
    static void requireShims() {
        TestNamespace.requireShims();
    }

    @Test
    void shouldRunCallableInsideTheNamespaceAndLeaveTheCallerWhereItWas() {
        long before = currentInode();
        try (TestNamespace ns = TestNamespace.create()) {
            assertNotEquals(before, ns.netns().inode(), "a new namespace has its own inode");
            long inside = ns.netns().call(NetNsTest::currentInode);
            assertEquals(ns.netns().inode(), inside);
            assertTrue(ns.netns().call(ns.netns()::isCurrent));
            assertEquals(before, currentInode(), "the calling thread did not move");
        }
    }

    @Test
    void shouldCreateSocketsThatStayInTheNamespace() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            ns.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
            Inet4Address address = (Inet4Address) InetAddress.getByName("10.202.0.1");
            ns.netns().run(() -> {
                InterfaceConfig.addIpv4("v0", address, 24);
                InterfaceConfig.up("v0");
                InterfaceConfig.up("v1");
                InterfaceConfig.up("lo");
            });
            try (DatagramChannel server = ns.netns().call(() -> DatagramChannel.open()
                    .bind(new InetSocketAddress(address, 0)));
                 DatagramChannel client = ns.netns().call(() -> DatagramChannel.open()
                    .bind(new InetSocketAddress(address, 0)))) {
                // Used from this (root-namespace) thread: the sockets still live where they were created.
                client.send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), server.getLocalAddress());
                ByteBuffer received = ByteBuffer.allocate(16);
                server.configureBlocking(false);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (server.receive(received) == null && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertEquals("hello", new String(received.array(), 0, received.position(), StandardCharsets.US_ASCII));
            }
            assertThrows(BindException.class, () -> {
                try (DatagramChannel outside = DatagramChannel.open()) {
                    outside.bind(new InetSocketAddress(address, 0));
                }
            }, "the address exists only inside the namespace");
        }
    }

    @Test
    void shouldStartFactoryThreadsInsideTheNamespace() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            CompletableFuture<Long> inode = new CompletableFuture<>();
            Thread thread = ns.netns().threadFactory().newThread(() -> inode.complete(currentInode()));
            assertTrue(thread.isDaemon());
            thread.start();
            assertEquals(ns.netns().inode(), inode.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldOpenTheCurrentNamespaceAndRunInIt() {
        try (NetNs current = NetNs.current()) {
            assertEquals(currentInode(), current.inode());
            assertEquals(current.inode(), (long) current.call(NetNsTest::currentInode));
        }
    }

    @Test
    void shouldPassUncheckedExceptionsAndWrapCheckedOnes() {
        try (TestNamespace ns = TestNamespace.create()) {
            IllegalStateException unchecked = assertThrows(IllegalStateException.class,
                () -> ns.netns().run(() -> {
                    throw new IllegalStateException("boom");
                }));
            assertEquals("boom", unchecked.getMessage());
            CompletionException checked = assertThrows(CompletionException.class,
                () -> ns.netns().call(() -> {
                    throw new IOException("bang");
                }));
            assertTrue(checked.getCause() instanceof IOException);
            assertEquals(5, (int) ns.netns().call(() -> ns.netns().call(() -> 5)), "nested calls run inline");
        }
    }

    @Test
    void shouldReportAMissingNamespaceWithTheCallAndErrno() {
        TestNamespace.requireShims();
        NativeException error = assertThrows(NativeException.class, () -> NetNs.named("no-such-namespace-x"));
        assertEquals(2, error.errno());
        assertEquals("open(/var/run/netns/no-such-namespace-x): No such file or directory (errno 2)",
            error.getMessage());
    }

    private static long currentInode() {
        try {
            return ((Number) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/thread-self/ns/net"),
                "unix:ino")).longValue();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
