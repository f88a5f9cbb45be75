package io.meshd;

import io.meshd.mesh.codec.Names;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What {@link Mesh#attach} attaches: made by {@link Mesh#attachment(String, String)}, then filled. */
public final class AttachSpec {
    private final String network;
    private final String namespace;
    private InetAddress ip;
    private String name;
    private final List<String> aliases = new ArrayList<>();
    private String service = "";

    AttachSpec(String network, String namespace) {
        this.network = Names.check(network, "network name");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
    }

    /** The endpoint's IPv4 address on the network (required for now). */
    public AttachSpec ip(InetAddress v) {
        this.ip = Objects.requireNonNull(v);
        return this;
    }

    /** The endpoint's name (default: the namespace's name; required when the namespace is given by a path). */
    public AttachSpec name(String v) {
        this.name = Names.check(v, "endpoint name");
        return this;
    }

    /** Adds an alias. */
    public AttachSpec alias(String v) {
        aliases.add(Names.check(v, "alias"));
        return this;
    }

    /** The service this endpoint is a task of. */
    public AttachSpec service(String v) {
        this.service = Names.check(v, "service name");
        return this;
    }

    String network() {
        return network;
    }

    String namespace() {
        return namespace;
    }

    InetAddress ip() {
        return ip;
    }

    String name() {
        if (name != null) {
            return name;
        }
        String ns = Requests.namespaceName(namespace);
        if (Requests.isPath(ns)) {
            throw MeshRequestException.invalid("namespace path '" + namespace + "' has no name to give the "
                + "endpoint: give its name");
        }
        return Names.check(ns, "endpoint name (the namespace's name)");
    }

    List<String> aliases() {
        return List.copyOf(aliases);
    }

    String service() {
        return service;
    }
}
