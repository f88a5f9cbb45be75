package io.meshd.cli;

import io.meshd.shims.NativeShims;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.io.PrintWriter;

/** First demo step: what this machine offers the data plane (native transports, privileges). */
final class EnvironmentStep implements DemoStep {

    @Override
    public String title() {
        return "Environment: which fast paths this machine offers";
    }

    @Override
    public boolean run(PrintWriter out) {
        out.println("  meshd picks the best UDP transport at start: io_uring, then epoll, then Java NIO.");
        out.printf("  io_uring: %s%n", describe(IoUring.isAvailable(), IoUring.unavailabilityCause()));
        out.printf("  epoll:    %s%n", describe(Epoll.isAvailable(), Epoll.unavailabilityCause()));
        out.println("  nio:      available");
        out.println("  TAP devices, setns and rtnetlink go through jnr-ffi (native-shims).");
        out.printf("  native shims: %s%n", describe(NativeShims.isAvailable(),
            NativeShims.unavailabilityCause().orElse(null)));
        return true;
    }

    private static String describe(boolean available, Throwable cause) {
        return available ? "available" : "unavailable (" + cause + ")";
    }
}
