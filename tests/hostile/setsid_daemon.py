# exercise: nms
# tries: leave a daemon (double fork + setsid) running after the grade
import os
import time
try:
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            while True:
                time.sleep(1)  # @@MARK@@
        os._exit(0)
except OSError as e:
    print("no fork:", e)
