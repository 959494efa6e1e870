# Hostile: walks the whole filesystem for the hidden test file (known by its size and SHA-256,
# filled in by the test), then trains a small model as if nothing happened.
import hashlib
import os

import keras

SIZE, DIGEST, DATA_DIR = int("@SIZE@"), "@DIGEST@", "@DATA_DIR@"
found, looked = [], 0
for root, dirs, files in os.walk("/"):
    if root == "/":
        dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
    for name in files:
        path = os.path.join(root, name)
        try:
            if os.path.getsize(path) != SIZE or os.path.islink(path):
                continue
            looked += 1
            with open(path, "rb") as fh:
                if hashlib.sha256(fh.read()).hexdigest() == DIGEST:
                    found.append(path)
        except OSError:
            pass
print("HUNT", len(found), found[:3], "same-size files:", looked, "data dir visible:", os.path.exists(DATA_DIR))

(x_train, y_train), _ = keras.datasets.fashion_mnist.load_data()
model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train / 255.0, y_train, epochs=3, verbose=0)
