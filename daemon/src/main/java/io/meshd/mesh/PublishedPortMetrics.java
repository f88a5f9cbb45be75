package io.meshd.mesh;

import io.meshd.lb.ServiceKey;
import io.meshd.net.metrics.Labels;
import io.meshd.net.metrics.MetricSink;
import io.meshd.net.metrics.MetricSource;
import io.meshd.net.metrics.MetricType;

/**
 * The routing mesh's counters as the agent exports them: each listening port's proxy events (connections, sessions,
 * backend failures) as {@code meshd_published_events_total}, labelled with the port and protocol (a port's series
 * ends when its service goes), and the bind and ingress-attach failures.
 */
public final class PublishedPortMetrics implements MetricSource {
    private final PublishedPorts ports;

    /** @param ports the node's published ports */
    public PublishedPortMetrics(PublishedPorts ports) {
        this.ports = ports;
    }

    @Override
    public void collect(MetricSink sink) {
        sink.sample("meshd_published_bind_failures_total", MetricType.COUNTER,
            "Times binding a published port failed on this node (port taken)", Labels.none(), ports.bindFailures());
        sink.sample("meshd_published_ingress_failures_total", MetricType.COUNTER,
            "Times attaching the ingress namespace to a network failed", Labels.none(), ports.ingressFailures());
        for (ServiceKey key : ports.listening()) {
            String port = Integer.toString(key.port());
            String protocol = key.protocol().toString();
            ports.proxy(key).ifPresent(proxy -> proxy.metrics().collect((name, type, help, labels, value) ->
                sink.sample(name.replace("meshd_proxy_", "meshd_published_"), type, help + ", per published port",
                    labels.and("port", port).and("protocol", protocol), value)));
        }
    }
}
