/**
 * The values of the mesh's replicated tables ({@code networks}, {@code services}, {@code endpoints},
 * {@code nodes}) as docs/gossip.md specifies them: each a record with {@code encode()} and a {@code decode(byte[])}
 * that refuses anything off the schema with {@link io.meshd.mesh.codec.ValueFormatException} and nothing else.
 */
package io.meshd.mesh.codec;
