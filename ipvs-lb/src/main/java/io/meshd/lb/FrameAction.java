package io.meshd.lb;

/** What the switch does with an Ethernet frame after {@link VipFrameNat} saw it. */
public enum FrameAction {
    /** Forward it as the switch would (it may have been rewritten). */
    FORWARD,
    /** Send the reply {@link VipFrameNat} wrote back out of the port the frame came in on; drop the frame. */
    REPLY,
    /** Drop it (counted by {@link VipFrameNat}). */
    DROP,
}
