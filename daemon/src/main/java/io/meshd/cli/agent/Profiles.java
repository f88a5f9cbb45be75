package io.meshd.cli.agent;

import io.meshd.gossip.GossipConfig;
import java.util.Optional;

/** The gossip timing presets by their command-line names. */
public final class Profiles {

    private Profiles() {
    }

    /** The preset called {@code name} ({@code lan}, {@code wan} or {@code local}). */
    public static Optional<GossipConfig.Builder> preset(String name) {
        switch (name) {
            case "lan":
                return Optional.of(GossipConfig.lan());
            case "wan":
                return Optional.of(GossipConfig.wan());
            case "local":
                return Optional.of(GossipConfig.local());
            default:
                return Optional.empty();
        }
    }
}
