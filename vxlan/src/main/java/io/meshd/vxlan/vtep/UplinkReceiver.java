package io.meshd.vxlan.vtep;

import io.meshd.vxlan.fabric.RemoteVtep;
import org.agrona.DirectBuffer;

/**
 * Where a {@link UdpVtep} delivers decapsulated frames, normally {@code SwitchFabric::fromUplink}. Called on an
 * event-loop thread; the buffer is only valid during the call.
 */
@FunctionalInterface
public interface UplinkReceiver {

    /** One inner Ethernet frame of network {@code vni}, sent by the VTEP {@code from}. */
    void receive(int vni, RemoteVtep from, DirectBuffer frame, int offset, int length);
}
