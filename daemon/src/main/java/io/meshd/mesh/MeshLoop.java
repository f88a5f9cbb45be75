package io.meshd.mesh;

import io.meshd.MeshEvent;
import io.meshd.MeshListener;
import io.meshd.gossip.Member;
import io.meshd.gossip.MemberState;
import io.meshd.gossip.TableEvent;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh's one thread: gossip listeners (on the protocol thread, which must not block) hand every table event
 * and member change here; this thread updates the {@link MeshModel}, tells the {@link MeshListener}s, and once the
 * events queued so far are applied, brings the data plane up to date with one {@link Translator#sync}.
 */
public final class MeshLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeshLoop.class);

    private final ExecutorService thread;
    private final MeshModel model = new MeshModel();
    private final Translator translator;
    private final List<MeshListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Thread meshThread;
    private boolean syncQueued;
    private long syncs;

    /** A loop driving {@code plane} for node {@code self}. */
    public MeshLoop(DataPlane plane, String self) {
        this.translator = new Translator(plane, self);
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "meshd-mesh-" + self);
            t.setDaemon(true);
            meshThread = t;
            return t;
        });
    }

    /** For gossip's table listener: queues the event. */
    public void onTableEvent(TableEvent e) {
        execute(() -> {
            if (model.apply(e)) {
                LOG.atInfo().addKeyValue("table", e.table()).addKeyValue("key", e.key())
                    .addKeyValue("change", e.kind().name().toLowerCase(Locale.ROOT)).log("table entry changed");
                tell(new MeshEvent(kindOf(e.table()), e.key(), present(e)));
                queueSync();
            }
        });
    }

    /** For gossip's membership listener: queues the change. */
    public void onMember(Member m) {
        execute(() -> {
            LOG.atInfo().addKeyValue("member", m.name()).addKeyValue("state", m.state().name().toLowerCase(
                Locale.ROOT)).addKeyValue("address",
                m.address().getAddress().getHostAddress() + ":" + m.address().getPort()).log("member changed");
            tell(new MeshEvent(MeshEvent.Kind.MEMBER, m.name(), m.state() == MemberState.ALIVE
                || m.state() == MemberState.SUSPECT));
        });
    }

    /** Adds a listener. */
    public void addListener(MeshListener l) {
        listeners.add(l);
    }

    /** Runs {@code task} on the mesh thread and waits for it (for reads of the model); inline when on it. */
    public <T> T call(Callable<T> task) {
        if (Thread.currentThread() == meshThread) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Future<T> f = thread.submit(task);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The model; read it only on the mesh thread ({@link #call}). */
    public MeshModel model() {
        return model;
    }

    /** How many times the data plane was synced (for tests and metrics). */
    public long syncs() {
        return call(() -> syncs);
    }

    private void execute(Runnable r) {
        if (!thread.isShutdown()) {
            thread.execute(r);
        }
    }

    private void queueSync() {
        if (!syncQueued) {
            syncQueued = true;
            execute(this::sync);
        }
    }

    private void sync() {
        syncQueued = false;
        syncs++;
        try {
            translator.sync(model);
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("error", e.toString()).log("data plane update failed");
        }
    }

    private void tell(MeshEvent ev) {
        for (MeshListener l : listeners) {
            try {
                l.onEvent(ev);
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("event", ev).addKeyValue("error", e.toString()).log("mesh listener failed");
            }
        }
    }

    private static MeshEvent.Kind kindOf(String table) {
        switch (MeshTable.of(table)) {
            case NETWORKS:
                return MeshEvent.Kind.NETWORK;
            case SERVICES:
                return MeshEvent.Kind.SERVICE;
            case ENDPOINTS:
                return MeshEvent.Kind.ENDPOINT;
            default:
                return MeshEvent.Kind.NODE;
        }
    }

    private static boolean present(TableEvent e) {
        return e.kind() != TableEvent.Kind.DELETE && e.kind() != TableEvent.Kind.HIDDEN;
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
