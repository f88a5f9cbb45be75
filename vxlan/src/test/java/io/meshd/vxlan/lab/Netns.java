package io.meshd.vxlan.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace made for one test run (a unique name with the pid and a random suffix), with helpers to
 * run commands in it. {@link #close()} deletes it and so everything inside.
 */
public final class Netns implements AutoCloseable {

    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    /** Creates {@code <prefix><pid><random>} with loopback up; the prefix keeps names readable in listings. */
    public static Netns create(String prefix) {
        String name = prefix + (ProcessHandle.current().pid() % 100000) + Integer.toString(
            ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
        Sh.check("ip", "netns", "add", name);
        Netns ns = new Netns(name);
        ns.ip("link", "set", "lo", "up");
        return ns;
    }

    /**
     * Creates a container namespace with IPv6 off, so no router solicitation or MLD report is flooded across the
     * overlay while a test counts datagrams.
     */
    public static Netns container(String prefix) {
        Netns ns = create(prefix);
        ns.exec("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        return ns;
    }

    /** The namespace name, as {@code ip netns} knows it. */
    public String name() {
        return name;
    }

    /** {@code ip -n NAME args...}, failing on error. */
    public String ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        return Sh.check(cmd.toArray(new String[0]));
    }

    /** Runs a command inside, failing on error. */
    public String exec(String... command) {
        return Sh.check(inside(command).toArray(new String[0]));
    }

    /** Runs a command inside and returns the result whatever it is. */
    public Sh.Result run(long seconds, String... command) {
        return Sh.run(seconds, inside(command));
    }

    /** The command line that runs {@code command} inside this namespace. */
    public List<String> inside(String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return cmd;
    }

    /** Links two namespaces with a veth pair named {@code ifname} on both ends, addressed and up. */
    public static void link(Netns a, String addressA, Netns b, String addressB, String ifname) {
        String tmp = "v" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        Sh.check("ip", "link", "add", tmp + "a", "netns", a.name, "type", "veth", "peer", "name", tmp + "b", "netns",
            b.name);
        a.ip("link", "set", tmp + "a", "name", ifname);
        b.ip("link", "set", tmp + "b", "name", ifname);
        a.ip("addr", "add", addressA, "dev", ifname);
        b.ip("addr", "add", addressB, "dev", ifname);
        a.ip("link", "set", ifname, "up");
        b.ip("link", "set", ifname, "up");
    }

    /** Pings {@code address} from inside; true if a reply came back. */
    public boolean ping(String address) {
        return run(15, "ping", "-c", "2", "-i", "0.2", "-W", "2", address).exitCode == 0;
    }

    @Override
    public void close() {
        Sh.quiet("ip", "netns", "del", name);
    }

    @Override
    public String toString() {
        return name;
    }
}
