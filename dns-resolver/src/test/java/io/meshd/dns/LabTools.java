package io.meshd.dns;

import io.meshd.harness.LabRequirement;

/** Absolute paths of the lab's commands (root's sbin directories included). */
final class LabTools {

    private LabTools() {
    }

    static String path(String command) {
        return LabRequirement.onPath(command).map(Object::toString).orElse(command);
    }
}
