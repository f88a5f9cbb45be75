/**
 * The Netty transport choice shared by every meshd component that opens sockets: the VTEP, the DNS responder and
 * the gossip transport. {@link io.meshd.transport.Transport} names the choices (io_uring, epoll, Java NIO, or
 * automatic), parses them from the command line, reports why a native one cannot run here instead of throwing from
 * class initialisation, and hands out the matching event-loop handler and channels, so no component repeats the
 * three-way switch.
 */
package io.meshd.transport;
