/**
 * The VXLAN tunnel endpoint on Netty UDP: a {@link io.meshd.vxlan.vtep.UdpVtep} binds the VXLAN port (4789 by
 * default) with the transport chosen at start ({@link io.meshd.net.IoTransport}: io_uring, epoll or NIO),
 * decapsulates what arrives and hands each inner frame to the switch, and encapsulates what the switch sends to a
 * remote VTEP, choosing the outer source port from a hash of the inner flow out of a small pool of bound sockets.
 * Inside, sockets (VtepSockets), the send path (VtepSender) and the receive burst (ReceiveBurst: the datagrams
 * of one read loop, held until the ports have written from them) are one class each. Counters replace per-packet
 * logging; bad datagrams are dropped and counted per reason.
 */
package io.meshd.vxlan.vtep;
