package io.meshd.vxlan.tap;

import io.meshd.shims.Tap;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.unix.FileDescriptor;

/**
 * One TAP queue as a Netty epoll handle: when its descriptor is readable, its port reads it on the poller's thread
 * with the poller's buffers. A queue whose reads fail (its interface or namespace vanished) takes itself out of
 * epoll, which would otherwise report it ready forever. Never closes the descriptor: the port does, after
 * {@link TapPollers.Registration#close}.
 */
final class TapQueue implements EpollIoHandle {

    final TapPort port;
    final int queue;
    final Tap tap;
    final TapPollers.Poller poller;
    /** The descriptor as Netty sees it; never closed through this wrapper. */
    private final FileDescriptor fd;
    /** Set once registered; read and cancelled on the poller's thread only. */
    volatile IoRegistration registration;

    TapQueue(TapPort port, int queue, Tap tap, TapPollers.Poller poller) {
        this.port = port;
        this.queue = queue;
        this.tap = tap;
        this.poller = poller;
        this.fd = new FileDescriptor(tap.fd());
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        if (!port.readQueue(this)) {
            reg.cancel();
        }
    }

    /** Out of epoll (on the poller's thread). */
    void cancel() {
        IoRegistration r = registration;
        if (r != null) {
            r.cancel();
        }
    }

    @Override
    public void close() {
        // The pollers shut down: the descriptor belongs to the port, which closes it.
    }

    @Override
    public String toString() {
        return "TapQueue[" + tap + ", queue " + queue + "]";
    }
}
