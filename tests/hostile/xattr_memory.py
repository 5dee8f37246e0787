# exercise: nms
# tries: hold kernel memory in extended attributes of one file (64 KiB each; tmpfs keeps them)
import os

held = 0
open("x", "w").close()
try:
    for k in range(100_000):
        os.setxattr("x", f"user.k{k}", b"v" * 65536)
        held += 65536
        if k % 50 == 0:
            print("held MiB", held >> 20)
except OSError as e:
    print("stopped:", e.strerror)
print("held MiB", held >> 20)
