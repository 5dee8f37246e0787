# exercise: nms
# tries: the user's terminal itself, below bubblewrap (/dev is the host's): its name from the
# tty of the grade's ancestors in /proc, then escape sequences written on it (a cleared,
# rewritten screen, none of it cleaned by prep), and what the user types read from it; and
# every other terminal of the machine opened (only opened: nothing is written there)
import os


def _tty() -> int:
    pid = os.getpid()
    for _ in range(10):
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        if int(fields[4]):
            return int(fields[4])
        pid = int(fields[1])
        if pid <= 1:
            return 0
    return 0


try:
    tty = _tty()
    if not tty:
        raise LookupError("no terminal among its ancestors")
    path = f"/dev/pts/{(tty & 0xFF) | ((tty >> 12) & 0xFFF00)}"
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
    os.write(fd, b"\x1b[2J\x1b[H" + b"RAW-ON-THE-" + b"TERMINAL\r\n")
    print("wrote", path)
except (OSError, LookupError) as e:
    print("blocked", type(e).__name__)
opened = 0
for name in (os.listdir("/dev/pts") if os.path.isdir("/dev/pts") else []):
    if name.isdigit():
        try:
            os.close(os.open(f"/dev/pts/{name}", os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK))
            opened += 1
        except OSError:
            pass
print("terminals opened", opened)
