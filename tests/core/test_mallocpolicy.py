"""A one-shot command keeps large buffers out of glibc's heaps (mallocpolicy)."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import jobinventory.cli as cli

# After a 30 MiB mapping is freed glibc raises its mmap threshold to 30 MiB, so later large
# blocks come from its heap, unless the threshold was fixed. The blocks are larger than all the
# heap's free space, so none can reuse a hole: each is mapped on its own (and unmapped when
# freed) exactly when the threshold is fixed.
_SCRIPT = textwrap.dedent("""
    import ctypes, sys
    from jobinventory.mallocpolicy import map_large_blocks
    class Info(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in
                    "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]
    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = Info
    if sys.argv[1] == "fixed":
        print(map_large_blocks(), map_large_blocks())
    blob = bytearray(30 << 20)
    del blob
    size = libc.mallinfo2().fordblks + (1 << 20)
    assert size < 30 << 20, size
    blocks = [bytearray(size) for _ in range(8)]
    held = libc.mallinfo2().hblks
    del blocks  # frees exactly these: the mapped ones among them are unmapped now
    print(held - libc.mallinfo2().hblks)
""")


def _mapped_blocks(mode):
    done = subprocess.run([sys.executable, "-c", _SCRIPT, mode], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split("\n")[:-1]


def test_a_fixed_threshold_maps_large_blocks_that_glibc_would_otherwise_take_from_its_heap():
    assert _mapped_blocks("default") == ["0"]
    assert _mapped_blocks("fixed") == ["True True", "8"]


def test_one_shot_commands_set_it_and_serve_does_not(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(cli, "map_large_blocks", lambda: calls.append(True))
    assert cli.main(["operations"]) == 0
    assert calls == [True]
    capsys.readouterr()
    assert cli.main(["serve", "--db", "not a url"]) == 2
    assert calls == [True]
    assert "not a database URL" in capsys.readouterr().err
