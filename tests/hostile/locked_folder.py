# exercise: nms
# tries: leave its files behind: a folder in its work folder made unreadable (chmod 000), which
# the grader's clean-up (a user without capabilities) can neither list nor empty
import os

for name in ("locked", "tmp/locked"):
    try:
        os.makedirs(name + "/inner", exist_ok=True)
        with open(name + "/inner/kept", "w") as f:
            f.write("left behind\n")
        os.chmod(name + "/inner", 0o300)  # (write and search only: not listable)
        os.chmod(name, 0o000)
        print("locked", name)
    except OSError as e:
        print("blocked", name, e)
