#!/usr/bin/env python3
"""Runs one suite program the way every runner must (README.md, "Running a
program"): argv [NAME], the fixed environment below, cwd a fresh empty
directory, stdin /dev/null, only descriptors 0-2 open; prints its
transcript (stdout, then "exit N" or "signal N") to stdout.

    run-one.py [--qemu] BINDIR NAME [TIMEOUT_SECONDS]

--qemu runs the binary under qemu-riscv64 (-0 NAME sets its argv[0]).
"""
import os, signal, subprocess, sys, tempfile

def main() -> int:
    args = sys.argv[1:]
    qemu = args[:1] == ["--qemu"]
    if qemu:
        args = args[1:]
    bindir, name = os.path.abspath(args[0]), args[1]
    timeout = float(args[2]) if len(args) > 2 else 60
    path = os.path.join(bindir, name)
    argv, exe = ([name], path) if not qemu else (["qemu-riscv64", "-0", name, path], None)
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C", "PROGRAMS_DIR": bindir}
    with tempfile.TemporaryDirectory(prefix="tskern-programs-") as cwd:
        # its own session, so a timeout can kill the children it forked too
        p = subprocess.Popen(argv, executable=exe, env=env, cwd=cwd, start_new_session=True,
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             close_fds=True)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, err = p.communicate()
            sys.stdout.buffer.write(out)
            sys.stdout.write(f"\ntimeout after {timeout:g} s\n")
            return 1
    sys.stdout.buffer.write(out)
    if out and not out.endswith(b"\n"):
        sys.stdout.write("\n")
    sys.stdout.write(f"signal {-p.returncode}\n" if p.returncode < 0 else f"exit {p.returncode}\n")
    sys.stderr.buffer.write(err)
    return 0

if __name__ == "__main__":
    sys.exit(main())
