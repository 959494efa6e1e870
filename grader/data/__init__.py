"""Datasets of the model exercises, in the exact files ``keras.datasets`` caches.

* `registry`: which files make each dataset, their official hashes, where they come from.
* `formats`: reading and writing those files with numpy alone (no TensorFlow here).
* `store`: the grader's data dir, its status, downloads, and the public copies the sandbox sees.
"""
