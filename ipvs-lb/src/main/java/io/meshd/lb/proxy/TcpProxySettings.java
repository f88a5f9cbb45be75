package io.meshd.lb.proxy;

import io.meshd.net.IoTransport;
import java.time.Duration;

/**
 * What the TCP side of a proxy needs to know of its configuration.
 *
 * @param transport the resolved I/O transport
 * @param connectTimeout how long a backend may take to accept
 * @param proxyProtocol whether to send a PROXY protocol v2 header first
 */
record TcpProxySettings(IoTransport transport, Duration connectTimeout, boolean proxyProtocol) {
}
