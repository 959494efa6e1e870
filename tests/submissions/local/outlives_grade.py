# Hostile: starts a process in a session of its own that sleeps for an hour (MARKER on its
# command line so the test can find it), then spins: neither may outlive a killed grade.
import subprocess
import sys

subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)", "@MARKER@"], start_new_session=True)
print("started", flush=True)
while True:
    pass


def split_x(seq, size):  # what grade looks for: so that the file runs at all (never reached)
    return seq
