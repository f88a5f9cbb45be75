package io.meshd;

/** Told about every {@link MeshEvent}, on the mesh's own thread, in order. Must not block. */
@FunctionalInterface
public interface MeshListener {

    /** One change. */
    void onEvent(MeshEvent event);
}
