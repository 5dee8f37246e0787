# exercise: nms
# tries: hold memory the address-space limit does not count: memfd files, SysV shared memory
import ctypes, os
held, fds = 0, []
chunk = b"x" * (32 << 20)
try:
    while held < (3 << 30):
        fd = os.memfd_create("hog")
        os.write(fd, chunk)
        fds.append(fd)
        held += len(chunk)
except OSError as e:
    print("memfd stopped:", e.strerror)
print("memfd held", held >> 20, "MiB")
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
shm = 0
for _ in range(12):
    sid = libc.shmget(0, 256 << 20, 0o1600)  # IPC_PRIVATE, IPC_CREAT | 0600
    if sid < 0:
        print("shmget stopped:", os.strerror(ctypes.get_errno()))
        break
    addr = libc.shmat(sid, None, 0)
    if addr in (None, ctypes.c_void_p(-1).value):
        print("shmat stopped:", os.strerror(ctypes.get_errno()))
        break
    ctypes.memset(addr, 1, 256 << 20)
    libc.shmdt(ctypes.c_void_p(addr))
    shm += 256
print("shm held", shm, "MiB")
