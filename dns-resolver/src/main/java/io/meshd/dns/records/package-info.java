/**
 * The mesh's names as data: networks with their endpoints and services, the in-memory {@link
 * io.meshd.dns.RecordSource} that compiles them into per-scope name tables, and the YAML records file that
 * {@code meshd dns} serves.
 */
package io.meshd.dns.records;
