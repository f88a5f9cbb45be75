package io.meshd.cli.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshd.cli.api.LocalApi;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshd attach NETWORK --netns NS [--ip IP] [--name NAME] [--alias A]... [--service S]}: attaches a network
 * namespace of this host to a network (POST /v1/attachments) and prints the endpoint's name and address.
 */
@Command(name = "attach", mixinStandardHelpOptions = true,
    description = {"Attaches a network namespace of this host to a network.",
        "An interface in the namespace with an address on the network, its name and aliases in the network's DNS, "
            + "optionally a backend of a service. Prints the endpoint's name and IP address."})
public final class AttachCommand extends Verb {

    @Parameters(index = "0", paramLabel = "NETWORK", description = "The network.")
    private String network;

    @Option(names = "--netns", required = true, paramLabel = "NS",
        description = "The namespace: a name under /var/run/netns or a path such as /proc/PID/ns/net.")
    private String namespace;

    @Option(names = "--ip", paramLabel = "IP", converter = Converters.Ip.class,
        description = "Its address on the network (default: the agent picks a free one).")
    private String ip;

    @Option(names = "--name", paramLabel = "NAME",
        description = "The endpoint's name, resolvable on the network (default: the agent's choice).")
    private String name;

    @Option(names = "--alias", paramLabel = "ALIAS", description = "Another name it answers to; repeatable.")
    private List<String> aliases = new ArrayList<>();

    @Option(names = "--service", paramLabel = "SERVICE",
        description = "The service it is a backend (task) of.")
    private String service;

    @Override
    int run(LocalApi api) throws IOException, Failure {
        ObjectNode body = Json.object().put("network", network).put("namespace", namespace);
        if (ip != null) {
            body.put("ip", ip);
        }
        if (name != null) {
            body.put("name", name);
        }
        if (!aliases.isEmpty()) {
            ArrayNode list = body.putArray("aliases");
            aliases.forEach(list::add);
        }
        if (service != null) {
            body.put("service", service);
        }
        JsonNode endpoint = expect(api, "POST", "/v1/attachments", body, 201);
        out().println((Json.text(endpoint, "name") + " " + Json.text(endpoint, "ip")).trim());
        return 0;
    }
}
