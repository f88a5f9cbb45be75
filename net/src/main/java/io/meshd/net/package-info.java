/**
 * The shared net layer under every meshd module that opens sockets (the VTEP, the DNS responder, gossip).
 * {@link io.meshd.net.IoTransport} names the I/O choices (io_uring, epoll, Java NIO, or automatic), reports why a
 * native one cannot run here instead of throwing from class initialisation, and hands out the matching event-loop
 * handler and channels, so no component repeats the three-way switch; {@link io.meshd.net.SamePortBinding} binds
 * UDP and TCP on one port; {@link io.meshd.net.SocketAddresses} parses {@code host:port} the one way every command
 * and config reads it. Counters and throttled logs live in {@code io.meshd.net.metrics}.
 */
package io.meshd.net;
