/** The CLI's side of the agent's local HTTP/JSON API. */
package io.meshd.cli.api;
