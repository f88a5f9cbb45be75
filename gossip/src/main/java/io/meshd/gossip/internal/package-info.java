/**
 * The protocol core, free of I/O: the wire codec, the membership rules, suspicion and local health, the broadcast
 * queue, the tables, and the SWIM state machine that ties them together on one thread. Not API.
 */
package io.meshd.gossip.internal;
