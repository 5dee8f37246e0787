# exercise: nms
# tries: start 200 children, each in a session of its own
import subprocess
started = 0
for _ in range(200):
    try:
        subprocess.Popen(["sleep", "1000.@@MARK@@"], start_new_session=True)
        started += 1
    except OSError:
        break
print("started", started)
