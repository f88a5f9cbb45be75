package io.meshd.cli.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Sends one request line to an agent's control socket and returns the answer lines (without the status). */
public final class ControlClient {

    private ControlClient() {
    }

    /** The agent's answer lines; an {@code error} answer becomes an {@link IOException} carrying it. */
    public static List<String> request(Path socket, String line) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer req = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (req.hasRemaining()) {
                ch.write(req);
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                StandardCharsets.UTF_8));
            String status = in.readLine();
            if (status == null) {
                throw new IOException("agent closed the connection without answering");
            }
            if (!status.equals("ok")) {
                throw new IOException(status.startsWith("error ") ? status.substring(6) : status);
            }
            List<String> out = new ArrayList<>();
            for (String l = in.readLine(); l != null; l = in.readLine()) {
                out.add(l);
            }
            return out;
        }
    }
}
