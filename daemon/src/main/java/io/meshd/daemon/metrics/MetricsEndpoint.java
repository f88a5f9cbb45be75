package io.meshd.daemon.metrics;

import io.meshd.net.metrics.MetricSource;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * An HTTP server answering {@code GET /metrics} with the Prometheus text exposition of one {@link MetricSource}
 * (usually the process's {@link io.meshd.net.metrics.MetricRegistry}, so sources registered later are exported from
 * the next scrape on). Served by the Prometheus Java client's exporter on its own daemon threads, never on an event
 * loop; {@code /-/healthy} answers too.
 */
public final class MetricsEndpoint implements AutoCloseable {

    private final HTTPServer server;
    private final InetSocketAddress address;

    private MetricsEndpoint(HTTPServer server, InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    /**
     * Starts serving.
     *
     * @param bind IP address and port to listen on (port 0: any free port)
     * @param source what each scrape reports
     * @return the running endpoint
     * @throws IOException if the address cannot be bound
     */
    public static MetricsEndpoint start(InetSocketAddress bind, MetricSource source) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new PrometheusBridge(source));
        HTTPServer server = HTTPServer.builder().inetAddress(bind.getAddress()).port(bind.getPort())
            .registry(registry).buildAndStart();
        return new MetricsEndpoint(server, new InetSocketAddress(bind.getAddress(), server.getPort()));
    }

    /**
     * The address listened on, with the port chosen if port 0 was asked for.
     *
     * @return the bound address
     */
    public InetSocketAddress address() {
        return address;
    }

    /** Stops serving. */
    @Override
    public void close() {
        server.close();
    }
}
