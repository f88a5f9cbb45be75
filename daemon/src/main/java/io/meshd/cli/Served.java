package io.meshd.cli;

import io.meshd.dns.DnsServer;
import io.meshd.dns.records.LiveRecordSource;
import io.meshd.dns.records.MeshNetwork;
import io.meshd.dns.records.RecordsFile;
import io.meshd.dns.records.RecordsFileException;
import io.meshd.shims.NetNs;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What {@code meshd dns} runs: one {@link DnsServer}, the {@link LiveRecordSource} it answers from, the namespaces
 * attached to it, and a maintenance thread that reloads the records file when it changes ({@code --watch}) and
 * detaches a namespace once it is gone (its {@code /var/run/netns} name removed or bound to another namespace).
 */
final class Served implements AutoCloseable {

    private final DnsServer dns;
    private final LiveRecordSource live;
    private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
    private final List<LiveRecordSource.LiveView> fileScoped = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Thread maintenance;
    private WatchService watcher;

    Served(DnsServer dns, LiveRecordSource live) {
        this.dns = dns;
        this.live = live;
    }

    DnsServer dns() {
        return dns;
    }

    /** Follows the file's networks: on reload its scope becomes every network of the new file. */
    void followFile(LiveRecordSource.LiveView view) {
        synchronized (namespaces) {
            fileScoped.add(view);
        }
    }

    void attach(String name, NetNs handle, List<InetSocketAddress> listen, Set<String> scope, boolean followsFile)
        throws InterruptedException {
        LiveRecordSource.LiveView view = live.view(scope);
        try {
            DnsServer.Attachment a = dns.attach(handle, listen, view);
            synchronized (namespaces) {
                namespaces.put(name, new Namespace(handle, view, a));
                if (followsFile) {
                    fileScoped.add(view);
                }
            }
        } catch (RuntimeException | InterruptedException e) {
            view.close();
            throw e;
        }
    }

    /** Starts the maintenance thread; {@code file} is watched when not null. */
    void startMaintenance(Path file, PrintWriter out, PrintWriter err) throws IOException {
        if (file != null) {
            watcher = FileSystems.getDefault().newWatchService();
            Path dir = file.toAbsolutePath().getParent();
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        }
        maintenance = new Thread(() -> maintain(file, out, err), "meshd-dns-maintenance");
        maintenance.setDaemon(true);
        maintenance.start();
    }

    private void maintain(Path file, PrintWriter out, PrintWriter err) {
        try {
            while (stopped.getCount() > 0) {
                boolean changed = false;
                if (watcher != null) {
                    WatchKey key = watcher.poll(1, TimeUnit.SECONDS);
                    if (key != null) {
                        for (WatchEvent<?> event : key.pollEvents()) {
                            changed |= file.getFileName().equals(event.context());
                        }
                        key.reset();
                    }
                } else if (stopped.await(1, TimeUnit.SECONDS)) {
                    return;
                }
                if (changed) {
                    reload(file, out, err);
                }
                detachGone(out);
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // Stopping.
        }
    }

    private void reload(Path file, PrintWriter out, PrintWriter err) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            List<MeshNetwork> networks = RecordsFile.read(file);
            Set<String> all = new LinkedHashSet<>();
            networks.forEach(n -> all.add(n.name()));
            live.replace(networks).join();
            List<LiveRecordSource.LiveView> follow;
            synchronized (namespaces) {
                follow = List.copyOf(fileScoped);
            }
            for (LiveRecordSource.LiveView v : follow) {
                v.scope(all).join();
            }
            out.println("meshd dns: reloaded " + file + ": " + all.size() + " network(s) " + all);
            out.flush();
        } catch (RecordsFileException | RuntimeException e) {
            err.println("meshd dns: not reloaded, still serving the previous records: " + e.getMessage());
            err.flush();
        }
    }

    private void detachGone(PrintWriter out) {
        List<Map.Entry<String, Namespace>> all;
        synchronized (namespaces) {
            all = List.copyOf(namespaces.entrySet());
        }
        for (Map.Entry<String, Namespace> e : all) {
            if (!stillThere(e.getKey(), e.getValue().handle)) {
                synchronized (namespaces) {
                    namespaces.remove(e.getKey());
                    fileScoped.remove(e.getValue().view);
                }
                e.getValue().close();
                out.println("meshd dns: namespace " + e.getKey() + " is gone; stopped serving it");
                out.flush();
            }
        }
    }

    private static boolean stillThere(String name, NetNs handle) {
        try {
            Path p = Path.of("/var/run/netns", name);
            return Files.exists(p) && ((Number) Files.getAttribute(p, "unix:ino")).longValue() == handle.inode();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Names of the namespaces served now. */
    Set<String> namespaces() {
        synchronized (namespaces) {
            return Set.copyOf(namespaces.keySet());
        }
    }

    @Override
    public void close() {
        stopped.countDown();
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
        List<Namespace> all;
        synchronized (namespaces) {
            all = List.copyOf(namespaces.values());
            namespaces.clear();
        }
        dns.close();
        for (Namespace n : all) {
            n.close();
        }
        live.close();
    }

    /** One attached namespace: the handle, its view, its listeners. */
    private record Namespace(NetNs handle, LiveRecordSource.LiveView view, DnsServer.Attachment attachment) {
        void close() {
            attachment.close();
            view.close();
            handle.close();
        }
    }
}
