# Hostile: every process forks for ever. The pids limit must refuse forks, and the timeout
# must end all of them with the container. split_x is the bomb too: graded without its top level
# (as a file whose top level never ends is), it still bombs.
import errno
import os


def split_x(seq=None, size=None):
    print("bomb started", flush=True)
    said = False
    while True:
        try:
            os.fork()
        except OSError as exc:
            if not said:
                print("fork refused:", errno.errorcode.get(exc.errno), flush=True)
                said = True


split_x()
