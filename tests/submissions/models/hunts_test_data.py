# Hostile: looks for the hidden test set before training. DATA_DIR is filled in by the test.
import ctypes
import os

import keras

DATA_DIR = "@DATA_DIR@"
found = []
for root, _dirs, files in os.walk(DATA_DIR):
    found.extend(os.path.join(root, f) for f in files)
for guess in ("t10k-images-idx3-ubyte.gz", "fashion-mnist/t10k-images-idx3-ubyte.gz"):
    try:
        with open(os.path.join(DATA_DIR, guess), "rb") as fh:
            found.append("opened " + guess + f" ({len(fh.read())} bytes)")
    except OSError:
        pass
# Around a cover: through another process's view of the filesystem...
for pid in filter(str.isdigit, os.listdir("/proc")):
    for root, _dirs, files in os.walk(f"/proc/{pid}/root{DATA_DIR}"):
        found.extend(os.path.join(root, f) for f in files)
# ...or by taking the cover off (MNT_DETACH), which needs a capability the sandbox must not have.
libc = ctypes.CDLL(None, use_errno=True)
if libc.umount2(DATA_DIR.encode(), 2) == 0:
    found.extend("after umount: " + f for f in os.listdir(DATA_DIR))
print("HUNT", len(found), found[:3])

(x_train, y_train), _ = keras.datasets.fashion_mnist.load_data()
model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train / 255.0, y_train, epochs=3, verbose=0)
