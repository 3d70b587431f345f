"""Run each student's kernel in a sandbox: nbgrader's executor uses ``SandboxKernelManager``.

On Linux, with the grader running as root, the kernel starts as

    setpriv --pdeathsig KILL -- unshare --net --mount --pid --ipc --uts --fork -- python sandbox.py SPEC -- <kernel command>

and this file's ``enter()`` then, inside the new namespaces, builds a private
root file system (a tmpfs holding read-only bind mounts of the system, the
Python environment, the ``keras_course`` package and the datasets), copies
the kernel's working folder into it without any notebook, sets resource
limits, and becomes an unprivileged user. The kernel talks to the grader over
IPC sockets in a folder of its own, never over TCP.

Anywhere else (macOS, not root, no namespaces) the kernel starts normally and
a loud warning says that student code is not sandboxed.
"""

import asyncio
import functools
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from importlib.util import find_spec

from jupyter_client.manager import AsyncKernelManager
from traitlets import Enum, Integer, List, Unicode

UNSHARE = ["unshare", "--net", "--mount", "--pid", "--ipc", "--uts", "--fork", "--kill-child", "--"]
ORPHAN_KILLED = ["setpriv", "--pdeathsig", "KILL", "--"]  # the sandbox dies with the grading process (a killed Dask worker)
SYSTEM = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"]
DEVICES = ["null", "zero", "full", "random", "urandom"]
ENV_KEPT = (  # the kernel's whole environment, by name: no token or secret of the grader's can reach it
    "PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONHASHSEED", "MPLBACKEND", "OMP_NUM_THREADS",
    "KERAS_BACKEND", "KERAS_COURSE_QUICK", "KERAS_COURSE_GRADING", "TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS",
)
WARNING = ("NOT SANDBOXED: student code runs with the grader's own rights, network and files (%s). "
           "Grade untrusted submissions on Linux as root, or inside a throw-away VM or container.")


@functools.cache
def unavailable():
    """Why kernels cannot be sandboxed on this machine, or "" when they can."""
    if sys.platform != "linux":
        return f"the sandbox needs Linux, this is {sys.platform}"
    if os.geteuid() != 0:
        return "the sandbox needs the grader to run as root"
    missing = [tool for tool in ("unshare", "setpriv", "mount") if not shutil.which(tool)]
    if missing:
        return f"{', '.join(missing)} not found (util-linux)"
    probe = subprocess.run([*UNSHARE, "mount", "-t", "tmpfs", "probe", "/mnt"], capture_output=True, text=True)
    if probe.returncode:
        return f"cannot create namespaces here: {probe.stderr.strip() or probe.returncode}"
    return ""


_claimed = []  # lock files of the user ids this process claimed


def claim_user(first, span=200):
    """Claim a sandbox user id that no other grading process on this machine holds: first, first - 1, ...

    The claim (a lock on /run/lock/keras-course-sandbox-UID.lock) lasts as long as this process,
    so two grading runs at once never share a user, its process limit or its clean-up.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no sandbox, no users to share
        return first
    folder = "/run/lock" if os.access("/run/lock", os.W_OK) else tempfile.gettempdir()
    for uid in range(first, first - span, -1):
        handle = open(os.path.join(folder, f"keras-course-sandbox-{uid}.lock"), "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another grading process holds it
            handle.close()
            continue
        _claimed.append(handle)
        return uid
    raise RuntimeError(f"all sandbox user ids from {first - span + 1} to {first} are in use by other grading runs")


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel inside the sandbox (see the module docstring)."""

    uid = Integer(65534, help="User (and group) id the kernel runs as; grade.py gives each grading process "
                              "its own, counting down from this one (65534 is 'nobody').").tag(config=True)
    output_limit = Integer(64 << 10, help="Bytes of the kernel's own stdout and stderr kept for the log.").tag(config=True)
    memory = Integer(4 << 30, help="Bytes of data memory per process (RLIMIT_DATA).").tag(config=True)
    processes = Integer(512, help="Processes and threads of the sandbox user (RLIMIT_NPROC).").tag(config=True)
    cpu_seconds = Integer(4 * 3600, help="CPU seconds per process (RLIMIT_CPU), a backstop for the wall-clock limits.").tag(config=True)
    file_size = Integer(1 << 30, help="Largest file the kernel may write, in bytes (RLIMIT_FSIZE).").tag(config=True)
    tmp_size = Unicode("1g", help="Size of the kernel's /tmp and of its working folder (tmpfs).").tag(config=True)
    mode = Enum(["", "quick", "full"], "", help='"quick" sets KERAS_COURSE_QUICK=1 for the kernel, "full" unsets it, '
                                                 '"" keeps the grader\'s own (grade.py --mode).').tag(config=True)
    readable = List(Unicode(), help="More folders the kernel may read (never the course folder itself, "
                                    "which holds solutions/ and the workspace).").tag(config=True)

    _folder = None

    async def _async_pre_start_kernel(self, **kw):
        reason = unavailable()
        if reason:
            self.log.warning(WARNING, reason)
            cmd, kw = await super()._async_pre_start_kernel(**kw)
            self._grading_env(kw["env"])
            self._capture_output(kw)
            return cmd, kw
        uid = self.uid
        for _ in range(300):  # the processes of a killed sandbox (a fork storm) may still be exiting and count to the limit
            if processes_of(uid) <= self.processes // 4:
                break
            await asyncio.sleep(0.1)
        self._folder = tempfile.mkdtemp(prefix="keras-course-sandbox-")
        ipc = os.path.join(self._folder, "ipc")
        os.mkdir(ipc, 0o700)  # the kernel's sockets: on a 1 MB memory file system, never on the host's disk
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size=1m,mode=700,uid={uid},gid={uid},nosuid,nodev,noexec",
                        "keras-course-ipc", ipc], check=True)
        os.mkdir(os.path.join(self._folder, "root"))
        self.transport, self.ip = "ipc", os.path.join(ipc, "kernel")
        self.connection_file = os.path.join(ipc, "connection.json")
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        self._grading_env(kw["env"])
        self._capture_output(kw)
        os.chown(self.connection_file, uid, uid)
        spec = {
            "root": os.path.join(self._folder, "root"),
            "uid": uid,
            "read": self._readable(),
            "ipc": ipc,
            "workdir": os.path.realpath(kw.get("cwd") or os.getcwd()),
            "data": os.path.realpath(os.environ["KERAS_COURSE_DATA"]) if os.environ.get("KERAS_COURSE_DATA") else "",
            "keras_cache": os.path.join(os.environ.get("KERAS_HOME") or os.path.expanduser("~/.keras"), "datasets"),
            "tmp_size": self.tmp_size,
            "limits": {"DATA": self.memory, "NPROC": self.processes, "CPU": self.cpu_seconds,
                       "FSIZE": self.file_size, "CORE": 0},
        }
        return [*ORPHAN_KILLED, *UNSHARE, sys.executable, os.path.abspath(__file__), json.dumps(spec), "--", *cmd], kw

    def _grading_env(self, env):
        env["KERAS_COURSE_GRADING"] = "1"  # checks.collect hands its answers to the grader
        if self.mode == "quick":
            env["KERAS_COURSE_QUICK"] = "1"
        elif self.mode == "full":
            env.pop("KERAS_COURSE_QUICK", None)

    def _readable(self):
        """Folders the kernel reads: the system, this Python, the keras_course package, the datasets.

        Symbolic links (/bin -> usr/bin) stay links; their targets are read too, unless inside another folder.
        """
        paths = SYSTEM + [sys.prefix, sys.base_prefix, sys.exec_prefix, *find_spec("keras_course").submodule_search_locations]
        paths = [p for p in paths + [os.environ.get("KERAS_COURSE_DATA", ""), *self.readable] if p and os.path.lexists(p)]
        real = {os.path.realpath(p) for p in paths}
        real = {p for p in real if not any(p.startswith(q + os.sep) for q in real)}
        return sorted(real | {p for p in paths if os.path.islink(p)})

    def _capture_output(self, kw):
        """Give the kernel a pipe for stdout and stderr (never the grader's terminal) and no stdin."""
        read, self._write = os.pipe()
        kw.update(stdin=subprocess.DEVNULL, stdout=self._write, stderr=self._write)
        self._output = bytearray()

        def drain():  # keep the first output_limit bytes, read and drop the rest
            with os.fdopen(read, "rb", buffering=0) as pipe:
                while chunk := pipe.read(65536):
                    self._output += chunk[:max(0, self.output_limit - len(self._output))]

        self._reader = threading.Thread(target=drain, daemon=True)
        self._reader.start()

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        try:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        finally:
            os.close(self._write)  # the kernel holds the only writing end now

    def kernel_output(self):
        """What the kernel process itself printed (not cell outputs), control characters escaped, capped."""
        if not hasattr(self, "_reader"):
            return ""
        self._reader.join(timeout=5)
        text = bytes(self._output).decode("utf-8", "replace")
        return re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", text)

    def log_output(self, log):
        """Put what the kernel process printed outside any cell into ``log`` (the notebook's log)."""
        text = self.kernel_output()
        if text.strip():
            log.warning("The kernel process printed (control characters escaped, at most %d bytes):\n%s", self.output_limit, text)

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if self._folder and not restart:
            subprocess.run(["umount", "--lazy", os.path.join(self._folder, "ipc")], capture_output=True)
            subprocess.run(["rm", "-rf", "--one-file-system", self._folder], capture_output=True)  # any depth

    cleanup_resources = _async_cleanup_resources  # as AsyncKernelManager does: nbclient calls this name for a dead kernel


def processes_of(uid):
    """How many processes run as ``uid``."""
    count = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            count += os.stat(f"/proc/{pid}").st_uid == uid
        except FileNotFoundError:  # it just ended
            pass
    return count


def _mount(*args):
    subprocess.run(["mount", *args], check=True)


def _bind(source, target, options):
    """Bind-mount ``source`` at ``target`` (created as an empty file or folder first)."""
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        open(target, "a").close()
    _mount("-o", f"bind,{options}", source, target)


def enter(spec, cmd):
    """Inside fresh namespaces, as root: build the private root, then run ``cmd`` as the unprivileged user.

    This process stays the namespace's init; its exit status is the kernel's (128 + N: killed by signal N).
    """
    root, uid = spec["root"], spec["uid"]

    def inside(path):
        return os.path.join(root, path.lstrip("/"))

    _mount("-t", "tmpfs", "-o", "mode=755,size=16m", "sandbox", root)
    for path in spec["read"]:
        if os.path.islink(path):  # e.g. /bin -> usr/bin on merged-/usr systems
            os.makedirs(os.path.dirname(inside(path)), exist_ok=True)
            os.symlink(os.readlink(path), inside(path))
    os.makedirs(inside("/tmp"))
    _mount("-t", "tmpfs", "-o", f"mode=1777,size={spec['tmp_size']}", "tmp", inside("/tmp"))
    for path in sorted((p for p in spec["read"] if not os.path.islink(p)), key=lambda p: p.count("/")):
        _bind(path, inside(path), "ro,nosuid,nodev")
    _bind(spec["ipc"], inside(spec["ipc"]), "nosuid,nodev")
    for device in DEVICES:
        _bind(f"/dev/{device}", inside(f"/dev/{device}"), "nosuid")
    for folder, fs, options in (("/dev/shm", "tmpfs", "mode=1777,size=64m"), ("/proc", "proc", "nosuid,nodev,noexec")):
        os.makedirs(inside(folder), exist_ok=True)
        _mount("-t", fs, "-o", options, fs, inside(folder))
    os.makedirs(inside("/tmp/keras"))
    os.chown(inside("/tmp/keras"), uid, uid)
    if os.path.isdir(spec["keras_cache"]):
        _bind(spec["keras_cache"], inside("/tmp/keras/datasets"), "ro,nosuid,nodev")
    workdir = spec["workdir"]
    os.makedirs(inside(workdir), exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"mode=755,uid={uid},gid={uid},size={spec['tmp_size']}", "work", inside(workdir))
    shutil.copytree(workdir, inside(workdir), ignore=shutil.ignore_patterns("*.ipynb"), dirs_exist_ok=True)
    for parent, dirs, files in os.walk(inside(workdir)):
        for name in dirs + files:
            os.lchown(os.path.join(parent, name), uid, uid)
    os.chroot(root)
    os.chdir(workdir)
    for name, value in spec["limits"].items():
        limit = getattr(resource, f"RLIMIT_{name}")
        resource.setrlimit(limit, (value, value))
    env = {k: v for k, v in os.environ.items() if k in ENV_KEPT}
    env.update(HOME="/tmp", TMPDIR="/tmp", KERAS_HOME="/tmp/keras", MPLCONFIGDIR="/tmp/matplotlib")
    if spec["data"]:  # the mirror as mounted: a path through a symbolic link (/tmp/x -> /data) may not exist in here
        env["KERAS_COURSE_DATA"] = spec["data"]
    env["JPY_PARENT_PID"] = "1"  # its parent is this namespace's init (the grader's pid means nothing in here)
    setpriv = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
               "--inh-caps=-all", "--bounding-set=-all", "--"]
    kernel = os.fork()
    if kernel == 0:
        os.execvpe(setpriv[0], setpriv + cmd, env)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:  # the namespace's init: reap orphans until the kernel ends, then report how it ended
        pid, status = os.wait()
        if pid == kernel:
            os._exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))


if __name__ == "__main__":
    enter(json.loads(sys.argv[1]), sys.argv[3:])
