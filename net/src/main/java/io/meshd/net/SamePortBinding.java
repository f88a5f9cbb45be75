package io.meshd.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.function.Function;

/**
 * Binds a UDP and a TCP endpoint to one port, as DNS and gossip both serve: UDP first (so an ephemeral request gets
 * its port), then TCP on the port UDP got. Another process may hold that port on TCP; then, for an ephemeral request
 * only, the UDP side is closed and both are tried again on a fresh port. A fixed port that is taken fails at once.
 *
 * <p>Netty's {@code sync()} rethrows a failed bind as its cause, a checked {@code NativeIoException}
 * ({@code EADDRINUSE}) that a {@code catch (RuntimeException)} misses: every step here may throw any exception.
 */
public final class SamePortBinding {

    /** Ephemeral ports tried before giving up. */
    public static final int ATTEMPTS = 10;

    private SamePortBinding() {
    }

    /** Binds one side at an address. */
    @FunctionalInterface
    public interface Step<T> {
        /**
         * Binds.
         *
         * @param address where
         * @return what was bound
         * @throws Exception as Netty's bind does, checked or not
         */
        T bind(InetSocketAddress address) throws Exception;
    }

    /** Closes a bound UDP side again. */
    @FunctionalInterface
    public interface Undo<T> {
        /**
         * Closes.
         *
         * @param bound what {@link Step#bind} returned
         * @throws InterruptedException if interrupted while waiting for the close
         */
        void close(T bound) throws InterruptedException;
    }

    /**
     * Both sides, bound to one port.
     *
     * @param udp what the UDP step returned
     * @param tcp what the TCP step returned
     * @param address the address both are bound to
     * @param <U> the UDP side
     * @param <T> the TCP side
     */
    public record Bound<U, T>(U udp, T tcp, InetSocketAddress address) {
    }

    /**
     * Binds UDP at {@code want}, then TCP at the address UDP got.
     *
     * @param want the address; port 0 for an ephemeral one
     * @param udp binds the UDP side
     * @param boundAddress the address the UDP side got
     * @param tcp binds the TCP side
     * @param closeUdp closes the UDP side after a failed TCP bind
     * @return both sides
     * @throws UncheckedIOException when a side cannot be bound (an {@link IOException} from it)
     * @throws IllegalStateException when a side fails with another checked exception
     * @throws InterruptedException if interrupted
     */
    public static <U, T> Bound<U, T> bind(InetSocketAddress want, Step<U> udp,
        Function<U, InetSocketAddress> boundAddress, Step<T> tcp, Undo<U> closeUdp) throws InterruptedException {
        RuntimeException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            U u = run(udp, want);
            InetSocketAddress actual = boundAddress.apply(u);
            try {
                return new Bound<>(u, run(tcp, actual), actual);
            } catch (RuntimeException e) {
                closeUdp.close(u);
                last = e;
                if (want.getPort() != 0) {
                    break;
                }
            } catch (InterruptedException e) {
                closeUdp.close(u);
                throw e;
            }
        }
        throw last;
    }

    private static <T> T run(Step<T> step, InetSocketAddress address) throws InterruptedException {
        try {
            return step.bind(address);
        } catch (RuntimeException | InterruptedException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
