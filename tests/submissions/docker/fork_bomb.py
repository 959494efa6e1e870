# Hostile: every process forks for ever. The pids limit must refuse forks, and the timeout
# must end all of them with the container.
import errno
import os

print("bomb started", flush=True)
said = False
while True:
    try:
        os.fork()
    except OSError as exc:
        if not said:
            print("fork refused:", errno.errorcode.get(exc.errno), flush=True)
            said = True
