package io.meshd.vxlan.vtep;

import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Sends on the descriptor of an epoll or io_uring channel through Netty's native socket: {@code sendto} for a
 * buffer, {@code sendmsg} with an iovec array for a gathered datagram.
 */
final class NativeDatagramSender implements DatagramSender {

    private final Socket socket;

    NativeDatagramSender(Socket socket) {
        this.socket = socket;
    }

    @Override
    public int send(ByteBuffer direct, int length, InetSocketAddress to) throws IOException {
        return socket.sendTo(direct, 0, length, to.getAddress(), to.getPort());
    }

    @Override
    public boolean gathers() {
        return true;
    }

    @Override
    public int sendGather(long iovecs, int count, InetSocketAddress to) throws IOException {
        return socket.sendToAddresses(iovecs, count, to.getAddress(), to.getPort());
    }
}
