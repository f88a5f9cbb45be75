package io.meshd.mesh;

import io.meshd.dns.DnsServer;
import io.meshd.dns.records.LiveRecordSource;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.mesh.codec.Subnets;
import io.meshd.shims.NetNs;
import io.meshd.vxlan.tap.Attachment;
import io.meshd.vxlan.tap.TapPort;
import io.meshd.vxlan.vtep.VtepNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * This node's attachments: per namespace, one TAP per network ({@code eth0}, {@code eth1}, ... in attach order,
 * a freed name reused) and one DNS responder at 127.0.0.11:53 whose view is scoped to the namespace's networks.
 * Callers serialise (the {@link io.meshd.Mesh} facade is synchronized).
 */
public final class LocalAttachments {
    /**
     * One attached endpoint.
     *
     * @param key its table key
     * @param namespace the namespace's name, or the absolute path it was attached by
     * @param port its TAP
     */
    public record Local(EndpointKey key, String namespace, TapPort port) {
    }

    private static final class Namespace {
        final NetNs handle;
        final LiveRecordSource.LiveView view;
        final DnsServer.Attachment dns;
        final Map<String, Local> byNetwork = new LinkedHashMap<>();

        Namespace(NetNs handle, LiveRecordSource.LiveView view, DnsServer.Attachment dns) {
            this.handle = handle;
            this.view = view;
            this.dns = dns;
        }
    }

    private final VtepNode vtep;
    private final DnsServer dns;
    private final LiveRecordSource records;
    private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
    private final SavedAttachments saved;

    /** Attachments through these parts, kept in {@code saved} (persistent when it has a state file). */
    public LocalAttachments(VtepNode vtep, DnsServer dns, LiveRecordSource records, SavedAttachments saved) {
        this.saved = saved;
        this.vtep = vtep;
        this.dns = dns;
        this.records = records;
    }

    /** Whether {@code namespace} is attached to {@code network} here. */
    public boolean attached(String namespace, String network) {
        Namespace ns = namespaces.get(namespace);
        return ns != null && ns.byNetwork.containsKey(network);
    }

    /**
     * The namespace attached here under another name (or path) that is the same network namespace as
     * {@code inode}, or null.
     */
    public String attachedAs(String namespace, long inode) {
        for (Map.Entry<String, Namespace> e : namespaces.entrySet()) {
            if (!e.getKey().equals(namespace) && e.getValue().handle.inode() == inode) {
                return e.getKey();
            }
        }
        return null;
    }

    /** The interface name the next attachment of {@code namespace} gets. */
    public String nextInterface(String namespace) {
        Namespace ns = namespaces.get(namespace);
        Set<String> used = new TreeSet<>();
        if (ns != null) {
            ns.byNetwork.values().forEach(l -> used.add(l.port().attachment().interfaceName()));
        }
        for (int i = 0;; i++) {
            if (!used.contains("eth" + i)) {
                return "eth" + i;
            }
        }
    }

    /**
     * Attaches: the TAP on {@code vni} (persistent with a state file, see {@link io.meshd.vxlan.tap.TapAttacher}),
     * then the namespace's DNS responder (created, or its scope widened), then the state file's entry (endpoint
     * value {@code v}). On a failure of a later step, the earlier ones are undone.
     *
     * @throws java.io.UncheckedIOException when the state file cannot be written
     * @throws InterruptedException if interrupted while the DNS listeners are bound
     */
    public Local attach(EndpointKey key, int vni, Attachment a, EndpointValue v) throws InterruptedException {
        vtep.addNetwork(vni);
        Local l = withDns(key, vtep.attach(vni, a, saved.persistent()));
        try {
            saved.add(StateFile.Entry.of(key, vni, a, v));
        } catch (RuntimeException e) {
            detach(l.namespace(), key.network());
            throw e;
        }
        return l;
    }

    /**
     * Takes up what the state file lists (see {@link SavedAttachments#recover}); returns the endpoint values to
     * announce by table key.
     *
     * @throws InterruptedException if interrupted while a DNS responder is bound
     */
    public Map<String, byte[]> recover() throws InterruptedException {
        return saved.recover(this);
    }

    /** What {@link #recover} took up. */
    public SavedAttachments.Report recovery() {
        return saved.report();
    }

    /**
     * Takes up an attachment a previous process left: re-opens its persistent TAP on {@code vni}, then the
     * namespace's DNS responder. On a failure of the second, the interface is removed (an attachment without its
     * DNS is not taken up).
     *
     * @throws IllegalStateException when the interface is gone
     * @throws io.meshd.shims.NativeException when the namespace is gone or the kernel refuses the TAP
     * @throws InterruptedException if interrupted while the DNS listeners are bound
     */
    public Local reattach(EndpointKey key, int vni, Attachment a) throws InterruptedException {
        vtep.addNetwork(vni);
        return withDns(key, vtep.reattach(vni, a));
    }

    private Local withDns(EndpointKey key, TapPort port) throws InterruptedException {
        String name = port.attachment().namespace();
        try {
            Namespace ns = namespaces.get(name);
            if (ns == null) {
                ns = open(name, key.network());
                namespaces.put(name, ns);
            } else {
                ns.view.scope(union(ns, key.network()));
            }
            Local local = new Local(key, name, port);
            ns.byNetwork.put(key.network(), local);
            return local;
        } catch (RuntimeException | InterruptedException e) {
            vtep.detach(port);
            throw e;
        }
    }

    private Namespace open(String name, String network) throws InterruptedException {
        NetNs handle = NetNs.of(name);
        LiveRecordSource.LiveView view = records.view(Set.of(network));
        try {
            return new Namespace(handle, view, dns.attach(handle, view));
        } catch (RuntimeException | InterruptedException e) {
            view.close();
            handle.close();
            throw e;
        }
    }

    private static Set<String> union(Namespace ns, String network) {
        Set<String> scope = new TreeSet<>(ns.byNetwork.keySet());
        scope.add(network);
        return scope;
    }

    /** Detaches {@code namespace} from {@code network}; returns what was attached, or null. */
    public Local detach(String namespace, String network) {
        Namespace ns = namespaces.get(namespace);
        Local local = ns == null ? null : ns.byNetwork.remove(network);
        if (local == null) {
            return null;
        }
        vtep.detach(local.port());
        saved.remove(local.key());
        if (ns.byNetwork.isEmpty()) {
            namespaces.remove(namespace);
            ns.dns.close();
            ns.view.close();
            ns.handle.close();
        } else {
            ns.view.scope(new TreeSet<>(ns.byNetwork.keySet()));
        }
        return local;
    }

    /** Every attachment. */
    public List<Local> all() {
        List<Local> out = new ArrayList<>();
        namespaces.values().forEach(ns -> out.addAll(ns.byNetwork.values()));
        return out;
    }

    /**
     * Lets go of everything while the persistent interfaces stay in their containers: each TAP released, each DNS
     * responder closed.
     */
    void releaseAll() {
        for (Namespace ns : namespaces.values()) {
            for (Local l : ns.byNetwork.values()) {
                try {
                    vtep.release(l.port());
                } catch (RuntimeException e) {
                    // best effort while closing
                }
            }
            ns.dns.close();
            ns.view.close();
            ns.handle.close();
        }
        namespaces.clear();
    }

    /** Every attachment as the facade reports it. */
    public List<io.meshd.LocalAttachment> views() {
        List<io.meshd.LocalAttachment> out = new ArrayList<>();
        for (Local l : all()) {
            Attachment a = l.port().attachment();
            out.add(new io.meshd.LocalAttachment(l.key().network(), l.namespace(), l.key().endpoint(),
                Subnets.address(a.ipv4()), a.interfaceName()));
        }
        return out;
    }

    /**
     * Lets go of everything: with {@code keep} and a state file, each TAP is released and stays in its container
     * with the state file listing it (for the next start); otherwise everything is detached and the file emptied.
     */
    public void close(boolean keep) {
        if (keep && saved.persistent()) {
            releaseAll();
        } else {
            clear();
            saved.clear();
        }
    }

    /** Detaches everything. */
    public void clear() {
        for (Local l : all()) {
            try {
                detach(l.namespace(), l.key().network());
            } catch (RuntimeException e) {
                // best effort while closing
            }
        }
    }
}
