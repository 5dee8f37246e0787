# exercise: nms
# tries: leave files in /tmp (by name and through tempfile)
import tempfile
for path in ("/tmp/prep-hostile-@@MARK@@",):
    try:
        open(path, "w").write("left behind")
    except OSError as e:
        print("blocked", e)
fd, name = tempfile.mkstemp(prefix="prep-hostile-@@MARK@@-")
print("tempfile at", name)
