/**
 * Confidentiality and authentication of gossip: a {@link io.meshd.gossip.security.Keyring} of AES keys that can be
 * rotated while the cluster runs, and the {@link io.meshd.gossip.security.PacketSealer} that frames every packet and
 * stream with AES-GCM (random 12-byte nonce, cluster label as associated data) or, without keys, a plain label check.
 */
package io.meshd.gossip.security;
