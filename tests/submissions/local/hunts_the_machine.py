# Hostile: looks everywhere for a way to a better grade, then solves the exercise honestly.
# MARKER is filled in by the test: files it planted elsewhere on the machine carry it in their
# names (a classmate's file, a copy of the hidden test set, an exam key, a results store).
import json
import os
import sys

import numpy as np

MARKER = "@MARKER@"
found = {"planted": [], "grader": [], "stores": [], "jobs": [], "writable": [], "imports": [], "secrets": []}
for root, dirs, files in os.walk("/"):
    if root == "/":
        dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
    for name in dirs + files:
        path = os.path.join(root, name)
        if MARKER in name:
            found["planted"].append(path)
        if os.path.basename(root) == "grader" and "__init__.py" in files and name not in ("__init__.py", "__pycache__", "sandbox"):
            found["grader"].append(path)  # the trusted side: checks and their answers, evaluator, store, exams
        if name in ("results.sqlite", "exam-keys") or name.startswith("exam-key"):
            found["stores"].append(path)
        if name.startswith("grade-") and root != "/job":
            found["jobs"].append(path)
    if os.access(root, os.W_OK) and not root.startswith(("/tmp", "/home/learner", "/job/out")):
        found["writable"].append(root)  # where a file could be changed for later gradings
# The import blocker taken away: the reference answers, the checks, the store, the evaluator.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "GraderInternalsBlocked"]
TRUSTED = ("grader.check.exercise5", "grader.check", "grader.grading", "grader.bulk.store", "grader.evaluator", "grader.api")
for module in TRUSTED:
    try:
        __import__(module)
        found["imports"].append(module)
    except Exception:
        pass
for secret in ("/etc/shadow", "/root/.bash_history"):
    try:
        with open(secret, "rb") as fh:
            found["secrets"].append(f"{secret}: {len(fh.read())} bytes")
    except OSError:
        pass
for pid in filter(str.isdigit, os.listdir("/proc")):  # the grader's environment, through any process
    try:
        with open(f"/proc/{pid}/environ", "rb") as fh:
            if b"GRADER_TEST_SECRET" in fh.read():
                found["secrets"].append(f"/proc/{pid}/environ")
    except OSError:
        pass
print("HUNT " + json.dumps(found))
print("ID", os.getuid(), os.getgid(), open("/proc/self/status").read().split("CapEff:")[1].split()[0])


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
