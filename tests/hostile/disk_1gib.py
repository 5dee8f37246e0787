# exercise: nms
# tries: write 1 GiB to disk (64 files of 16 MiB, each under the per-file limit)
import os
chunk = b"x" * (1 << 20)
written = 0
try:
    for i in range(64):
        with open(f"big{i}.bin", "wb") as f:
            for _ in range(16 - 1):
                f.write(chunk)
                written += len(chunk)
except OSError as e:
    print("stopped at", written >> 20, "MiB:", e.strerror)
print("wrote", written >> 20, "MiB")
