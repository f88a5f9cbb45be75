/**
 * Counters every module shares: striped {@link io.meshd.net.metrics.EnumCounters} for packet paths, the
 * {@link io.meshd.net.metrics.MetricSource} interface through which any counter set lists its samples (name, type,
 * help, labels, value) for export, a {@link io.meshd.net.metrics.MetricRegistry} that gathers and checks them, and
 * {@link io.meshd.net.metrics.ThrottledLog} for the one log line per interval that bad input may cost.
 */
package io.meshd.net.metrics;
