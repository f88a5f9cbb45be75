package io.meshd.gossip.spi;

import java.net.InetSocketAddress;

/**
 * How the protocol reaches other members: unreliable packets (UDP) and reliable request/response streams (TCP),
 * used for push-pull state exchange and the fallback probe. Implementations deliver every callback on the
 * protocol thread of the {@link Scheduler} they were built with.
 */
public interface PeerChannel {

    /** The address other members use to reach this one. */
    InetSocketAddress localAddress();

    /** Starts delivering input to {@code receiver}. */
    void start(Receiver receiver);

    /** Sends one packet; losses are silent, as with UDP. The array is not retained after the call. */
    void sendPacket(InetSocketAddress to, byte[] packet);

    /**
     * Opens a stream to {@code to}, writes {@code request}, reads one response and closes. Exactly one of the
     * handler's methods is called, on the protocol thread, within {@code timeoutNanos} (plus scheduling delay).
     */
    void request(InetSocketAddress to, byte[] request, long timeoutNanos, ResponseHandler handler);

    /** Stops receiving and releases sockets. */
    void close();

    /** Input from the network, on the protocol thread. */
    interface Receiver {
        /** One packet arrived from {@code from}. The array belongs to the receiver. */
        void onPacket(InetSocketAddress from, byte[] packet);

        /**
         * A stream request arrived; the returned bytes are the response. An empty array closes the stream with
         * no response.
         */
        byte[] onRequest(InetSocketAddress from, byte[] request);
    }

    /** Outcome of {@link #request}. */
    interface ResponseHandler {
        /** The peer answered. */
        void onResponse(byte[] response);

        /** Connection refused, reset, timed out or too large; {@code reason} is for counters and logs. */
        void onFailure(String reason);
    }
}
