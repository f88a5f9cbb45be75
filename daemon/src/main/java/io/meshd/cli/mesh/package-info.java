/**
 * The CLI's mesh verbs, docker-like: {@code meshd network create|ls|inspect|rm}, {@code meshd attach},
 * {@code meshd detach} and {@code meshd service create|ls|inspect|update|rm}. Each is one or a few requests to the
 * local agent's HTTP/JSON API through {@link io.meshd.cli.api.LocalApi}, printed as a table like {@code docker}'s,
 * as indented JSON ({@code inspect}, {@code --format json}) or as the name of what was created or removed. The
 * API's error message is printed as {@code Error: <message>} with exit code 1; bad option values are usage errors
 * (exit code 2) caught by the converters here before any request.
 */
package io.meshd.cli.mesh;
