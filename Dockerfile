# The grading image. Both phases of a grading run in containers made from it: the untrusted
# one (a learner's functions, or training on the public data) and the trusted evaluator (the
# saved model against the hidden test set). Build it with `grade image build`, which labels
# it with the grader code's digest; a plain `docker build .` works too (see README).
#
# BASE_IMAGE: the official TensorFlow GPU image by default, so on a GPU host training uses the
# GPU. Any Debian/Ubuntu image with Python >= 3.11 works as well; the CPU wheel of TensorFlow
# is then installed (TF_REQUIREMENT).
ARG BASE_IMAGE=tensorflow/tensorflow:2.21.0-gpu
FROM ${BASE_IMAGE}

ARG BASE_IMAGE
ARG TF_REQUIREMENT="tensorflow-cpu>=2.21,<2.22"
ARG GRADER_VERSION=unknown
ARG GRADER_DIGEST=unknown

ENV PATH=/opt/venv/bin:$PATH \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CUDA_CACHE_PATH=/cache/cuda \
    CUDA_CACHE_MAXSIZE=4294967296

# Wheels in wheelhouse/ (pip download on a connected machine) make the build work with no
# network at all, as offline exam rooms need; without them pip uses its index as usual.
# The venv sees the base's own packages, so a base that has TensorFlow keeps its GPU build.
# tf-keras (the Keras 2 route) is installed --no-deps: it asks for `tensorflow`, which a base with
# tensorflow-cpu would otherwise get a second time, as the full wheel; its only requirement is TensorFlow.
COPY pyproject.toml wheelhouse* /build/
RUN set -eu; \
    if ls /build/*.whl >/dev/null 2>&1; then source="--no-index --find-links /build"; else source=""; fi; \
    python3 -m venv --system-site-packages /opt/venv \
      || { rm -rf /opt/venv; python3 -m venv --without-pip --system-site-packages /opt/venv; }; \
    if python -c "import importlib.util as u, sys; sys.exit(u.find_spec('tensorflow') is None)"; then \
      echo "TensorFlow comes with the base image"; \
    else \
      python -m pip install --no-cache-dir $source "$TF_REQUIREMENT"; \
    fi; \
    python -c "import tomllib; p = tomllib.load(open('/build/pyproject.toml', 'rb'))['project']; \
m = p['optional-dependencies']['models']; \
open('/build/requirements.txt', 'w').write('\n'.join([*p['dependencies'], *(r for r in m if not r.startswith('tensorflow'))])); \
open('/build/keras2.txt', 'w').write('\n'.join(p['optional-dependencies']['keras2']))"; \
    python -m pip install --no-cache-dir $source -r /build/requirements.txt; \
    python -m pip install --no-cache-dir $source --no-deps -r /build/keras2.txt; \
    rm -rf /build

# An unprivileged user for every container (the runner also runs as the host user's uid).
# /cache/cuda: the compile cache of containers run by hand (the runner gives each job its own). /work is the
# working directory (an in-memory tmpfs at run time); it exists in the image so that docker does
# not create it at start, which would reset the tmpfs to root's 0755.
RUN set -eu; \
    useradd --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin grader; \
    mkdir -p /cache/cuda /job /work; \
    chown grader:grader /cache/cuda; \
    chmod 1777 /work

# The grader code last, so a code change rebuilds this layer only. The image has no reference
# answers (grader/check is left out of the build context) and no datasets: the runner
# mounts the public copy into the sandbox and the hidden data into the evaluator alone.
# /opt/grader is the trusted side (the evaluator's PYTHONPATH); /opt/sandbox holds the child
# package alone, what an untrusted container imports, and the runner hides /opt/grader from it.
COPY grader/ /opt/grader/grader/
RUN set -eu; \
    mkdir -p /opt/sandbox/grader; \
    cp /opt/grader/grader/__init__.py /opt/sandbox/grader/; \
    cp -r /opt/grader/grader/sandbox /opt/sandbox/grader/; \
    python -m compileall -q /opt/grader/grader /opt/sandbox/grader
ENV PYTHONPATH=/opt/grader

LABEL org.tfcert-grader.version=$GRADER_VERSION \
      org.tfcert-grader.digest=$GRADER_DIGEST \
      org.tfcert-grader.base=$BASE_IMAGE \
      org.tfcert-grader.tf-requirement=$TF_REQUIREMENT

USER grader
WORKDIR /work
