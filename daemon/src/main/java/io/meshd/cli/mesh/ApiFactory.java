package io.meshd.cli.mesh;

import io.meshd.cli.api.LocalApi;
import java.io.IOException;
import java.nio.file.Path;

/** Opens the local API of the agent listening on a unix socket. */
@FunctionalInterface
interface ApiFactory {

    /**
     * Opens the API.
     *
     * @param socket the agent's socket
     * @return the API, closed by the caller
     * @throws IOException when the agent cannot be reached
     */
    LocalApi open(Path socket) throws IOException;
}
