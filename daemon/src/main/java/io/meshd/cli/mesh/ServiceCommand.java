package io.meshd.cli.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshd.cli.api.LocalApi;
import io.meshd.cli.mesh.Converters.BackendWeight;
import io.meshd.cli.mesh.Converters.Format;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code meshd service create|ls|inspect|update|rm}: the cluster's services (a name, a VIP, backends). */
@Command(name = "service", mixinStandardHelpOptions = true,
    description = {"Manages the cluster's services (names with a VIP and backends) through the local agent.",
        "A service is a name on a network resolving to a VIP balanced over its endpoints (mode vip) or to the "
            + "endpoints' addresses (mode dnsrr)."},
    subcommands = {ServiceCommand.Create.class, ServiceCommand.Ls.class, ServiceCommand.Inspect.class,
        ServiceCommand.Update.class, ServiceCommand.Rm.class})
public final class ServiceCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "Missing subcommand: create, ls, inspect, update or rm");
    }

    /** {@code meshd service create NAME --network N [--vip IP] [--mode vip|dnsrr] [--publish P]...}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
        description = "Creates a service: POST /v1/services. Prints its name.")
    static final class Create extends Verb {

        @Parameters(index = "0", paramLabel = "NAME", description = "The service's name.")
        private String name;

        @Option(names = "--network", required = true, paramLabel = "NETWORK", description = "Its network.")
        private String network;

        @Option(names = "--vip", paramLabel = "IP", converter = Converters.Ip.class,
            description = "Its virtual IP in the network's subnet (mode vip; default: the agent picks one).")
        private String vip;

        @Option(names = "--mode", paramLabel = "vip|dnsrr", converter = Converters.Mode.class,
            description = "vip: the name resolves to the VIP, balanced over the endpoints; dnsrr: to the "
                + "endpoints' addresses (default: the agent's, vip).")
        private String mode;

        @Option(names = "--publish", paramLabel = "PUBLISHED:TARGET[/tcp|udp]", converter = PublishSpec.Converter.class,
            description = "A port clients reach on the VIP (PUBLISHED) and the endpoints answer on (TARGET), "
                + "TCP unless /udp; repeatable.")
        private List<PublishSpec> ports = new ArrayList<>();

        @Override
        int run(LocalApi api) throws IOException, Failure {
            ObjectNode body = Json.object().put("name", name).put("network", network);
            if (vip != null) {
                body.put("vip", vip);
            }
            if (mode != null) {
                body.put("mode", mode);
            }
            if (!ports.isEmpty()) {
                ArrayNode list = body.putArray("ports");
                ports.forEach(p -> list.add(p.toJson()));
            }
            JsonNode created = expect(api, "POST", "/v1/services", body, 201);
            String createdName = Json.text(created, "name");
            out().println(createdName.isEmpty() ? name : createdName);
            return 0;
        }
    }

    /** {@code meshd service ls}: a table of the services, or their JSON. */
    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
        description = "Lists the services: NAME, MODE, NETWORK, VIP, PORTS (PUBLISHED->TARGET/PROTO) and "
            + "BACKENDS (healthy/all).")
    static final class Ls extends Verb {

        @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
            converter = Converters.FormatConverter.class,
            description = "table (default) or json: GET /v1/services's array, indented.")
        private Format format;

        @Option(names = {"-q", "--quiet"}, description = "Print the names only, one a line.")
        private boolean quiet;

        @Override
        int run(LocalApi api) throws IOException, Failure {
            JsonNode list = expect(api, "GET", "/v1/services", null, 200);
            if (format == Format.JSON) {
                out().println(Json.pretty(list));
                return 0;
            }
            if (quiet) {
                Json.elements(list).forEach(s -> out().println(Json.text(s, "name")));
                return 0;
            }
            Table table = new Table("NAME", "MODE", "NETWORK", "VIP", "PORTS", "BACKENDS");
            for (JsonNode s : Json.elements(list)) {
                String name = Json.text(s, "name");
                JsonNode detail = s.has("backends") ? s : getIfPresent(api, path(name));
                if (detail != null) {
                    List<JsonNode> backends = Json.elements(detail, "backends");
                    long healthy = backends.stream().filter(b -> b.path("healthy").asBoolean(false)).count();
                    table.row(name, Json.text(s, "mode"), networks(s), vips(s), ports(s),
                        healthy + "/" + backends.size());
                }
            }
            table.print(out());
            return 0;
        }
    }

    /** {@code meshd service inspect NAME...}: an array of the services with their backends. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Prints services with their backends: GET /v1/services/NAME, as a JSON array like docker "
            + "inspect's.")
    static final class Inspect extends Verb {

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "The services' names.")
        private List<String> names = new ArrayList<>();

        @Option(names = "--format", paramLabel = "json|table", defaultValue = "json",
            converter = Converters.FormatConverter.class,
            description = "json (default) or table: each service, then its backends.")
        private Format format;

        @Override
        int run(LocalApi api) throws IOException {
            return inspect(api, names, ServiceCommand::path, format, this::table);
        }

        private void table(JsonNode s) {
            new Table("NAME", "MODE", "NETWORK", "VIP", "PORTS")
                .row(Json.text(s, "name"), Json.text(s, "mode"), networks(s), vips(s), ports(s)).print(out());
            out().println();
            Table backends = new Table("ENDPOINT", "NETWORK", "IP", "NODE", "WEIGHT", "HEALTHY");
            for (JsonNode b : Json.elements(s, "backends")) {
                backends.row(Json.text(b, "endpoint"), Json.text(b, "network"), Json.text(b, "ip"),
                    Json.text(b, "node"), Json.text(b, "weight"), Json.text(b, "healthy"));
            }
            backends.print(out());
        }
    }

    /** {@code meshd service update NAME --backend-weight ENDPOINT=WEIGHT...}: prints the service's name. */
    @Command(name = "update", mixinStandardHelpOptions = true,
        description = "Changes a service's backend weights: PATCH /v1/services/NAME. Prints its name.")
    static final class Update extends Verb {

        @Parameters(index = "0", paramLabel = "NAME", description = "The service's name.")
        private String name;

        @Option(names = "--backend-weight", required = true, paramLabel = "ENDPOINT=WEIGHT",
            converter = Converters.BackendWeightConverter.class,
            description = "An endpoint's share of new connections, 0 (drained: no new ones) to 1000; "
                + "repeatable.")
        private List<BackendWeight> weights = new ArrayList<>();

        @Override
        int run(LocalApi api) throws IOException, Failure {
            ObjectNode body = Json.object();
            ObjectNode map = body.putObject("weights");
            weights.forEach(w -> map.put(w.endpoint(), w.weight()));
            JsonNode updated = expect(api, "PATCH", path(name), body, 200);
            String updatedName = Json.text(updated, "name");
            out().println(updatedName.isEmpty() ? name : updatedName);
            return 0;
        }
    }

    /** {@code meshd service rm NAME...}: prints each removed service's name. */
    @Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
        description = "Removes services: DELETE /v1/services/NAME. Prints each name removed.")
    static final class Rm extends Verb {

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "The services' names.")
        private List<String> names = new ArrayList<>();

        @Override
        int run(LocalApi api) throws IOException {
            return remove(api, names, ServiceCommand::path);
        }
    }

    static String path(String service) {
        return "/v1/services/" + Json.encode(service);
    }

    /** The service's networks, comma-separated. */
    static String networks(JsonNode service) {
        List<String> names = new ArrayList<>();
        Json.elements(service, "networks").forEach(n -> names.add(Json.text(n, "network")));
        return String.join(",", names);
    }

    /** Its VIPs, comma-separated in the networks' order; empty in mode dnsrr. */
    static String vips(JsonNode service) {
        List<String> vips = new ArrayList<>();
        for (JsonNode n : Json.elements(service, "networks")) {
            String vip = Json.text(n, "vip");
            if (!vip.isEmpty()) {
                vips.add(vip);
            }
        }
        return String.join(",", vips);
    }

    /** Its ports as {@code 8080->80/tcp}, comma-separated. */
    static String ports(JsonNode service) {
        List<String> ports = new ArrayList<>();
        Json.elements(service, "ports").forEach(p -> ports.add(Json.text(p, "published") + "->"
            + Json.text(p, "target") + "/" + Json.text(p, "protocol")));
        return String.join(",", ports);
    }
}
