/**
 * The mesh's names as data: networks with their endpoints and services, the in-memory {@link
 * io.meshd.dns.RecordSource} that compiles them into per-scope name tables, the live one ({@link
 * io.meshd.dns.records.LiveRecordSource}) that applies batches of changes to persistent per-view tries, and the
 * YAML records file that {@code meshd dns} serves.
 */
package io.meshd.dns.records;
