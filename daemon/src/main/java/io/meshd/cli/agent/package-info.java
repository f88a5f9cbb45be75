/**
 * Plumbing of {@code meshd agent} and the commands that talk to it: the line-based control protocol on a local unix
 * socket (server and client) and option converters for addresses and durations.
 */
package io.meshd.cli.agent;
