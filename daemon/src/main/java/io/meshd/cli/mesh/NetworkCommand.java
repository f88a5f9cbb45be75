package io.meshd.cli.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshd.cli.api.LocalApi;
import io.meshd.cli.mesh.Converters.Format;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code meshd network create|ls|inspect|rm}: the cluster's overlay networks. */
@Command(name = "network", mixinStandardHelpOptions = true,
    description = "Manages the cluster's overlay networks (VXLAN segments with a subnet) through the local agent.",
    subcommands = {NetworkCommand.Create.class, NetworkCommand.Ls.class, NetworkCommand.Inspect.class,
        NetworkCommand.Rm.class})
public final class NetworkCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: create, ls, inspect or rm");
    }

    /** {@code meshd network create NAME [--subnet CIDR] [--vni N]}: prints the network's name. */
    @Command(name = "create", mixinStandardHelpOptions = true,
        description = "Creates a network: POST /v1/networks. Prints its name.")
    static final class Create extends Verb {

        @Parameters(index = "0", paramLabel = "NAME", description = "The network's name.")
        private String name;

        @Option(names = "--subnet", paramLabel = "IP/PREFIX", converter = Converters.Subnet.class,
            description = "Its subnet, e.g. 10.0.9.0/24 (default: the agent picks a free one).")
        private String subnet;

        @Option(names = "--vni", paramLabel = "N", converter = Converters.Vni.class,
            description = "Its VXLAN network identifier, 1..16777215 (default: the agent picks a free one).")
        private Integer vni;

        @Override
        int run(LocalApi api) throws IOException, Failure {
            ObjectNode body = Json.object().put("name", name);
            if (subnet != null) {
                body.put("subnet", subnet);
            }
            if (vni != null) {
                body.put("vni", vni);
            }
            JsonNode created = expect(api, "POST", "/v1/networks", body, 201);
            String createdName = Json.text(created, "name");
            out().println(createdName.isEmpty() ? name : createdName);
            return 0;
        }
    }

    /** {@code meshd network ls}: a table of the networks, or their JSON. */
    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
        description = "Lists the networks: NAME, SUBNET, VNI and the number of ENDPOINTS on it (every node's).")
    static final class Ls extends Verb {

        @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
            converter = Converters.FormatConverter.class,
            description = "table (default) or json: GET /v1/networks's array, indented.")
        private Format format;

        @Option(names = {"-q", "--quiet"}, description = "Print the names only, one a line.")
        private boolean quiet;

        @Override
        int run(LocalApi api) throws IOException, Failure {
            JsonNode list = expect(api, "GET", "/v1/networks", null, 200);
            if (format == Format.JSON) {
                out().println(Json.pretty(list));
                return 0;
            }
            if (quiet) {
                Json.elements(list).forEach(n -> out().println(Json.text(n, "name")));
                return 0;
            }
            Table table = new Table("NAME", "SUBNET", "VNI", "ENDPOINTS");
            for (JsonNode n : Json.elements(list)) {
                String name = Json.text(n, "name");
                JsonNode detail = n.has("endpoints") ? n : getIfPresent(api, path(name));
                if (detail != null) {
                    table.row(name, Json.text(n, "subnet"), Json.text(n, "vni"),
                        Json.elements(detail, "endpoints").size());
                }
            }
            table.print(out());
            return 0;
        }
    }

    /** {@code meshd network inspect NAME...}: an array of the networks with their endpoints and services. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Prints networks with their endpoints and services: GET /v1/networks/NAME, as a JSON array "
            + "like docker inspect's.")
    static final class Inspect extends Verb {

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "The networks' names.")
        private List<String> names = new ArrayList<>();

        @Option(names = "--format", paramLabel = "json|table", defaultValue = "json",
            converter = Converters.FormatConverter.class,
            description = "json (default) or table: each network, then its endpoints.")
        private Format format;

        @Override
        int run(LocalApi api) throws IOException {
            return inspect(api, names, NetworkCommand::path, format, this::table);
        }

        private void table(JsonNode n) {
            List<String> services = new ArrayList<>();
            Json.elements(n, "services").forEach(s -> services.add(s.asText()));
            new Table("NAME", "SUBNET", "VNI", "SERVICES")
                .row(Json.text(n, "name"), Json.text(n, "subnet"), Json.text(n, "vni"), String.join(",", services))
                .print(out());
            out().println();
            Table endpoints = new Table("ENDPOINT", "IP", "MAC", "NODE", "SERVICE", "ALIASES");
            for (JsonNode e : Json.elements(n, "endpoints")) {
                List<String> aliases = new ArrayList<>();
                Json.elements(e, "aliases").forEach(a -> aliases.add(a.asText()));
                endpoints.row(Json.text(e, "name"), Json.text(e, "ip"), Json.text(e, "mac"), Json.text(e, "node"),
                    Json.text(e, "service"), String.join(",", aliases));
            }
            endpoints.print(out());
        }
    }

    /** {@code meshd network rm NAME...}: prints each removed network's name. */
    @Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
        description = "Removes networks: DELETE /v1/networks/NAME (refused while endpoints are attached). "
            + "Prints each name removed.")
    static final class Rm extends Verb {

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "The networks' names.")
        private List<String> names = new ArrayList<>();

        @Override
        int run(LocalApi api) throws IOException {
            return remove(api, names, NetworkCommand::path);
        }
    }

    static String path(String network) {
        return "/v1/networks/" + Json.encode(network);
    }
}
