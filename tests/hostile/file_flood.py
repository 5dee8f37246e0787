# exercise: nms
# tries: hold the host's memory with empty files (a tmpfs counts bytes, not files) while importing
import os
import time

start, made = time.monotonic(), 0
try:
    while time.monotonic() - start < 25:
        for _ in range(1000):
            os.close(os.open(f"f{made}", os.O_CREAT | os.O_WRONLY, 0o600))
            made += 1
except OSError as e:
    print("stopped at", made, e.strerror)
print("made", made)
