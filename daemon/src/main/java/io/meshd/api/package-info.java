/**
 * The agent's local HTTP/JSON API (docs/api.openapi.yaml): HTTP/1.1 on a unix domain socket with Netty's HTTP codec,
 * JSON with Jackson, one request per connection, answered from a small bounded executor so a slow {@link io.meshd.Mesh}
 * call never blocks the event loop. {@link io.meshd.api.ApiServer} listens, {@link io.meshd.api.Router} matches a
 * method and path to a handler, the {@code *Routes} classes are the handlers by resource, and
 * {@link io.meshd.api.ApiError} turns every refusal into a status and a JSON body naming the problem.
 */
package io.meshd.api;
