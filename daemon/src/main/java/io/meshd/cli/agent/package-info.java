/**
 * Plumbing of {@code meshd agent}: its YAML configuration file, option converters for addresses, durations and log
 * levels, and the gossip timing presets. (The agent's local API is {@link io.meshd.api}; the CLI's client of it is
 * {@link io.meshd.cli.api}.)
 */
package io.meshd.cli.agent;
