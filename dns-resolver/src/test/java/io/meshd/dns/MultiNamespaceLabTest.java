package io.meshd.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.dns.records.InMemoryRecordSource;
import io.meshd.dns.records.LiveRecordSource;
import io.meshd.dns.records.RecordBatch;
import io.meshd.dns.records.MeshEndpoint;
import io.meshd.dns.records.MeshNetwork;
import io.meshd.dns.records.MeshService;
import io.meshd.dns.records.ServiceMode;
import io.meshd.harness.ExecResult;
import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.harness.RequiresLab;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Fifty namespaces served by one {@link DnsServer} from one {@link LiveRecordSource}, while batches add, move and
 * remove names. Namespace {@code i} is attached to networks {@code net(i % 10)} and {@code net((i + 3) % 10)}.
 * Batch {@code g} moves the three tasks of service {@code grp} of every network to addresses of generation
 * {@code g} ({@code 10.(100+k).g.1-3}), adds endpoint {@code g<g>} and removes {@code g<g-1>}: 50 changes.
 *
 * <p>Clients query from inside the namespaces (sockets created on a thread that entered each one, and a sample
 * of {@code dig} runs through {@code ip netns exec}). Every answer must be the truth of a generation the batch it
 * raced could show: between the last batch published before the query was sent and the last batch begun before
 * the answer came. No query may go unanswered, no namespace may see a network outside its scope. Names outside
 * the mesh are forwarded from the host namespace to an upstream on the host's loopback, which the namespaces
 * cannot reach themselves.
 */
@RequiresLab(commands = {"dig"})
class MultiNamespaceLabTest {

    private static final int NAMESPACES = 50;
    private static final int NETWORKS = 10;
    private static final int BATCHES = 120;
    /** Queries the readers must complete between two batches, so every batch races queries. */
    private static final int QUERIES_PER_BATCH = 30;
    private static final int TIMEOUT_MILLIS = 3000;

    private final AtomicLong begun = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong queries = new AtomicLong();
    private final AtomicInteger ids = new AtomicInteger();
    private final Semaphore answered = new Semaphore(0);
    private long lastQueries = -1;
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    @Test
    void shouldServeFiftyNamespacesFromOneServerWhileNamesChange() throws Exception {
        // The upstream listens on the host's loopback, which no lab namespace can reach: names it answers can
        // only come back through forwarding from the host namespace.
        try (Lab lab = Lab.create();
             DnsServer upstream = DnsServer.builder().listen(new InetSocketAddress("127.0.0.1", 0)).threads(1)
                 .records(InMemoryRecordSource.builder().networks(List.of(new MeshNetwork("up",
                     List.of(endpoint("far", "192.0.2.77")), List.of()))).build()).networks(Set.of("up")).start();
             LiveRecordSource source = LiveRecordSource.builder().domain("mesh").build();
             DnsServer server = DnsServer.builder().domain("mesh").threads(2)
                 .upstream(upstream.addresses().get(0)).start()) {
            source.apply(batch(0)).join();
            List<LabHost> hosts = new ArrayList<>();
            List<LiveRecordSource.LiveView> views = new ArrayList<>();
            List<DnsServer.Attachment> attachments = new ArrayList<>();
            List<DatagramSocket> sockets = new ArrayList<>();
            for (int i = 0; i < NAMESPACES; i++) {
                LabHost host = lab.host("n" + i);
                hosts.add(host);
                if (i == 0) {
                    host.execOk("ip", "link", "set", "lo", "down");
                }
                LiveRecordSource.LiveView view = source.view(scope(i));
                views.add(view);
                attachments.add(server.attach(host.netns(), view));
                sockets.add(host.netns().call(() -> {
                    DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                    s.connect(DnsServer.NAMESPACE_ADDRESS);
                    s.setSoTimeout(TIMEOUT_MILLIS);
                    return s;
                }));
            }
            assertEquals(NAMESPACES, server.attachments().size());
            assertEquals(NAMESPACES, source.viewCount());
            assertEquals(NETWORKS, source.scopeCount(), "five namespaces share each of the ten scopes' names");

            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int first = r;
                Thread t = new Thread(() -> read(sockets, first, stop), "lab-reader-" + r);
                t.start();
                readers.add(t);
            }
            for (int g = 1; g <= BATCHES && failures.isEmpty(); g++) {
                begun.set(g);
                source.apply(batch(g)).join();
                published.set(g);
                awaitAnswers();
            }
            awaitAnswers();
            stop.set(true);
            for (Thread t : readers) {
                t.join();
            }
            assertTrue(failures.isEmpty(), failures.size() + " wrong or lost answers, first: "
                + failures.stream().limit(10).toList());
            assertTrue(queries.get() >= (long) BATCHES * QUERIES_PER_BATCH, "queries: " + queries.get());

            // What dig sees from inside a sample of namespaces, after the last batch.
            for (int i = 0; i < NAMESPACES; i += 12) {
                LabHost host = hosts.get(i);
                int k = i % NETWORKS;
                int out = (i + 5) % NETWORKS;
                ExecResult in = host.execOk("dig", "@127.0.0.11", "+short", "+time=2", "+tries=2",
                    "grp.net" + k + ".mesh");
                assertEquals(Set.of(gen(k, BATCHES, 1), gen(k, BATCHES, 2), gen(k, BATCHES, 3)),
                    lines(in.stdout()), host.name());
                ExecResult other = host.execOk("dig", "@127.0.0.11", "+time=2", "+tries=2",
                    "stable.net" + out + ".mesh");
                assertTrue(other.stdout().contains("status: NXDOMAIN"), other.stdout());
                ExecResult tcp = host.execOk("dig", "@127.0.0.11", "+tcp", "+short", "g" + BATCHES + ".net" + k
                    + ".mesh");
                assertEquals(Set.of(gen(k, BATCHES, 9)), lines(tcp.stdout()));
                ExecResult forwarded = host.execOk("dig", "@127.0.0.11", "+short", "+time=2", "+tries=2", "far");
                assertEquals(Set.of("192.0.2.77"), lines(forwarded.stdout()), host.name());
            }
            // The namespace itself cannot reach that upstream (nothing listens on its own loopback's port).
            int port = upstream.addresses().get(0).getPort();
            ExecResult direct = hosts.get(1).exec("dig", "@127.0.0.1", "-p", Integer.toString(port), "+time=2",
                "+tries=1", "far");
            assertTrue(direct.stdout().contains("connection refused") || !direct.ok(), direct.toString());
            assertTrue(!direct.stdout().contains("192.0.2.77"), direct.toString());

            // Namespace 0 goes away: its listeners close, its view is unregistered, the others keep answering.
            attachments.get(0).close();
            views.get(0).close();
            assertEquals(NAMESPACES - 1, server.attachments().size());
            assertEquals(NAMESPACES - 1, source.viewCount());
            boolean refused = false;
            try {
                ask(sockets.get(0), "stable.net0.mesh");
            } catch (PortUnreachableException e) {
                refused = true;
            }
            assertTrue(refused, "127.0.0.11:53 still answers in a detached namespace");
            assertEquals(Set.of("10.200.1.1"), ask(sockets.get(1), "stable.net1.mesh").addresses);
            for (DatagramSocket s : sockets) {
                s.close();
            }
        }
    }

    /**
     * Waits until the readers have had {@link #QUERIES_PER_BATCH} answers since now, so every batch races
     * queries; a reader that stops answering fails the test (its query times out after {@link #TIMEOUT_MILLIS}).
     */
    private void awaitAnswers() throws InterruptedException {
        answered.drainPermits();
        while (failures.isEmpty() && !answered.tryAcquire(QUERIES_PER_BATCH, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
            if (queries.get() == lastQueries) {
                failures.add("no answer in " + TIMEOUT_MILLIS + " ms");
            }
            lastQueries = queries.get();
        }
    }

    private static Set<String> scope(int namespace) {
        return Set.of("net" + namespace % NETWORKS, "net" + (namespace + 3) % NETWORKS);
    }

    private static RecordBatch batch(int g) {
        RecordBatch b = LiveRecordSource.batch();
        for (int k = 0; k < NETWORKS; k++) {
            String net = "net" + k;
            if (g == 0) {
                b.put(net, new MeshService("grp", ServiceMode.DNSRR, List.of(), List.of(), MeshNetwork.DEFAULT_TTL));
                b.put(net, endpoint("stable", "10.200." + k + ".1"));
            }
            for (int i = 1; i <= 3; i++) {
                b.put(net, endpoint("m" + i, gen(k, g, i), "grp"));
            }
            b.put(net, endpoint("g" + g, gen(k, g, 9)));
            if (g > 0) {
                b.removeEndpoint(net, "g" + (g - 1));
            }
        }
        return b;
    }

    private static String gen(int network, int g, int host) {
        return "10." + (100 + network) + "." + g + "." + host;
    }

    private static MeshEndpoint endpoint(String name, String address, String... services) {
        try {
            return new MeshEndpoint(name, List.of(), List.of(InetAddress.getByName(address)), List.of(services),
                MeshNetwork.DEFAULT_TTL);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Queries namespaces first, first + 2, ... in turn until stopped; records every wrong or lost answer. */
    private void read(List<DatagramSocket> sockets, int first, AtomicBoolean stop) {
        while (!stop.get()) {
            for (int i = first; i < sockets.size() && !stop.get(); i += 2) {
                try {
                    check(sockets.get(i), i);
                } catch (IOException | RuntimeException e) {
                    failures.add("namespace " + i + ": " + e);
                    return;
                }
            }
        }
    }

    private void check(DatagramSocket socket, int namespace) throws IOException {
        Set<String> scope = scope(namespace);
        int k = namespace % NETWORKS;
        int out = (namespace + 5) % NETWORKS;
        // The service of every task moved together by each batch: three addresses of one generation.
        long lo = published.get();
        Answer grp = ask(socket, "grp.net" + k + ".mesh");
        long hi = begun.get();
        Set<Long> generations = new HashSet<>();
        for (String a : grp.addresses) {
            generations.add(Long.parseLong(a.split("\\.")[2]));
        }
        if (grp.rcode != 0 || grp.addresses.size() != 3 || generations.size() != 1
            || generations.iterator().next() < lo || generations.iterator().next() > hi) {
            failures.add("namespace " + namespace + " grp.net" + k + ": " + grp + " outside generations " + lo
                + ".." + hi);
        }
        // The endpoint added by batch lo (and removed by lo + 1): present unless a later batch raced the query.
        lo = published.get();
        Answer added = ask(socket, "g" + lo + ".net" + k + ".mesh");
        hi = begun.get();
        boolean present = added.rcode == 0 && added.addresses.equals(Set.of(gen(k, (int) lo, 9)));
        boolean absent = added.rcode == DnsResponseCode.NXDOMAIN.intValue() && added.addresses.isEmpty();
        if (!(present || absent && hi > lo)) {
            failures.add("namespace " + namespace + " g" + lo + ".net" + k + ": " + added + ", generations " + lo
                + ".." + hi);
        }
        // A network outside the scope is never visible; one inside always is.
        Answer outside = ask(socket, "stable.net" + out + ".mesh");
        if (scope.contains("net" + out) || outside.rcode != DnsResponseCode.NXDOMAIN.intValue()) {
            failures.add("namespace " + namespace + " sees stable.net" + out + ": " + outside);
        }
        Answer inside = ask(socket, "stable.net" + k + ".mesh");
        if (!inside.addresses.equals(Set.of("10.200." + k + ".1"))) {
            failures.add("namespace " + namespace + " stable.net" + k + ": " + inside);
        }
    }

    private Answer ask(DatagramSocket socket, String name) throws IOException {
        int id = ids.incrementAndGet() & 0xffff;
        byte[] query = Wire.query(name, 1).id(id).bytes();
        socket.send(new DatagramPacket(query, query.length));
        byte[] buf = new byte[1500];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                throw new IOException("no answer to " + name + " in " + TIMEOUT_MILLIS + " ms (lost)", e);
            }
            byte[] answer = Arrays.copyOf(buf, p.getLength());
            if (Client.id(answer) != id) {
                continue;
            }
            queries.incrementAndGet();
            answered.release();
            DnsResponse response = Wire.decode(Unpooled.wrappedBuffer(answer));
            try {
                return new Answer(response.code().intValue(), new HashSet<>(Wire.addresses(response)));
            } finally {
                response.release();
            }
        }
    }

    private static Set<String> lines(String text) {
        Set<String> out = new HashSet<>();
        for (String l : text.split("\n")) {
            if (!l.isBlank()) {
                out.add(l.trim());
            }
        }
        return out;
    }

    /** An answer's RCODE and addresses. */
    private record Answer(int rcode, Set<String> addresses) {
    }
}
