# exercise: nms
# tries: reach the host over loopback: a TCP connection, and a UDP datagram (as a DNS query)
import socket
try:
    socket.create_connection(("127.0.0.1", @@TCP_PORT@@), 2).sendall(b"@@MARK@@")
    print("tcp OPEN")
except OSError as e:
    print("tcp blocked:", e)
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"@@MARK@@", ("127.0.0.1", @@UDP_PORT@@))
    print("udp sent")
except OSError as e:
    print("udp blocked:", e)
try:
    print("dns", socket.getaddrinfo("example.com", 80)[0][4])
except OSError as e:
    print("dns blocked:", e)
