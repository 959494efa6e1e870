# Hostile: tries to phone home (PORT and HOST are a server the test runs on this machine).
import errno
import socket

import numpy as np

PORT, HOST = int("@PORT@"), "@HOST@"
print("INTERFACES", sorted(name for _, name in socket.if_nameindex()))
for host in ("127.0.0.1", HOST):
    try:
        socket.create_connection((host, PORT), timeout=3).close()
        print("CONNECTED", host)
    except OSError as exc:
        print("REFUSED", host, errno.errorcode.get(exc.errno, exc))


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
