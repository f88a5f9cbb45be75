package io.meshd.vxlan.vtep;

import io.meshd.vxlan.fabric.RemoteVtep;
import org.agrona.MutableDirectBuffer;

/**
 * Where a {@link UdpVtep} hands every received datagram, normally {@code SwitchFabric::fromVxlan}, which decodes the
 * VXLAN header, counts bad datagrams by reason and switches the inner frame. Called on an event-loop thread; the
 * buffer is only valid during the call.
 */
@FunctionalInterface
public interface UplinkReceiver {

    /**
     * One datagram's UDP payload as received (VXLAN header, then the inner frame; not yet validated), sent by the
     * VTEP {@code from}. Writable: the switch may rewrite the inner frame in place.
     */
    void receive(RemoteVtep from, MutableDirectBuffer payload, int offset, int length);
}
