/**
 * JMH benchmarks of the DNS responder's query path: parsing a query and writing its answer, per query, with the
 * allocation rate measured by {@code -prof gc}.
 */
package io.meshd.benchmarks.dns;
