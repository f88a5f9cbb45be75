/**
 * The {@code meshd} command line: the agent, the standalone tools and the demo.
 */
package io.meshd.cli;
