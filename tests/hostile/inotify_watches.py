# exercise: nms
# tries: hold kernel memory and the user's inotify watches (watches on every file of /usr)
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
held, fds = 0, []
try:
    for _ in range(128):
        fd = libc.inotify_init1(0)
        if fd < 0:
            print("inotify_init1 stopped:", os.strerror(ctypes.get_errno()))
            break
        fds.append(fd)
    if fds:
        k = 0
        for root, dirs, files in os.walk("/usr"):
            for name in dirs + files:
                wd = libc.inotify_add_watch(fds[k % len(fds)], os.path.join(root, name).encode(), 0xFFF)
                if wd < 0:
                    err = ctypes.get_errno()
                    if err != 2:
                        raise OSError(err, os.strerror(err))
                else:
                    held += 1
                k += 1
except OSError as e:
    print("stopped:", e.strerror)
print("watches held", held)
