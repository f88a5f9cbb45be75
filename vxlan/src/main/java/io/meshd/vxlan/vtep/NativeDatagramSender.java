package io.meshd.vxlan.vtep;

import io.meshd.shims.DatagramBatch;
import io.meshd.shims.IoVectors;
import io.meshd.shims.NativeException;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Sends on the descriptor of an epoll or io_uring channel through Netty's native socket: {@code sendmsg} with the
 * datagram's iovec array, so headers built in the staging buffer and payloads left where they lie go out as one;
 * batches of datagrams with one {@code sendmmsg} on the same descriptor (the shims' {@link DatagramBatch}).
 */
final class NativeDatagramSender implements DatagramSender {

    private final Socket socket;

    NativeDatagramSender(Socket socket) {
        this.socket = socket;
    }

    @Override
    public boolean gathers() {
        return true;
    }

    @Override
    public int send(ByteBuffer staged, IoVectors pieces, int length, InetSocketAddress to) throws IOException {
        return socket.sendToAddresses(pieces.address(), pieces.count(), to.getAddress(), to.getPort());
    }

    @Override
    public boolean sendsBatches() {
        return true;
    }

    @Override
    public int sendBatch(DatagramBatch batch) throws IOException {
        try {
            return batch.send(socket.intValue());
        } catch (NativeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
