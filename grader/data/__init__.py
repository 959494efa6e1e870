"""Datasets of the model exercises: the exact files ``keras.datasets`` caches, and the certificate's
raw files (class folders of PNGs in a zip, a JSON array of headlines, a CSV series).

* `registry`: which files make each dataset, their official hashes or layouts, where they come from.
* `formats`: reading and writing the keras files with numpy alone (no TensorFlow here).
* `raw`, `raw_readers`: the raw files, read as hostile input and checked against their layout.
* `store`: the grader's data dir, its status, downloads, and the public copies the sandbox sees.
"""
