/**
 * The parts of a {@link io.meshd.Mesh} node: the mesh's tables ({@link io.meshd.mesh.MeshTable}), their decoded
 * view ({@link io.meshd.mesh.MeshModel}), the one mesh thread ({@link io.meshd.mesh.MeshLoop}), the translation of
 * the tables into data-plane calls ({@link io.meshd.mesh.Translator} over {@link io.meshd.mesh.DataPlane}), local
 * attachments and automatic addresses.
 */
package io.meshd.mesh;
