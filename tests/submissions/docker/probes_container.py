# Probes the container from inside, prints what it found on one PROBE line, then solves
# exercise 5. HOST and PORT (a server the test runs on the host's docker bridge) are filled in.
import errno
import json
import os
import socket
import sys

import numpy as np

HOST, PORT = "@HOST@", int("@PORT@")


def attempt(action):
    try:
        action()
        return "ok"
    except OSError as exc:
        return errno.errorcode.get(exc.errno, str(exc.errno))


def connect():
    socket.create_connection((HOST, PORT), timeout=5).close()


def write(path):
    def go():
        with open(path, "w") as fh:
            fh.write("x")

    return go


def status_field(name):
    with open("/proc/self/status") as fh:
        return next(line.split()[1] for line in fh if line.startswith(name + ":"))


with open("/proc/mounts") as fh:
    root_options = next(line.split()[3] for line in fh if line.split()[1] == "/")
grader_dir = os.path.dirname(sys.modules["grader"].__file__)
probe = {
    "uid": os.getuid(),
    "interfaces": sorted(name for _, name in socket.if_nameindex()),
    "connect": attempt(connect),
    "root_mount": root_options.split(","),
    "write_usr": attempt(write("/usr/probe")),
    "write_job_in": attempt(write("/job/in/probe")),
    "write_submission": attempt(write(__file__)),
    "write_tmp": attempt(write("/tmp/probe")),
    "write_work": attempt(write("probe")),
    "reference_code": os.path.isdir(os.path.join(grader_dir, "check")),
    "capabilities": status_field("CapEff"),
    "no_new_privs": status_field("NoNewPrivs"),
}
print("PROBE " + json.dumps(probe))


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
