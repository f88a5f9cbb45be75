/**
 * The gossip peer channel on the real network: Netty UDP for packets and TCP for push-pull and fallback-probe streams,
 * on io_uring, epoll or NIO, with the event loop doubling as the protocol thread.
 */
package io.meshd.gossip.netty;
