/**
 * Export of the process's {@link io.meshd.net.metrics.MetricSource}s in the Prometheus text format over HTTP: a
 * bridge from meshd's one counter design to the Prometheus Java client's model, and the endpoint serving it.
 */
package io.meshd.daemon.metrics;
