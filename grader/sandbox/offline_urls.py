"""Serve a script's downloads of the exercise's own files from its public copy: the sandbox has no network.

The certificate's starters fetch their raw data themselves, e.g.
``urllib.request.urlretrieve('https://storage.googleapis.com/download.tensorflow.org/data/rps.zip', 'rps.zip')``
or ``urlopen(url)``. Inside the training sandbox a URL whose last path segment names a file in
``$KERAS_HOME/datasets`` (the job's private copy of the public files) is answered from that file,
whatever its host; any other URL is refused with a `NoNetwork` that says what is provided.
`grader.sandbox.keras_offline` routes ``get_file`` through `urlretrieve` too.

Runs inside the sandbox only; standard library only.
"""

from __future__ import annotations

import email.message
import email.utils
import mimetypes
import os
import posixpath
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import urllib.response
from pathlib import Path
from typing import Any

PROVIDED_SUBDIR = "datasets"  # where keras' get_file keeps files too: one folder serves both
NETWORK_SCHEMES = ("http", "https", "ftp")  # file: and data: URLs need no network and keep working
BLOCK = 8192  # the block size urllib's own urlretrieve reports to its hook

_REAL_OPEN = urllib.request.OpenerDirector.open  # kept at import: install() may run more than once
_REAL_URLRETRIEVE = urllib.request.urlretrieve


class NoNetwork(urllib.error.URLError):
    """A URL that names none of the exercise's files: the sandbox cannot download it."""


class ServedResponse(urllib.response.addinfourl):
    """What ``urlopen`` returns for a provided file: urllib's own response type (read, readline,
    iteration, ``with``, ``geturl``, ``.status``, ``.headers``) plus http.client's ``reason`` and
    ``getheader``, which scripts written against an HTTP response call."""

    reason = "OK"

    def getheader(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)


def provided_folder() -> Path:
    # KERAS_HOME read now, as keras reads it: the runner points it at the job's private copy.
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home).absolute() / PROVIDED_SUBDIR


def provided_names() -> list[str]:
    """The files a URL can name. Links are left out: they are what `urlretrieve` made there
    (keras downloads ``rps.zip_archive`` beside ``rps.zip``), not files the exercise provides."""
    try:
        entries = list(os.scandir(provided_folder()))
    except OSError:
        return []
    return sorted(
        (e.name for e in entries if e.is_file(follow_symlinks=False) and not e.name.startswith(".")), key=str.casefold
    )


def provided_file(url: str) -> Path | None:
    """The provided file a URL names by its last path segment: the exact name first, then the
    same name in another case (the URL decides; a starter saves ``Sunspots.csv`` as ``sunspots.csv``).

    >>> provided_file("https://storage.googleapis.com/download.tensorflow.org/data/rps.zip")  # doctest: +SKIP
    PosixPath('/job/keras/datasets/rps.zip')
    """
    name = posixpath.basename(urllib.parse.unquote(urllib.parse.urlsplit(url).path))
    names = provided_names()
    if not name:
        return None
    if name in names:
        return provided_folder() / name
    same = [n for n in names if n.casefold() == name.casefold()]
    return provided_folder() / same[0] if same else None


def refusal(url: str) -> NoNetwork:
    names = provided_names()
    offered = ", ".join(names) if names else "none"
    return NoNetwork(
        f"there is no network in the grading sandbox, so {url} cannot be downloaded. "
        f"The files this exercise provides are served to any URL that ends in their name: {offered}. "
        "A script that downloads anything else cannot be graded here."
    )


def served(url: str) -> Path:
    found = provided_file(url)
    if found is None:
        raise refusal(url)
    return found


def headers(path: Path) -> email.message.Message:
    """The headers urllib gives a local file (its file: handler writes the same three)."""
    stat = path.stat()
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
    return email.message_from_string(
        f"Content-type: {kind}\nContent-length: {stat.st_size}\nLast-modified: {modified}\n"
    )


def urlretrieve(url: str, filename: Any = None, reporthook: Any = None, data: Any = None) -> tuple[Any, Any]:
    """``urllib.request.urlretrieve`` for a provided file: ``filename`` becomes a link to it (or a
    temporary file's name does, when none is given), and ``(filename, headers)`` comes back."""
    if urllib.parse.urlsplit(url).scheme.lower() not in NETWORK_SCHEMES:
        return _REAL_URLRETRIEVE(url, filename, reporthook, data)
    source = served(url)
    if filename is None:
        suffix = os.path.splitext(urllib.parse.urlsplit(url).path)[1]
        fd, filename = tempfile.mkstemp(suffix=suffix)
        os.close(fd)
        urllib.request._url_tempfiles.append(filename)  # so urlcleanup() removes it, as it would the real one's
    _place(source, os.fspath(filename))
    size = source.stat().st_size
    if reporthook is not None:  # keras draws its progress bar from these calls
        reporthook(0, BLOCK, size)
        reporthook(max(1, -(-size // BLOCK)), BLOCK, size)
    return filename, headers(source)


def _place(source: Path, target: str) -> None:
    """Make ``target`` read as ``source``. A link, not a copy: the working folder and /tmp are
    tmpfs counted in the job's memory, and the real rps.zip is 200 MB before it is extracted."""
    if os.path.exists(target) and os.path.samefile(source, target):
        return
    if os.path.lexists(target):
        os.remove(target)  # the real urlretrieve overwrites it too
    try:
        os.symlink(source, target)
    except OSError:  # a filesystem without links
        shutil.copyfile(source, target)


def _open(self: urllib.request.OpenerDirector, fullurl: Any, *args: Any, **kwargs: Any) -> Any:
    """``OpenerDirector.open``, which ``urlopen`` (pandas' ``read_csv(url)`` too) ends in."""
    url = getattr(fullurl, "full_url", fullurl)  # a Request or a string
    if not isinstance(url, str) or urllib.parse.urlsplit(url).scheme.lower() not in NETWORK_SCHEMES:
        return _REAL_OPEN(self, fullurl, *args, **kwargs)
    source = served(url)
    return ServedResponse(open(source, "rb"), headers(source), url, code=200)


def install() -> None:
    """Answer ``urlretrieve`` and every ``urlopen`` from the provided files. Call it before the
    learner's file is imported: its ``from urllib.request import urlretrieve`` then gets this one."""
    urllib.request.urlretrieve = urlretrieve
    urllib.request.OpenerDirector.open = _open
