package io.meshd.cli.mesh;

import io.meshd.cli.api.LocalApi;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshd detach NETWORK --netns NS}: removes a namespace's attachment (DELETE /v1/attachments) and prints the
 * namespace.
 */
@Command(name = "detach", mixinStandardHelpOptions = true,
    description = {"Detaches a network namespace of this host from a network.",
        "Its interface and every DNS record and backend of its endpoint go. Prints the namespace."})
public final class DetachCommand extends Verb {

    @Parameters(index = "0", paramLabel = "NETWORK", description = "The network.")
    private String network;

    @Option(names = "--netns", required = true, paramLabel = "NS",
        description = "The namespace, as it was attached (a name or a path).")
    private String namespace;

    @Override
    int run(LocalApi api) throws IOException, Failure {
        expect(api, "DELETE", "/v1/attachments?network=" + Json.encode(network) + "&namespace="
            + Json.encode(namespace), null, 204);
        out().println(namespace);
        return 0;
    }
}
